package code

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// diffFragment builds the fragment a history scan would produce when a
// commit added the given 1-based lines of whole.
func diffFragment(path, whole string, added ...int) *detect.Fragment {
	lines := strings.Split(whole, "\n")
	var text []string
	for _, l := range added {
		text = append(text, lines[l-1])
	}
	return detect.NewDiffFragment(path, detect.StageHistory, &finding.Commit{SHA: "abc123"}, strings.Join(text, "\n"), added,
		func() (string, error) { return whole, nil })
}

// A query built two lines before the execute call it feeds.
var builtQuery = strings.Join([]string{
	"def search(conn, term):",
	`    base = "SELECT * FROM items WHERE title = '"`,
	`    query = base + term + "'"`,
	"    cur = conn.cursor()",
	"    cur.execute(query)",
	"    return cur.fetchall()",
}, "\n")

func TestDiffReportsOnlyAddedSinks(t *testing.T) {
	d := newDetector(t, config.Code{})
	ctx := context.Background()

	fs, err := d.Detect(ctx, diffFragment("app/db.py", builtQuery, 5))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "sql-injection" || fs[0].StartLine != 5 {
		t.Fatalf("want one sql-injection at line 5 from the whole file, got %+v", fs)
	}
	f := fs[0]
	if f.Category != finding.CodeVulnerability || f.Class != "high-impact" || f.Commit == nil || f.Commit.SHA != "abc123" {
		t.Errorf("bad classification or commit: %+v", f)
	}
	if len(f.Tags) == 0 || f.Tags[0] != "CWE-89" || f.Fix == "" || f.Confidence != finding.High {
		t.Errorf("missing metadata: %+v", f)
	}

	// The commit only touched the cursor line: the sink is not new.
	fs, err = d.Detect(ctx, diffFragment("app/db.py", builtQuery, 4))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Fatalf("unchanged sink reported: %+v", fs)
	}

	// Nothing in the added text names a sink: the file is not even parsed,
	// and the loader is never called.
	frag := detect.NewDiffFragment("app/db.py", detect.StageHistory, nil, "x = 1", []int{1},
		func() (string, error) { t.Fatal("whole file loaded without a keyword"); return "", nil })
	if fs, _ := d.Detect(ctx, frag); len(fs) != 0 {
		t.Fatalf("unexpected findings %+v", fs)
	}
}

func TestMultiLineSinkReportedWhenArgumentChanged(t *testing.T) {
	src := strings.Join([]string{
		"def f(cur, uid):",
		"    cur.execute(",
		`        "SELECT * FROM t WHERE id = " + uid`,
		"    )",
	}, "\n")
	d := newDetector(t, config.Code{})
	fs, err := d.Detect(context.Background(), diffFragment("a.py", src, 3))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].StartLine != 2 || fs[0].EndLine != 4 {
		t.Fatalf("want the call at lines 2-4, got %+v", fs)
	}
}

func TestExcerptHidesStringLiterals(t *testing.T) {
	secret := "hunter" + "2-very-long-value"
	line := `    requests.get("https://api.internal/` + secret + `", verify=False, headers={"X": "ab"})`
	got := excerpt(line)
	if strings.Contains(got, secret) || strings.Contains(got, "api.internal") {
		t.Fatalf("excerpt leaks a literal: %q", got)
	}
	if !strings.Contains(got, `verify=False`) || !strings.Contains(got, `"ab"`) || strings.HasPrefix(got, " ") {
		t.Fatalf("excerpt lost the code: %q", got)
	}
	long := excerpt("x = f(" + strings.Repeat("a, ", 60) + ")")
	if n := len([]rune(long)); n > maxExcerpt {
		t.Fatalf("excerpt not capped: %d runes", n)
	}
	if excerpt(`s = 'unterminated secret value`) != `s = '…` {
		t.Fatalf("unterminated literal leaked: %q", excerpt(`s = 'unterminated secret value`))
	}
}

func TestFingerprintIgnoresIndentation(t *testing.T) {
	d := newDetector(t, config.Code{})
	a := "def f(c, u):\n    c.execute(\"SELECT \" + u)\n"
	b := "def f(c, v):\n\tif True:\n\t\tc.execute(\"SELECT \" + v)\n"
	fa, _ := d.Detect(context.Background(), detect.NewTreeFragment("x.py", a))
	fb, _ := d.Detect(context.Background(), detect.NewTreeFragment("x.py", b))
	if len(fa) != 1 || len(fb) != 1 {
		t.Fatalf("want one finding each: %+v %+v", fa, fb)
	}
	if fa[0].Fingerprint == fb[0].Fingerprint {
		t.Fatal("different code gave the same fingerprint")
	}
	c := "def f(c, u):\n    if True:\n        c.execute(\"SELECT \"  +  u)\n"
	fc, _ := d.Detect(context.Background(), detect.NewTreeFragment("x.py", c))
	if len(fc) != 1 || fc[0].Fingerprint != fa[0].Fingerprint {
		t.Fatalf("re-indenting changed the fingerprint")
	}
}

func TestTeamRulesAndDisable(t *testing.T) {
	opts := config.Code{
		Disable: []string{"tls-verification-disabled"},
		Rules: []config.CodeRule{{
			ID: "team-no-legacy-client", Title: "Legacy HTTP client", CWE: "CWE-477", Impact: "low",
			Message: "The legacy client is banned.", Fix: "Use newclient.Get(url) instead.",
			Languages: []string{"python"}, Pattern: `\blegacyclient\.`,
		}, {
			ID: "team-os-exit", Title: "os.Exit in library", CWE: "CWE-705", Impact: "standard",
			Match: []config.CodeMatcher{{Languages: []string{"go"}, Keywords: []string{"os.Exit"},
				Query: `(call_expression function: (selector_expression) @f (#eq? @f "os.Exit")) @sink`}},
		}},
	}
	d := newDetector(t, opts)
	src := "import legacyclient\nr = legacyclient.get(u)\nrequests.get(u, verify=False)\n"
	fs, err := d.Detect(context.Background(), detect.NewTreeFragment("a.py", src))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "team-no-legacy-client" || fs[0].Class != "low-impact" || fs[0].StartLine != 2 {
		t.Fatalf("want only the team rule at line 2, got %+v", fs)
	}
	fs, _ = d.Detect(context.Background(), detect.NewTreeFragment("main.go", "package main\nfunc f() { os.Exit(1) }\n"))
	if len(fs) != 1 || fs[0].RuleID != "team-os-exit" || fs[0].Class != "standard" {
		t.Fatalf("team query rule: %+v", fs)
	}
	ids := map[string]bool{}
	for _, r := range d.Rules() {
		ids[r.ID] = true
	}
	if ids["tls-verification-disabled"] || !ids["team-os-exit"] || !ids["sql-injection"] {
		t.Fatalf("active rules wrong: %v", ids)
	}
}

func TestBadTeamRules(t *testing.T) {
	cases := map[string]config.CodeRule{
		"bad regular expression": {ID: "team-a", Languages: []string{"python"}, Pattern: "(unclosed"},
		"bad query": {ID: "team-b", Match: []config.CodeMatcher{{Languages: []string{"python"}, Keywords: []string{"x"},
			Query: "(no_such_node) @sink"}}},
		"unknown predicate": {ID: "team-c", Match: []config.CodeMatcher{{Languages: []string{"python"}, Keywords: []string{"x"},
			Query: "((identifier) @x (#typo? @x)) @sink"}}},
		"unknown language": {ID: "team-d", Languages: []string{"cobol"}, Pattern: "x"},
		"bad impact":       {ID: "team-e", Languages: []string{"python"}, Pattern: "x", Impact: "huge"},
		"query on regex-only language": {ID: "team-f", Match: []config.CodeMatcher{{Languages: []string{"php"}, Keywords: []string{"x"},
			Query: "(identifier) @sink"}}},
		"bad cwe": {ID: "team-g", Languages: []string{"python"}, Pattern: "x", CWE: "89"},
		"bad trigger": {ID: "team-h", Match: []config.CodeMatcher{{Languages: []string{"python"}, Keywords: []string{"x"},
			Query: "(identifier) @sink", Trigger: "(unclosed"}}},
		"trigger on a line pattern": {ID: "team-i", Match: []config.CodeMatcher{{Languages: []string{"python"},
			Pattern: "x", Trigger: "x"}}},
	}
	for name, r := range cases {
		_, err := New(config.Code{Rules: []config.CodeRule{r}})
		if err == nil || !strings.Contains(err.Error(), r.ID) {
			t.Errorf("%s: want an error naming %s, got %v", name, r.ID, err)
		}
	}
	if _, err := New(config.Code{Disable: []string{"no-such-rule"}}); err == nil {
		t.Error("unknown rule id in disable accepted")
	}
}

func TestUnknownFilesAndKubernetesGate(t *testing.T) {
	d := newDetector(t, config.Code{})
	pod := "securityContext:\n  privileged: true\n"
	for _, p := range []string{"README.md", "notes.txt", "rules/x.yml"} {
		fs, err := d.Detect(context.Background(), detect.NewTreeFragment(p, pod))
		if err != nil || len(fs) != 0 {
			t.Errorf("%s: want nothing, got %+v %v", p, fs, err)
		}
	}
	fs, _ := d.Detect(context.Background(), detect.NewTreeFragment("k8s/pod.yaml", "apiVersion: v1\nkind: Pod\n"+pod))
	if len(fs) != 1 || fs[0].StartLine != 4 {
		t.Fatalf("manifest: %+v", fs)
	}
	fs, _ = d.Detect(context.Background(), detect.NewTreeFragment("bin/deploy", "#!/bin/bash\ncurl -s https://x.example | bash\n"))
	if len(fs) != 1 || fs[0].RuleID != "curl-pipe-shell" {
		t.Fatalf("shebang script: %+v", fs)
	}
}

func TestConcurrentDetect(t *testing.T) {
	d := newDetector(t, config.Code{})
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				fs, err := d.Detect(context.Background(), detect.NewTreeFragment("a.py", builtQuery))
				if err != nil || len(fs) != 1 {
					errs <- "bad result"
					return
				}
			}
			_ = i
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestWindowsInLongClasses checks sinks deep inside long classes, where a
// window starts at the method rather than the class, and values assigned
// at file level far from the sink.
func TestWindowsInLongClasses(t *testing.T) {
	d := newDetector(t, config.Code{})
	var java, py strings.Builder
	java.WriteString("package a;\n\npublic class Repo {\n")
	py.WriteString("import sqlite3\n\nlimit_clause = \" LIMIT 10\"\n\n\nclass Repo:\n")
	for i := range 80 {
		fmt.Fprintf(&java, "  int f%d(int x) {\n    return x * %d;\n  }\n\n", i, i)
		fmt.Fprintf(&py, "    def f%d(self, x):\n        return x * %d\n\n", i, i)
	}
	javaSink := len(strings.Split(java.String(), "\n")) + 3
	java.WriteString("  @Override\n  List<User> find(Connection conn, String name) throws SQLException {\n" +
		"    String sql = \"SELECT * FROM users WHERE name = '\" + name + \"'\";\n" +
		"    return map(conn.createStatement().executeQuery(sql));\n  }\n\n" +
		"  List<User> all(Connection conn) throws SQLException {\n" +
		"    return map(conn.createStatement().executeQuery(\"SELECT * FROM users\"));\n  }\n}\n")
	pySink := len(strings.Split(py.String(), "\n")) + 2
	py.WriteString("    def find(self, cur, name):\n        q = \"SELECT * FROM users WHERE name = '\" + name + \"'\"\n" +
		"        cur.execute(q)\n\n    def first(self, cur):\n        cur.execute(\"SELECT * FROM users\" + limit_clause)\n")
	for _, tc := range []struct {
		path, src string
		sink      int
	}{{"src/Repo.java", java.String(), javaSink}, {"app/repo.py", py.String(), pySink}} {
		lines := strings.Count(tc.src, "\n")
		var all []int
		for l := range lines {
			all = append(all, l+1)
		}
		for _, frag := range []*detect.Fragment{
			detect.NewTreeFragment(tc.path, tc.src),
			diffFragment(tc.path, tc.src, tc.sink),
			diffFragment(tc.path, tc.src, all[lines-3:]...),
		} {
			fs, err := d.Detect(context.Background(), frag)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, f := range fs {
				got = append(got, f.StartLine)
			}
			want := []int{tc.sink}
			if frag.AddedLines() != nil && frag.AddedLines()[0] != tc.sink {
				want = nil // the diff touched only the safe method
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s (added %v): findings at %v, want %v", tc.path, frag.AddedLines() != nil, got, want)
			}
		}
	}
}

// TestLineTaintAcrossUnchangedLines follows request input from a variable
// assigned on an unchanged line to a sink the commit adds, in a language
// matched line by line, and reports only the added line.
func TestLineTaintAcrossUnchangedLines(t *testing.T) {
	d := newDetector(t, config.Code{})
	src := "<?php\n$page = $_GET['page'];\n$title = 'Home';\ninclude('pages/' . $page . '.php');\necho $title;\n"
	fs, err := d.Detect(context.Background(), diffFragment("web/index.php", src, 4, 5))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "path-traversal" || fs[0].StartLine != 4 {
		t.Fatalf("want path-traversal at line 4, got %+v", fs)
	}
	if strings.Contains(fs[0].Redacted, "REQUEST") {
		t.Errorf("excerpt shows the substituted line: %q", fs[0].Redacted)
	}
	fs, _ = d.Detect(context.Background(), diffFragment("web/index.php", src, 2))
	if len(fs) != 0 {
		t.Fatalf("assignment alone reported: %+v", fs)
	}
}

// TestGeneratedFilesSkipped checks vendored, generated and minified files
// are skipped unless asked for.
func TestGeneratedFilesSkipped(t *testing.T) {
	sink := "def f(cur, u):\n    cur.execute(\"SELECT \" + u)\n"
	minified := "var a=1;" + strings.Repeat("function q(b){return b+1}", 60) + "eval(x);\n"
	cases := map[string]string{
		"vendor/github.com/x/db.py":       sink,
		"web/node_modules/lib/index.js":   "exec('ls ' + dir);\n",
		"third_party/pkg/db.py":           sink,
		"static/app.min.js":               "eval(x);\n",
		"static/app.js":                   minified,
		"api/service.pb.go":               "package api\nfunc f(db *sql.DB, n string) { db.Query(\"SELECT \" + n) }\n",
		"gen/models.py":                   "# Code generated by sqlc. DO NOT EDIT.\n" + sink,
		"app/migrations/0001_initial.py0": sink, // not a Python file at all
	}
	for _, include := range []bool{false, true} {
		d := newDetector(t, config.Code{})
		d.IncludeGenerated = include
		for p, src := range cases {
			fs, err := d.Detect(context.Background(), detect.NewTreeFragment(p, src))
			if err != nil {
				t.Fatal(err)
			}
			want := include && !strings.HasSuffix(p, "0")
			if (len(fs) > 0) != want {
				t.Errorf("%s (include generated %v): %d findings", p, include, len(fs))
			}
		}
	}
}

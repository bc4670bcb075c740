package code

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// snippetPaths names a file of each language for running rule snippets.
var snippetPaths = map[string]string{
	"python": "app/snippet.py", "javascript": "web/snippet.js", "typescript": "web/snippet.ts", "tsx": "web/snippet.tsx",
	"go": "svc/snippet.go", "java": "src/Snippet.java", "csharp": "src/Snippet.cs", "php": "web/snippet.php",
	"ruby": "app/snippet.rb", "shell": "scripts/snippet.sh", "dockerfile": "Dockerfile",
	"kubernetes": "deploy/snippet.yaml", "compose": "docker-compose.yml", "terraform": "infra/snippet.tf",
	"html": "templates/snippet.html",
}

func newDetector(t testing.TB, opts config.Code) *Detector {
	t.Helper()
	d, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ruleHits(t *testing.T, d *Detector, lang, src, id string) bool {
	t.Helper()
	p, ok := snippetPaths[lang]
	if !ok {
		t.Fatalf("no snippet path for language %q", lang)
	}
	fs, err := d.Detect(context.Background(), detect.NewTreeFragment(p, src))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestRuleSnippets runs every built-in rule's own positive and negative
// snippets: each positive must be found, each negative must not be.
func TestRuleSnippets(t *testing.T) {
	rs, err := builtins()
	if err != nil {
		t.Fatal(err)
	}
	d := newDetector(t, config.Code{})
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			covered := map[string]bool{}
			for _, tc := range r.tests {
				covered[tc.Language] = len(tc.Positive) > 0 && len(tc.Negative) > 0
				for i, src := range tc.Positive {
					if !ruleHits(t, d, tc.Language, src, r.ID) {
						t.Errorf("%s positive %d not found:\n%s", tc.Language, i, src)
					}
				}
				for i, src := range tc.Negative {
					if ruleHits(t, d, tc.Language, src, r.ID) {
						t.Errorf("%s negative %d reported:\n%s", tc.Language, i, src)
					}
				}
			}
			for _, l := range r.Languages {
				if !covered[l] {
					t.Errorf("language %s has no positive and negative snippets", l)
				}
			}
		})
	}
}

// TestBuiltinQueriesCompile compiles every built-in query for every grammar
// it names, which scans compile only on first use.
func TestBuiltinQueriesCompile(t *testing.T) {
	rs, err := builtins()
	if err != nil {
		t.Fatal(err)
	}
	if err := compileAll(rs); err != nil {
		t.Fatal(err)
	}
}

// TestRuleMetadata checks every built-in rule carries what reports need.
func TestRuleMetadata(t *testing.T) {
	for _, r := range Rules() {
		if r.Title == "" || r.Message == "" || len(r.CWE) == 0 || r.Class == "" || len(r.Languages) == 0 {
			t.Errorf("rule %s lacks metadata: %+v", r.ID, r)
		}
		if !strings.Contains(r.Fix, "(") && !strings.Contains(r.Fix, ":") && !strings.Contains(r.Fix, "=") {
			t.Errorf("rule %s: fix has no safe example: %q", r.ID, r.Fix)
		}
	}
}

func TestTopLevelPatterns(t *testing.T) {
	cases := map[string]int{
		`(call) @a`: 1,
		"(a (b) @x (#match? @x \"(\"))\n; (comment)\n[(c) (d)] @e": 2,
		`((identifier) @x (#eq? @x "]"))`:                          1,
	}
	for src, want := range cases {
		if got := topLevelPatterns(src); got != want {
			t.Errorf("%q: %d patterns, want %d", src, got, want)
		}
	}
}

// filler returns n lines of harmless functions in lang, so that a snippet
// placed among them sits in a file too large to be parsed whole.
func filler(lang string, n int) string {
	forms := map[string]string{
		"python":     "def helper_%d(x):\n    return x * %d\n\n",
		"javascript": "function helper%d(x) {\n  return x * %d;\n}\n",
		"typescript": "function helper%d(x: number): number {\n  return x * %d;\n}\n",
		"tsx":        "function helper%d(x: number): number {\n  return x * %d;\n}\n",
		"go":         "func helper%d(x int) int {\n\treturn x * %d\n}\n",
		"java":       "class Helper%d {\n  int f(int x) { return x * %d; }\n}\n",
	}
	var b strings.Builder
	for i := 0; i < n/3; i++ {
		fmt.Fprintf(&b, forms[lang], i, i)
	}
	return b.String()
}

// TestRuleSnippetsInLargeFiles runs the structural rules' snippets placed in
// the middle of large files, which are parsed in windows around their sink
// keywords rather than whole, as a tree scan and as a diff adding the
// snippet.
func TestRuleSnippetsInLargeFiles(t *testing.T) {
	rs, err := builtins()
	if err != nil {
		t.Fatal(err)
	}
	d := newDetector(t, config.Code{})
	for _, r := range rs {
		for _, tc := range r.tests {
			if len(grammars[tc.Language]) == 0 {
				continue
			}
			check := func(src string, want bool, kind string, i int) {
				before := filler(tc.Language, 2*wholeFileLines)
				whole := before + src + filler(tc.Language, 2*wholeFileLines)
				first := strings.Count(before, "\n") + 1
				var added []int
				for l := range strings.Count(strings.TrimSuffix(src, "\n"), "\n") + 1 {
					added = append(added, first+l)
				}
				p := snippetPaths[tc.Language]
				for _, frag := range []*detect.Fragment{detect.NewTreeFragment(p, whole), diffFragment(p, whole, added...)} {
					fs, err := d.Detect(context.Background(), frag)
					if err != nil {
						t.Fatal(err)
					}
					got := false
					for _, f := range fs {
						got = got || f.RuleID == r.ID
						if f.StartLine < first || f.StartLine > added[len(added)-1] {
							t.Errorf("%s %s %s %d: finding outside the snippet at line %d", r.ID, tc.Language, kind, i, f.StartLine)
						}
					}
					if got != want {
						t.Errorf("%s %s %s %d (diff %v): found %v, want %v:\n%s", r.ID, tc.Language, kind, i, frag.AddedLines() != nil, got, want, src)
					}
				}
			}
			for i, src := range tc.Positive {
				check(src, true, "positive", i)
			}
			for i, src := range tc.Negative {
				check(src, false, "negative", i)
			}
		}
	}
}

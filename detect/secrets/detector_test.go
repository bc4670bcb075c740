package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// gitleaks' own loader drops the default rules the third time an extending
// config is loaded in one process.
func TestExtendingConfigKeepsDefaultsWhenLoadedRepeatedly(t *testing.T) {
	g := newGen(10)
	cfgPath := writeFile(t, t.TempDir(), ".gitleaks.toml", `
[extend]
useDefault = true

[[rules]]
id = "team-internal-token"
regex = '''\binttok_[a-z0-9]{24}\b'''
keywords = ["inttok_"]
`)
	text := "aws_key = \"" + g.awsKeyID() + "\"\nteam = \"inttok_" + g.s(lower+digits, 24) + "\"\n"
	for i := 0; i < 4; i++ {
		d, err := New(Options{GitleaksConfig: cfgPath})
		if err != nil {
			t.Fatal(err)
		}
		fs := scan(t, d, "deploy.py", text)
		if !hasRule(fs, "aws-access-token") || !hasRule(fs, "team-internal-token") {
			t.Fatalf("load %d: got %v, want the default AWS rule and the team rule", i+1, rulesOf(fs))
		}
	}
}

func TestBadRegexIsAnErrorNamingTheFile(t *testing.T) {
	cfgPath := writeFile(t, t.TempDir(), ".gitleaks.toml", `
[[rules]]
id = "broken"
regex = '''([a-z'''
keywords = ["x"]
`)
	_, err := New(Options{GitleaksConfig: cfgPath})
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), cfgPath) {
		t.Fatalf("got %v, want a ConfigError naming %s", err, cfgPath)
	}
}

func TestDisabledRules(t *testing.T) {
	g := newGen(11)
	cfgPath := writeFile(t, t.TempDir(), ".gitleaks.toml", "[extend]\nuseDefault = true\ndisabledRules = [\"aws-access-token\"]\n")
	d, err := New(Options{GitleaksConfig: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	if fs := scan(t, d, "a.py", "k = \""+g.awsKeyID()+"\"\n"); hasRule(fs, "aws-access-token") {
		t.Error("disabled rule still reported")
	}
}

func TestGitleaksAllowComment(t *testing.T) {
	g := newGen(12)
	tok := "ghp_" + g.s(alnum, 36)
	d := defaultDetector(t)
	if fs := scan(t, d, "a.py", "t = \""+tok+"\"  # gitleaks:allow\n"); len(fs) != 0 {
		t.Errorf("gitleaks:allow line reported: %v", rulesOf(fs))
	}
	if fs := scan(t, d, "a.py", "t = \""+tok+"\"\n"); !hasRule(fs, "github-pat") {
		t.Errorf("same line without the comment not reported: %v", rulesOf(fs))
	}
}

func TestGitleaksIgnoreEntries(t *testing.T) {
	g := newGen(13)
	tok := "ghp_" + g.s(alnum, 36)
	sha := strings.Repeat("ab12", 10)
	ignore := writeFile(t, t.TempDir(), ".gitleaksignore", "# accepted\nsrc/a.py:github-pat:2\n"+sha+":src/b.py:github-pat:1\n")
	d, err := New(Options{GitleaksIgnore: ignore})
	if err != nil {
		t.Fatal(err)
	}
	text := "x = 1\nt = \"" + tok + "\"\n"
	if fs := scan(t, d, "src/a.py", text); hasRule(fs, "github-pat") {
		t.Error("file:rule:line entry did not suppress")
	}
	if fs := scan(t, d, "src/c.py", text); !hasRule(fs, "github-pat") {
		t.Error("entry suppressed another file")
	}
	commit := &finding.Commit{SHA: sha}
	frag := detect.NewDiffFragment("src/b.py", detect.StageHistory, commit, "t = \""+tok+"\"", []int{1}, nil)
	fs, err := d.Detect(context.Background(), frag)
	if err != nil {
		t.Fatal(err)
	}
	if hasRule(fs, "github-pat") {
		t.Error("commit:file:rule:line entry did not suppress")
	}
	other := detect.NewDiffFragment("src/b.py", detect.StageHistory, &finding.Commit{SHA: strings.Repeat("cd34", 10)}, "t = \""+tok+"\"", []int{1}, nil)
	if fs, _ := d.Detect(context.Background(), other); !hasRule(fs, "github-pat") {
		t.Error("commit entry suppressed another commit")
	}
}

func TestLineNumbersAreFileLines(t *testing.T) {
	g := newGen(14)
	tok := "ghp_" + g.s(alnum, 36)
	d := defaultDetector(t)
	check := func(name string, frag *detect.Fragment, want int) {
		t.Helper()
		fs, err := d.Detect(context.Background(), frag)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].StartLine != want || fs[0].EndLine != want {
			t.Errorf("%s: got %v at %v, want one finding on line %d", name, rulesOf(fs), lines(fs), want)
		}
	}
	check("first line", detect.NewTreeFragment("a.py", "t = \""+tok+"\"\nx = 1\n"), 1)
	check("third line", detect.NewTreeFragment("a.py", "a = 1\nb = 2\nt = \""+tok+"\"\n"), 3)
	check("last line, no newline", detect.NewTreeFragment("a.py", "a = 1\nt = \""+tok+"\""), 2)
	check("diff line map", detect.NewDiffFragment("a.py", detect.StageHistory, &finding.Commit{SHA: "c1"}, "a = 1\nt = \""+tok+"\"\nb = 2", []int{40, 41, 57}, nil), 41)
}

func lines(fs []finding.Finding) []int {
	var out []int
	for _, f := range fs {
		out = append(out, f.StartLine)
	}
	return out
}

func TestFindingsNeverCarryTheSecret(t *testing.T) {
	d := defaultDetector(t)
	for _, c := range ruleCases(newGen(15)) {
		for _, f := range scan(t, d, c.path, c.pos) {
			assertSafe(t, f)
			if f.Fingerprint == "" || f.Category != finding.CredentialLeak {
				t.Errorf("%s: missing fingerprint or category", f.RuleID)
			}
		}
	}
}

func TestConcurrentDetect(t *testing.T) {
	d := defaultDetector(t)
	cases := ruleCases(newGen(16))
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(cases); i += 4 {
				c := cases[i%len(cases)]
				fs, err := d.Detect(context.Background(), detect.NewTreeFragment(c.path, c.pos))
				if err != nil || !hasRule(fs, c.rule) {
					errs <- c.rule
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for r := range errs {
		t.Errorf("concurrent detect missed %s", r)
	}
}

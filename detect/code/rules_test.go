package code

import (
	"context"
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

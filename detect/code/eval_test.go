package code

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// evalSample is one labelled sample of testdata/eval: Bad code must yield a
// finding of Rule, Good code (safe, but close to a vulnerable form) must
// yield no finding at all.
type evalSample struct {
	Rule string `yaml:"rule"`
	Bad  string `yaml:"bad"`
	Good string `yaml:"good"`
	// Path overrides the language's file name (a .tsx component).
	Path string `yaml:"path"`
}

// evalPaths names a file for each evaluation language.
var evalPaths = map[string]string{
	"python": "app/views.py", "javascript": "src/server.js", "typescript": "src/api.ts", "go": "internal/api/handler.go",
	"java": "src/main/java/com/example/Service.java", "csharp": "Controllers/ApiController.cs", "php": "public/index.php",
	"ruby": "app/controllers/items_controller.rb", "shell": "scripts/deploy.sh", "dockerfile": "Dockerfile",
	"kubernetes": "deploy/app.yaml", "terraform": "infra/main.tf",
}

type score struct{ tp, fn, fp, tn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestEvaluationCorpus scores the detector on a labelled corpus written
// apart from the rules' own snippets: the handlers, scripts and manifests
// assistants write, each vulnerable form next to a safe one that differs
// little. It reports precision and recall per language and fails below the
// targets.
func TestEvaluationCorpus(t *testing.T) {
	scoreCorpus(t, "testdata/eval/*.yml", 120)
}

// TestHeldoutCorpus scores a second corpus written by someone other than
// the rules' author, after the rules were tuned, in the style of the
// external suites (CyberSecEval completions, OWASP Benchmark servlets,
// bandit/gosec/semgrep cases): the tuned corpus alone overstates the
// scores.
func TestHeldoutCorpus(t *testing.T) {
	scoreCorpus(t, "testdata/heldout/*.yml", 80)
}

// scoreCorpus runs the detector over every sample of the files matching
// glob, logs precision and recall per language and overall, and fails
// below the targets or with fewer than minSamples samples of either label.
func scoreCorpus(t *testing.T, glob string, minSamples int) {
	t.Helper()
	d := newDetector(t, config.Code{})
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus %s: %v", glob, err)
	}
	known := map[string]bool{}
	for _, r := range d.Rules() {
		known[r.ID] = true
	}
	total := score{}
	per := map[string]score{}
	for _, file := range files {
		lang := strings.TrimSuffix(filepath.Base(file), ".yml")
		p, ok := evalPaths[lang]
		if !ok {
			t.Fatalf("%s: no path for language %s", file, lang)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var samples []evalSample
		if err := yaml.Unmarshal(data, &samples); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		s := per[lang]
		for i, smp := range samples {
			if !known[smp.Rule] || (smp.Bad == "") == (smp.Good == "") {
				t.Fatalf("%s sample %d: needs a known rule and exactly one of bad and good", file, i)
			}
			src, path := smp.Bad+smp.Good, p
			if smp.Path != "" {
				path = smp.Path
			}
			fs, err := d.Detect(context.Background(), detect.NewTreeFragment(path, src))
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			hit := false
			for _, f := range fs {
				rules = append(rules, f.RuleID)
				hit = hit || f.RuleID == smp.Rule
			}
			sort.Strings(rules)
			switch {
			case smp.Bad != "" && hit:
				s.tp++
			case smp.Bad != "":
				s.fn++
				t.Logf("MISS %s #%d %s (found %v):\n%s", lang, i, smp.Rule, rules, src)
			case len(fs) > 0:
				s.fp++
				t.Logf("FALSE ALARM %s #%d %s (found %v):\n%s", lang, i, smp.Rule, rules, src)
			default:
				s.tn++
			}
		}
		per[lang] = s
		total.tp, total.fn, total.fp, total.tn = total.tp+s.tp, total.fn+s.fn, total.fp+s.fp, total.tn+s.tn
	}
	langs := make([]string, 0, len(per))
	for l := range per {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		s := per[l]
		t.Logf("%-10s vulnerable %3d  safe %3d  precision %.2f  recall %.2f", l, s.tp+s.fn, s.fp+s.tn, s.precision(), s.recall())
	}
	t.Logf("%-10s vulnerable %3d  safe %3d  precision %.2f  recall %.2f", "overall", total.tp+total.fn, total.fp+total.tn, total.precision(), total.recall())
	if total.tp+total.fn < minSamples || total.fp+total.tn < minSamples {
		t.Errorf("corpus too small: %d vulnerable, %d safe samples (want %d each)", total.tp+total.fn, total.fp+total.tn, minSamples)
	}
	if total.precision() < 0.90 || total.recall() < 0.85 {
		t.Errorf("precision %.2f (want >= 0.90), recall %.2f (want >= 0.85)", total.precision(), total.recall())
	}
}

package secrets

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestHeldoutGitleaksAnchor scores the gitleaks CLI on the held-out corpus,
// the anchor aiguard must beat. It needs the CLI, built with
//
//	GOBIN=/tmp/glbin go install -tags gore2regex github.com/zricethezav/gitleaks/v8@v8.30.1
//
// and named by AIGUARD_GITLEAKS=/tmp/glbin/gitleaks; without it the test is
// skipped (TestHeldoutCorpus scores aiguard alone and always runs).
func TestHeldoutGitleaksAnchor(t *testing.T) {
	bin := os.Getenv("AIGUARD_GITLEAKS")
	if bin == "" {
		t.Skip("AIGUARD_GITLEAKS is not set to a gitleaks v8.30.1 binary")
	}
	files := buildHeldout(2026, 3)
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.text()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The report goes to its own directory: gitleaks deletes the report
	// path before writing it.
	report := filepath.Join(t.TempDir(), "gitleaks.json")
	cmd := exec.Command(bin, "dir", ".", "--no-banner", "--exit-code", "0", "--report-format", "json", "--report-path", report)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gitleaks: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		RuleID    string
		File      string
		StartLine int
	}
	if err := json.Unmarshal(raw, &results); err != nil {
		t.Fatal(err)
	}
	byFile := map[string]map[int]string{}
	for _, r := range results {
		p := filepath.ToSlash(r.File)
		if byFile[p] == nil {
			byFile[p] = map[int]string{}
		}
		byFile[p][r.StartLine] = r.RuleID
	}
	gl := newScore()
	ours := newScore()
	d := defaultDetector(t)
	for _, f := range files {
		gl.add(f, byFile[f.path])
		found := map[int]string{}
		for _, fd := range scan(t, d, f.path, f.text()) {
			found[fd.StartLine] = fd.RuleID
		}
		ours.add(f, found)
	}
	gl.report(t, "gitleaks")
	ours.report(t, "aiguard")
	if ours.precision() < gl.precision() || ours.recall() < gl.recall() {
		t.Errorf("aiguard (P %.3f R %.3f) is not above gitleaks (P %.3f R %.3f) on the held-out corpus",
			ours.precision(), ours.recall(), gl.precision(), gl.recall())
	}
}

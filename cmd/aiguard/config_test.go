package main_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

func TestBaselineAndAllowlistSuppressReviewedFindings(t *testing.T) {
	fk := testkit.NewFakes(30)
	r := testkit.NewRepo(t)
	old := fk.GitHubPAT()
	r.Write("legacy/old.env", "GITHUB_TOKEN="+old+"\n")
	r.Write("fixtures/sample.env", "AWS_ACCESS_KEY_ID="+fk.AWSKeyID()+"\n")
	r.Commit("legacy")

	// Accept today's findings as a baseline and allowlist the fixtures.
	first := testkit.Run(t, r.Dir, nil, "scan", "--dir", ".", "--json", filepath.Join(r.Dir, ".aiguard-baseline.json"), "--format", "json")
	if first.Code != 1 || len(jsonReport(t, first).Findings) != 2 {
		t.Fatalf("setup scan: exit %d, %s", first.Code, first.Stderr)
	}
	r.Write(".aiguard.yml", "baseline: .aiguard-baseline.json\nallowlist:\n  paths: ['^fixtures/']\n")
	if res := testkit.Run(t, r.Dir, nil, "scan", "--dir", "."); res.Code != 0 {
		t.Fatalf("baselined findings still block: exit %d\n%s", res.Code, res.Stdout)
	}

	// A new secret is still reported, and the summary counts what was suppressed.
	r.Write("app/new.env", "SLACK_TOKEN="+fk.SlackBot()+"\n")
	res := testkit.Run(t, r.Dir, nil, "scan", "--dir", ".", "--format", "json")
	rep := jsonReport(t, res)
	if res.Code != 1 || len(rep.Findings) != 1 || rep.Findings[0].Path != "app/new.env" {
		t.Errorf("new finding: exit %d, findings %+v", res.Code, rep.Findings)
	}
	if rep.Summary.Suppressed < 1 {
		t.Errorf("suppressed count %d", rep.Summary.Suppressed)
	}

	// A missing baseline is a configuration error, not a silent pass.
	if err := os.Remove(filepath.Join(r.Dir, ".aiguard-baseline.json")); err != nil {
		t.Fatal(err)
	}
	if res := testkit.Run(t, r.Dir, nil, "scan", "--dir", "."); res.Code != 2 {
		t.Errorf("missing baseline: exit %d, want 2\n%s", res.Code, res.Stderr)
	}
}

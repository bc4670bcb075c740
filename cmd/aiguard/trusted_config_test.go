package main_test

import (
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// The base commit's configuration is what a pull request is scanned with:
// its reviewed allowlist still applies, while the pull request's own edits
// to it do not (TestPullRequestCannotSwitchOffItsOwnScan).
func TestPullRequestUsesTheBaseCommitsConfiguration(t *testing.T) {
	fk := testkit.NewFakes(907)
	r := testkit.NewRepo(t)
	r.Write(".aiguard.yml", "allowlist:\n  paths: ['^fixtures/']\n")
	base := r.Commit("base with a reviewed allowlist")
	r.Write("fixtures/sample.env", "AWS_ACCESS_KEY_ID="+fk.AWSKeyID()+"\n")
	head := r.Commit("add a fixture")
	if run := runAction(t, r.Dir, prEvent(1, base, head), "AIGUARD_CREATE_ISSUES=false"); run.Code != 0 {
		t.Errorf("finding under the base's allowlisted path: exit %d, want 0\n%s", run.Code, run.Stdout)
	}
	r.Write("src/app.env", "AWS_ACCESS_KEY_ID="+fk.AWSKeyID()+"\n")
	head = r.Commit("a real one")
	if run := runAction(t, r.Dir, prEvent(1, base, head), "AIGUARD_CREATE_ISSUES=false"); run.Code != 1 {
		t.Errorf("finding outside the allowlist: exit %d, want 1", run.Code)
	}
}

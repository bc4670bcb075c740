package main_test

import (
	"strings"
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// A credential pasted into a commit message is found, and the subject that
// carries it is never quoted in the outputs.
func TestCommitMessagesAreScannedAndNotQuoted(t *testing.T) {
	fk := testkit.NewFakes(31)
	r := testkit.NewRepo(t)
	r.Write("a.txt", "a\n")
	base := r.Commit("base")
	token := fk.GitHubPAT()
	r.Write("b.txt", "b\n")
	sha := r.Commit("use token " + token + " for the deploy\n\nDeploy-Token: " + token)
	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--format", "json")
	rep := jsonReport(t, res)
	if res.Code != 1 || len(rep.Findings) == 0 {
		t.Fatalf("token in a commit message not found: exit %d %+v", res.Code, rep.Findings)
	}
	f := rep.Findings[0]
	if f.Path != "(commit message)" || f.Commit == nil || f.Commit.SHA != sha || !strings.Contains(f.Commit.Subject, "withheld") {
		t.Errorf("finding %+v", f)
	}
	testkit.AssertNoLeak(t, "JSON report", res.Output(), token)
}

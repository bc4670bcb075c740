package main_test

import (
	"strings"
	"testing"

	"github.com/aiguard/aiguard/internal/githubtest"
	"github.com/aiguard/aiguard/internal/testkit"
)

func TestCreateIssuesFromTheCommandLine(t *testing.T) {
	fk := testkit.NewFakes(20)
	gh := githubtest.NewServer(t)
	gh.SetToken("test-token", "aiguard-bot")
	r := testkit.NewRepo(t)
	r.Write("a.txt", "a\n")
	base := r.Commit("base")
	key := fk.GitHubPAT()
	r.Write("deploy.env", "GITHUB_TOKEN="+key+"\n")
	r.Commit("deploy settings")
	env := []string{"GITHUB_TOKEN=test-token"}
	args := []string{"scan", "--repo", ".", "--range", base + "..HEAD", "--create-issues", "--github-repo", "acme/claims", "--github-api-url", gh.URL + "/api/v3"}

	first := testkit.Run(t, r.Dir, env, args...)
	if first.Code != 1 {
		t.Fatalf("exit %d, want 1: %s", first.Code, first.Stderr)
	}
	issues := gh.Issues("acme/claims")
	if len(issues) != 1 {
		t.Fatalf("want 1 tracking issue, got %d", len(issues))
	}
	is := issues[0]
	if !strings.HasPrefix(is.Title, "[P1] AI Engineering Lab Security Incident - AIENG-") || !strings.Contains(first.Stdout, "AIENG-") {
		t.Errorf("title %q / stdout lacks the incident ID:\n%s", is.Title, first.Stdout)
	}
	if !strings.Contains(is.Body, "- [ ] Rotate affected credentials immediately") {
		t.Errorf("issue body lacks the containment checklist:\n%s", is.Body)
	}

	// A rerun of the same scan updates the incident instead of opening another.
	second := testkit.Run(t, r.Dir, env, args...)
	if second.Code != 1 {
		t.Fatalf("rerun exit %d: %s", second.Code, second.Stderr)
	}
	if n := len(gh.Issues("acme/claims")); n != 1 {
		t.Errorf("rerun opened a duplicate: %d issues", n)
	}
	var sent strings.Builder
	for _, req := range gh.Requests() {
		sent.WriteString(req.Path + "?" + req.Query + "\n" + req.Body + "\n")
	}
	testkit.AssertNoLeak(t, "requests to GitHub", sent.String(), key)
	testkit.AssertNoLeak(t, "output", first.Output()+second.Output(), key)
}

func TestGitHubFailureStillWritesAndBlocks(t *testing.T) {
	fk := testkit.NewFakes(21)
	gh := githubtest.NewServer(t)
	gh.SetToken("ro-token", "fork-user")
	gh.SetReadOnly("ro-token")
	dir := t.TempDir()
	r := testkit.NewRepo(t)
	r.Write("k.env", "GITHUB_TOKEN="+fk.GitHubPAT()+"\n")
	r.Commit("k")
	sarif := dir + "/out.sarif"
	res := testkit.Run(t, r.Dir, []string{"GITHUB_TOKEN=ro-token"}, "scan", "--repo", ".", "--create-issues",
		"--github-repo", "acme/claims", "--github-api-url", gh.URL, "--sarif", sarif)
	if res.Code != 3 {
		t.Errorf("exit %d, want 3 (GitHub refused, pipeline still blocked)", res.Code)
	}
	if !strings.Contains(res.Stderr, "403") {
		t.Errorf("error does not explain the refusal: %s", res.Stderr)
	}
	if !strings.Contains(res.Stdout, "k.env:1") {
		t.Errorf("findings not reported when GitHub failed:\n%s", res.Stdout)
	}
	if data := readFile(t, sarif); !strings.Contains(data, "github-pat") {
		t.Errorf("SARIF not written when GitHub failed")
	}
}

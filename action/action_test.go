package action

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/cli"
	"github.com/aiguard/aiguard/internal/githubtest"
	"github.com/aiguard/aiguard/internal/testkit"
)

// run is one `aiguard action` run in process, with the files the runner
// provides.
type run struct {
	code                    int
	stdout, stderr          string
	summary, outputFile     string
	outputs                 map[string]string
	annotations, errorLines []string
}

func runAction(t *testing.T, workspace, event string, payload any, extra map[string]string) run {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{
		"GITHUB_EVENT_NAME": event, "GITHUB_REPOSITORY": "acme/app", "GITHUB_WORKSPACE": workspace,
		"GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REF": "refs/heads/main",
		"AIGUARD_SARIF_FILE": filepath.Join(dir, "out.sarif"),
	}
	if payload != nil {
		data, ok := payload.([]byte)
		if !ok {
			var err error
			if data, err = json.Marshal(payload); err != nil {
				t.Fatal(err)
			}
		}
		vars["GITHUB_EVENT_PATH"] = filepath.Join(dir, "event.json")
		if err := os.WriteFile(vars["GITHUB_EVENT_PATH"], data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range extra {
		vars[k] = v
	}
	var out, errb bytes.Buffer
	env := &cli.Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	r := run{code: cli.Main(context.Background(), env, []string{"action"}), stdout: out.String(), stderr: errb.String()}
	summary, _ := os.ReadFile(vars["GITHUB_STEP_SUMMARY"])
	outputs, _ := os.ReadFile(vars["GITHUB_OUTPUT"])
	r.summary, r.outputFile = string(summary), string(outputs)
	r.outputs = parseOutputs(t, r.outputFile)
	r.annotations, r.errorLines = commandsOutsideStop(t, r.stdout)
	return r
}

// commandsOutsideStop returns the workflow commands the runner would act
// on, honouring stop-commands, and fails on any command aiguard does not
// issue itself.
func commandsOutsideStop(t *testing.T, stdout string) (annotations, errs []string) {
	t.Helper()
	resume := ""
	for _, line := range strings.Split(stdout, "\n") {
		l := strings.TrimLeft(line, " \t")
		if resume != "" {
			if l == resume {
				resume = ""
			}
			continue
		}
		if !strings.HasPrefix(l, "::") {
			continue
		}
		name, props, _ := parseCommand(t, l)
		switch name {
		case "stop-commands":
			_, token, _ := strings.Cut(l[2:], "::")
			resume = "::" + token + "::"
		case "error", "warning", "notice":
			if props["file"] != "" {
				annotations = append(annotations, l)
			} else {
				errs = append(errs, l)
			}
		default:
			t.Errorf("stdout issues workflow command %q: %q", name, l)
		}
	}
	if resume != "" {
		t.Errorf("stop-commands never resumed")
	}
	return annotations, errs
}

type prRepo struct {
	r          *testkit.Repo
	base, head string
	planted    []string
}

// newPRRepo makes a pull request that adds two credentials, one in a file
// whose name tries to inject workflow commands and markdown.
func newPRRepo(t *testing.T, seed int64) *prRepo {
	fk := testkit.NewFakes(seed)
	p := &prRepo{r: testkit.NewRepo(t)}
	p.r.Write("README.md", "app\n")
	p.base = p.r.Commit("base")
	p.r.Git("checkout", "-q", "-b", "feat")
	aws, pat := fk.AWSKeyID(), fk.GitHubPAT()
	p.planted = []string{aws, pat}
	p.r.Write("deploy.env", "AWS_ACCESS_KEY_ID="+aws+"\n")
	p.r.Write("::set-output name=x::y @admin <b>.env", "GITHUB_TOKEN="+pat+"\n")
	p.head = p.r.Commit("deploy settings")
	p.r.Git("checkout", "-q", "main")
	return p
}

func prPayload(p *prRepo, number int, headRepo string) map[string]any {
	return map[string]any{
		"pull_request": map[string]any{"number": number, "user": map[string]any{"login": "dev"},
			"base": map[string]any{"sha": p.base, "ref": "main", "repo": map[string]any{"full_name": "acme/app"}},
			"head": map[string]any{"sha": p.head, "ref": "feat", "repo": map[string]any{"full_name": headRepo}}},
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"},
	}
}

func assertNoLeak(t *testing.T, r run, gh *githubtest.Server, planted []string) {
	t.Helper()
	testkit.AssertNoLeak(t, "stdout", r.stdout, planted...)
	testkit.AssertNoLeak(t, "stderr", r.stderr, planted...)
	testkit.AssertNoLeak(t, "job summary", r.summary, planted...)
	testkit.AssertNoLeak(t, "outputs", r.outputFile, planted...)
	if gh != nil {
		var sent strings.Builder
		for _, req := range gh.Requests() {
			sent.WriteString(req.Path + "?" + req.Query + "\n" + req.Body + "\n")
		}
		testkit.AssertNoLeak(t, "requests to GitHub", sent.String(), planted...)
	}
}

func TestActionPullRequestOpensIncidentAndBlocks(t *testing.T) {
	p := newPRRepo(t, 61)
	gh := githubtest.NewServer(t)
	gh.SetToken("test-token", "github-actions[bot]")
	pr := gh.AddPullRequest("acme/app", "Add deploy settings", "dev")
	res := runAction(t, p.r.Dir, "pull_request", prPayload(p, pr, "acme/app"), map[string]string{
		"GITHUB_API_URL": gh.URL, "AIGUARD_TOKEN": "test-token", "GITHUB_REF": "refs/pull/7/merge"})
	if res.code != cli.ExitBlocked {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	o := res.outputs
	if o["findings"] != "2" || o["blocked"] != "true" || o["max-severity"] != "P1" || !strings.HasPrefix(o["incident-ids"], "AIENG-") {
		t.Errorf("outputs %q", o)
	}
	if data, err := os.ReadFile(o["sarif-file"]); err != nil || !strings.Contains(string(data), `"github-pat"`) {
		t.Errorf("SARIF %s not written (%v)", o["sarif-file"], err)
	}
	if len(res.annotations) != 2 {
		t.Errorf("want 2 annotations, got %q", res.annotations)
	}
	for _, a := range res.annotations {
		_, props, _ := parseCommand(t, a)
		if props["file"] != "deploy.env" && props["file"] != "::set-output name=x::y @admin <b>.env" {
			t.Errorf("annotation file %q", props["file"])
		}
	}
	issues := gh.Issues("acme/app")
	if len(issues) != 1 || !strings.Contains(issues[0].Title, o["incident-ids"]) {
		t.Fatalf("want one tracking issue for %s, got %+v", o["incident-ids"], issues)
	}
	if !strings.Contains(issues[0].Body, fmt.Sprintf("pull/%d", pr)) {
		t.Errorf("issue body does not link the pull request")
	}
	for _, want := range []string{"## aiguard: ❌ blocked", "| " + strings.ReplaceAll(o["incident-ids"], "-", `\-`) + " | P1 | CL", "/blob/" + p.head + "/deploy.env#L1", "@\u200dadmin &lt;b&gt;"} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.summary)
		}
	}
	planted := p.planted
	for _, is := range issues {
		testkit.AssertNoLeak(t, "issue", is.Title+is.Body, planted...)
	}
	assertNoLeak(t, res, gh, planted)

	// A rerun (a new push to the pull request) updates the same incident.
	again := runAction(t, p.r.Dir, "pull_request", prPayload(p, pr, "acme/app"), map[string]string{
		"GITHUB_API_URL": gh.URL, "AIGUARD_TOKEN": "test-token"})
	if again.code != cli.ExitBlocked || again.outputs["incident-ids"] != o["incident-ids"] || len(gh.Issues("acme/app")) != 1 {
		t.Errorf("rerun: exit %d, ids %q, %d issues", again.code, again.outputs["incident-ids"], len(gh.Issues("acme/app")))
	}
}

func TestActionForkPullRequestStillFails(t *testing.T) {
	p := newPRRepo(t, 62)
	gh := githubtest.NewServer(t)
	gh.SetToken("ro-token", "github-actions[bot]")
	gh.SetReadOnly("ro-token")
	pr := gh.AddPullRequest("acme/app", "Fork change", "mallory")
	res := runAction(t, p.r.Dir, "pull_request", prPayload(p, pr, "mallory/app"), map[string]string{
		"GITHUB_API_URL": gh.URL, "INPUT_TOKEN": "ro-token"})
	if res.code == cli.ExitOK || res.code == cli.ExitUsage {
		t.Fatalf("exit %d, want a failing check", res.code)
	}
	if len(res.annotations) != 2 || res.outputs["blocked"] != "true" {
		t.Errorf("annotations %d, outputs %q", len(res.annotations), res.outputs)
	}
	if !strings.Contains(res.summary, "forks get a read\\-only token") || !strings.Contains(res.summary, "403") {
		t.Errorf("summary does not say why no issue was opened:\n%s", res.summary)
	}
	if strings.Contains(res.stdout+res.stderr+res.summary, "ro-token") {
		t.Errorf("token printed")
	}
	assertNoLeak(t, res, gh, p.planted)
}

func TestActionCleanPushPasses(t *testing.T) {
	h := newHistory(t)
	res := runAction(t, h.r.Dir, "push", map[string]any{"ref": "refs/heads/feat", "before": h.f1, "after": h.f2,
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"}}, map[string]string{"AIGUARD_CREATE_ISSUES": "false"})
	if res.code != cli.ExitOK || res.outputs["blocked"] != "false" || res.outputs["findings"] != "0" {
		t.Fatalf("exit %d, outputs %q\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
	if !strings.Contains(res.summary, "✅ passed") {
		t.Errorf("summary:\n%s", res.summary)
	}
}

func TestActionDeletedBranch(t *testing.T) {
	h := newHistory(t)
	res := runAction(t, h.r.Dir, "push", map[string]any{"ref": "refs/heads/feat", "before": h.f2, "after": zero,
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"}}, nil)
	if res.code != cli.ExitOK || !strings.Contains(res.summary, "nothing to scan") {
		t.Fatalf("exit %d, summary:\n%s", res.code, res.summary)
	}
}

func TestActionBadInputsExitTwo(t *testing.T) {
	h := newHistory(t)
	push := map[string]any{"ref": "refs/heads/feat", "before": h.f1, "after": h.f2}
	cases := []struct {
		name, event string
		payload     any
		extra       map[string]string
		want        string
	}{
		{"malformed JSON", "push", []byte(`{"ref": "refs/heads/x", "before": `), nil, "not valid JSON"},
		{"wrong type", "pull_request", []byte(`{"pull_request": {"number": 7, "base": {"sha": 12}}}`), nil, "field pull_request.base.sha should be string"},
		{"missing payload", "push", nil, nil, "GITHUB_EVENT_PATH is not set"},
		{"unreadable payload", "push", nil, map[string]string{"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "cannot read the event payload"},
		{"no event", "", push, nil, "GITHUB_EVENT_NAME is not set"},
		{"bad fail-on", "push", push, map[string]string{"AIGUARD_FAIL_ON": "P9"}, "input fail-on"},
		{"bad create-issues", "push", push, map[string]string{"INPUT_CREATE-ISSUES": "maybe"}, "create-issues"},
		{"bad config", "push", push, map[string]string{"AIGUARD_CONFIG": "nope.yml"}, "nope.yml"},
		{"bad repository", "push", push, map[string]string{"GITHUB_REPOSITORY": "not a repo"}, "OWNER/NAME"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runAction(t, h.r.Dir, c.event, c.payload, c.extra)
			if res.code != cli.ExitUsage {
				t.Errorf("exit %d, want 2: %s", res.code, res.stderr)
			}
			if lines := strings.Split(strings.TrimSpace(res.stderr), "\n"); len(lines) != 1 || !strings.Contains(res.stderr, c.want) {
				t.Errorf("stderr %q, want one line containing %q", res.stderr, c.want)
			}
		})
	}
}

func TestActionUnreadableHistoryFailsClosed(t *testing.T) {
	origin := newHistory(t)
	clone := shallowClone(t, origin)
	gitIn(t, clone, "remote", "set-url", "origin", "file:///nonexistent/repo")
	res := runAction(t, clone, "push", map[string]any{"ref": "refs/heads/feat", "before": origin.f1, "after": origin.f2,
		"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"}}, nil)
	if res.code != cli.ExitRuntime || !strings.Contains(res.stderr, "fetch-depth: 0") {
		t.Fatalf("exit %d, stderr %q; want 3 naming fetch-depth: 0", res.code, res.stderr)
	}
	if res.outputs["blocked"] != "true" || !strings.Contains(res.summary, "fetch\\-depth: 0") || len(res.errorLines) != 1 {
		t.Errorf("outputs %q, error annotations %q, summary:\n%s", res.outputs, res.errorLines, res.summary)
	}
}

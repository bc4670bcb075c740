package action

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiguard/aiguard/internal/githubtest"
	"github.com/aiguard/aiguard/internal/testkit"
)

// The end-to-end tests run the real action.yml with act
// (github.com/nektos/act) in self-hosted mode: no Docker, the steps run on
// this machine with its Go toolchain, against the fake GitHub API.

const actVersion = "v0.2.89"

func actBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("act"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "act")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if testing.Short() {
		t.Skip("act is not installed (go install github.com/nektos/act@" + actVersion + ")")
	}
	t.Fatalf("act is not installed: run go install github.com/nektos/act@%s (.ci/run does)", actVersion)
	return ""
}

var (
	sourceOnce sync.Once
	sourceDir  string
	sourceErr  error
)

// actionSource copies what the action builds from (go.mod, go.sum,
// action.yml and the source files of cmd/aiguard's packages) once per test
// process, as a checkout of the action repository would provide it.
func actionSource(t *testing.T) string {
	t.Helper()
	sourceOnce.Do(func() {
		root := testkit.ModuleRoot()
		if sourceDir, sourceErr = os.MkdirTemp("", "aiguard-action-src-"); sourceErr != nil {
			return
		}
		cmd := exec.Command("go", "list", "-tags", "gore2regex", "-deps", "-f",
			`{{if .Module}}{{if eq .Module.Path "github.com/aiguard/aiguard"}}{{.Dir}}|{{join .GoFiles ","}},{{join .EmbedFiles ","}}{{end}}{{end}}`, "./cmd/aiguard")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			sourceErr = err
			return
		}
		files := []string{"go.mod", "go.sum", "action.yml"}
		for _, line := range strings.Fields(string(out)) {
			dir, names, _ := strings.Cut(line, "|")
			rel, _ := filepath.Rel(root, dir)
			for _, n := range strings.Split(names, ",") {
				if n != "" {
					files = append(files, filepath.Join(rel, n))
				}
			}
		}
		for _, f := range files {
			if sourceErr = copyFile(filepath.Join(root, f), filepath.Join(sourceDir, f)); sourceErr != nil {
				return
			}
		}
	})
	if sourceErr != nil {
		t.Fatalf("preparing the action source: %v", sourceErr)
	}
	return sourceDir
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// actRun is the result of one workflow run.
type actRun struct {
	err     error
	log     string
	outputs map[string]string
	summary string
	sarif   string
}

func runAct(t *testing.T, repo *testkit.Repo, gh *githubtest.Server, event string, payload map[string]any) actRun {
	t.Helper()
	act := actBinary(t)
	src := actionSource(t)
	stubs, _ := filepath.Abs("testdata/stubs")
	results := t.TempDir()
	eventFile := filepath.Join(results, "event.json")
	data, _ := json.Marshal(payload)
	if err := os.WriteFile(eventFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(act, event, "-e", eventFile,
		"-P", "ubuntu-latest=-self-hosted",
		"--local-repository", "aiguard/aiguard@v1="+src,
		"--local-repository", "actions/setup-go@v5="+filepath.Join(stubs, "setup-go"),
		"--local-repository", "github/codeql-action@v3="+filepath.Join(stubs, "codeql-action"),
		"--action-cache-path", filepath.Join(results, "cache"),
		"--env", "GITHUB_API_URL="+gh.URL,
		"--env", "GITHUB_REPOSITORY=acme/app",
		"--env", "AIGUARD_E2E_DIR="+results,
		"-s", "GITHUB_TOKEN=e2e-token",
		"--no-cache-server", "--json")
	cmd.Dir = repo.Dir
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	start := time.Now()
	err := cmd.Run()
	t.Logf("act %s: %v in %s", event, err, time.Since(start).Round(time.Second))
	r := actRun{err: err, outputs: map[string]string{}}
	r.log, r.summary = parseActLog(log.String())
	outs, readErr := os.ReadFile(filepath.Join(results, "outputs"))
	if readErr != nil {
		t.Fatalf("the workflow did not record the action's outputs (%v); act log:\n%s", readErr, r.log)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(outs)), "\n") {
		k, v, _ := strings.Cut(l, "=")
		r.outputs[k] = v
	}
	sarif, _ := os.ReadFile(filepath.Join(results, "uploaded.sarif"))
	r.sarif = string(sarif)
	return r
}

// parseActLog reads act's JSON log: the messages as text, and the job
// summary (each step has its own summary file, which act logs).
func parseActLog(raw string) (log, summary string) {
	var text, sum strings.Builder
	for _, line := range strings.Split(raw, "\n") {
		var entry struct {
			Msg     string `json:"msg"`
			Command string `json:"command"`
			Content string `json:"content"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil {
			text.WriteString(line + "\n")
			continue
		}
		text.WriteString(entry.Msg + "\n")
		if entry.Command == "summary" {
			sum.WriteString(entry.Content)
		}
	}
	return text.String(), sum.String()
}

// e2eRepo is a repository with the test workflow on main.
func e2eRepo(t *testing.T) (*testkit.Repo, string) {
	r := testkit.NewRepo(t)
	wf, err := os.ReadFile("testdata/workflows/aiguard.yml")
	if err != nil {
		t.Fatal(err)
	}
	r.Write(".github/workflows/aiguard.yml", string(wf))
	r.Write("README.md", "app\n")
	return r, r.Commit("base")
}

func repoPayload(extra map[string]any) map[string]any {
	p := map[string]any{"repository": map[string]any{"full_name": "acme/app", "default_branch": "main"}, "sender": map[string]any{"login": "dev"}}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func TestEndToEndWithAct(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: runs act and builds the action")
	}
	fk := testkit.NewFakes(70)
	gh := githubtest.NewServer(t)
	gh.SetToken("e2e-token", "github-actions[bot]")

	t.Run("pull_request", func(t *testing.T) {
		r, base := e2eRepo(t)
		r.Git("checkout", "-q", "-b", "feat")
		aws, pat := fk.AWSKeyID(), fk.GitHubPAT()
		r.Write("deploy.env", "AWS_ACCESS_KEY_ID="+aws+"\n")
		r.Write("notes/::warning::x @admin.md", "token: "+pat+"\n")
		head := r.Commit("deploy settings")
		pr := gh.AddPullRequest("acme/app", "Deploy settings", "dev")
		res := runAct(t, r, gh, "pull_request", repoPayload(map[string]any{"number": pr, "pull_request": map[string]any{
			"number": pr, "user": map[string]any{"login": "dev"},
			"base": map[string]any{"sha": base, "ref": "main", "repo": map[string]any{"full_name": "acme/app"}},
			"head": map[string]any{"sha": head, "ref": "feat", "repo": map[string]any{"full_name": "acme/app"}}}}))
		if res.err == nil {
			t.Errorf("the job passed with two leaked credentials")
		}
		o := res.outputs
		if o["findings"] != "2" || o["blocked"] != "true" || o["max-severity"] != "P1" || !strings.HasPrefix(o["incident-ids"], "AIENG-") {
			t.Errorf("outputs %q", o)
		}
		if !strings.Contains(res.sarif, `"aws-access-token"`) {
			t.Errorf("SARIF was not uploaded")
		}
		issues := gh.Issues("acme/app")
		var found bool
		for _, is := range issues {
			if strings.Contains(is.Title, o["incident-ids"]) {
				found = true
				testkit.AssertNoLeak(t, "issue", is.Title+"\n"+is.Body, aws, pat)
			}
		}
		if !found {
			t.Errorf("no tracking issue for %q among %d issues", o["incident-ids"], len(issues))
		}
		if !strings.Contains(res.summary, "❌ blocked") || !strings.Contains(res.summary, "/blob/"+head+"/deploy.env#L1") {
			t.Errorf("summary:\n%s", res.summary)
		}
		if !strings.Contains(res.log, "::error file=deploy.env,line=1,title=aiguard P1 CL%3A") {
			t.Errorf("no annotation for deploy.env in the log:\n%s", res.log)
		}
		if !strings.Contains(res.log, "file=notes/%3A%3Awarning%3A%3Ax @admin.md") {
			t.Errorf("the hostile file name was not escaped in its annotation:\n%s", res.log)
		}
		for what, s := range map[string]string{"log": res.log, "summary": res.summary, "outputs": strings.Join([]string{o["incident-ids"], o["max-severity"]}, ",")} {
			testkit.AssertNoLeak(t, what, s, aws, pat)
		}
		if strings.Contains(res.log, "e2e-token") {
			t.Errorf("the token was printed")
		}
	})

	t.Run("push of a new branch", func(t *testing.T) {
		r, _ := e2eRepo(t)
		r.Write("main.txt", "more\n")
		r.Commit("main moves on")
		r.Git("checkout", "-q", "-b", "feat", "HEAD~1")
		key := fk.SlackBot()
		r.Write("bot.env", "SLACK_TOKEN="+key+"\n")
		head := r.Commit("bot")
		res := runAct(t, r, gh, "push", repoPayload(map[string]any{"ref": "refs/heads/feat", "before": zero, "after": head}))
		if res.err == nil || res.outputs["findings"] != "1" || !strings.Contains(res.summary, "merge\\-base with main") {
			t.Errorf("err %v, outputs %q, summary:\n%s", res.err, res.outputs, res.summary)
		}
		testkit.AssertNoLeak(t, "log", res.log+res.summary, key)
	})

	t.Run("force push", func(t *testing.T) {
		r, base := e2eRepo(t)
		r.Git("checkout", "-q", "-b", "feat")
		r.Write("a.txt", "old\n")
		old := r.Commit("old")
		r.Git("reset", "-q", "--hard", base)
		pw := fk.GitHubPAT()
		r.Write("ci.env", "GH_TOKEN="+pw+"\n")
		head := r.Commit("rewritten")
		res := runAct(t, r, gh, "push", repoPayload(map[string]any{"ref": "refs/heads/feat", "before": old, "after": head, "forced": true}))
		if res.err == nil || res.outputs["findings"] != "1" || !strings.Contains(res.summary, "force push") {
			t.Errorf("err %v, outputs %q, summary:\n%s", res.err, res.outputs, res.summary)
		}
	})

	t.Run("workflow_dispatch of a clean tree passes", func(t *testing.T) {
		r, _ := e2eRepo(t)
		res := runAct(t, r, gh, "workflow_dispatch", repoPayload(map[string]any{"ref": "refs/heads/main", "inputs": map[string]any{}}))
		if res.err != nil || res.outputs["blocked"] != "false" || res.outputs["findings"] != "0" || !strings.Contains(res.summary, "✅ passed") {
			t.Errorf("err %v, outputs %q, summary:\n%s\nlog:\n%s", res.err, res.outputs, res.summary, res.log)
		}
	})

	t.Run("schedule audits the tree", func(t *testing.T) {
		r, _ := e2eRepo(t)
		key := fk.AnthropicKey()
		r.Write("scripts/llm.py", "API_KEY = \""+key+"\"\n")
		r.Commit("llm helper")
		res := runAct(t, r, gh, "schedule", map[string]any{"schedule": "0 3 * * *"})
		if res.err == nil || res.outputs["findings"] != "1" || !strings.Contains(res.summary, "stage audit") {
			t.Errorf("err %v, outputs %q, summary:\n%s", res.err, res.outputs, res.summary)
		}
		testkit.AssertNoLeak(t, "log", res.log+res.summary, key)
	})
}

package hook_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiguard/aiguard/internal/testkit"
)

// commit runs a real `git commit` (so the hook runs) and returns its exit
// code and output, and the CPU time the hook and its children used.
func commit(t *testing.T, r *testkit.Repo, msg string) (int, string, time.Duration) {
	t.Helper()
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out), cpu
		}
		t.Fatal(err)
	}
	return 0, string(out), cpu
}

func TestHookBlocksAndAllowsRealCommits(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("README.md", "app\n")
	r.Commit("base")
	if res := testkit.Run(t, r.Dir, nil, "hook", "install"); res.Code != 0 {
		t.Fatalf("install: %d %s", res.Code, res.Output())
	}

	// An ordinary commit goes through, fast.
	r.Write("main.go", "package main\n\nfunc main() {}\n")
	r.Git("add", "-A")
	code, out, cpu := commit(t, r, "ordinary")
	if code != 0 {
		t.Fatalf("clean commit blocked (%d): %s", code, out)
	}
	t.Logf("hook CPU time for an ordinary commit: %s", cpu)
	if cpu > time.Second {
		t.Errorf("the hook used %s of CPU for an ordinary commit", cpu)
	}

	// A commit adding a credential is blocked, with what, where and how to
	// allow a false positive — and never the value.
	key := testkit.NewFakes(80).GitHubPAT()
	r.Write("config/deploy.env", "GITHUB_TOKEN="+key+"\n")
	r.Git("add", "-A")
	code, out, _ = commit(t, r, "leak")
	if code == 0 {
		t.Fatalf("commit with a credential was not blocked: %s", out)
	}
	for _, want := range []string{"commit blocked", "config/deploy.env:1", "github-pat", "ghp_****", "gitleaks:allow", "allowlist.fingerprints", "--no-verify"} {
		if !strings.Contains(out, want) {
			t.Errorf("hook output lacks %q:\n%s", want, out)
		}
	}
	testkit.AssertNoLeak(t, "hook output", out, key)
	if head := r.Git("log", "--format=%s", "-1"); head != "ordinary" {
		t.Errorf("HEAD is %q: the blocked commit was made", head)
	}

	// gitleaks:allow marks the line as an accepted false positive.
	r.Write("config/deploy.env", "GITHUB_TOKEN="+key+" # gitleaks:allow\n")
	r.Git("add", "-A")
	if code, out, _ := commit(t, r, "allowed"); code != 0 {
		t.Errorf("allowed line still blocked (%d): %s", code, out)
	}
}

func TestHookInstallRespectsHooksPathAndForeignHooks(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Git("config", "core.hooksPath", ".githooks")
	hook := filepath.Join(r.Dir, ".githooks", "pre-commit")
	if err := os.MkdirAll(filepath.Dir(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	foreign := "#!/bin/sh\necho lint\n"
	if err := os.WriteFile(hook, []byte(foreign), 0o755); err != nil {
		t.Fatal(err)
	}

	res := testkit.Run(t, r.Dir, nil, "hook", "install")
	if res.Code != 2 || !strings.Contains(res.Stderr, "--force") {
		t.Errorf("install over a foreign hook: exit %d, %s", res.Code, res.Stderr)
	}
	if data, _ := os.ReadFile(hook); string(data) != foreign {
		t.Fatalf("the foreign hook was changed")
	}
	if res := testkit.Run(t, r.Dir, nil, "hook", "uninstall"); res.Code != 2 {
		t.Errorf("uninstall removed or accepted a foreign hook: exit %d", res.Code)
	}
	if _, err := os.Stat(hook); err != nil {
		t.Fatalf("uninstall removed the foreign hook")
	}

	if res := testkit.Run(t, r.Dir, nil, "hook", "install", "--force"); res.Code != 0 {
		t.Fatalf("install --force: %d %s", res.Code, res.Output())
	}
	data, _ := os.ReadFile(hook)
	if !strings.Contains(string(data), "aiguard-managed-hook") {
		t.Fatalf("hook not written to core.hooksPath:\n%s", data)
	}
	// Reinstalling over our own hook needs no --force.
	if res := testkit.Run(t, r.Dir, nil, "hook", "install"); res.Code != 0 {
		t.Errorf("reinstall: %d %s", res.Code, res.Output())
	}
	if res := testkit.Run(t, r.Dir, nil, "hook", "uninstall"); res.Code != 0 {
		t.Fatalf("uninstall: %d %s", res.Code, res.Output())
	}
	if _, err := os.Stat(hook); !os.IsNotExist(err) {
		t.Errorf("uninstall left the hook: %v", err)
	}
}

func TestHookInstallInLinkedWorktree(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a.txt", "a\n")
	r.Commit("a")
	wt := filepath.Join(t.TempDir(), "wt")
	r.Git("worktree", "add", "-q", "-b", "wt", wt)
	if res := testkit.Run(t, wt, nil, "hook", "install"); res.Code != 0 {
		t.Fatalf("install in a worktree: %d %s", res.Code, res.Output())
	}
	// Hooks are shared by all worktrees: git runs them from the common dir.
	if _, err := os.Stat(filepath.Join(r.Dir, ".git", "hooks", "pre-commit")); err != nil {
		t.Errorf("hook not in the common hooks directory: %v", err)
	}
}

func TestHookRunFailsClosedOnBadConfig(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write(".aiguard.yml", "fail-on: P9\n")
	r.Write("a.txt", "a\n")
	r.Git("add", "-A")
	res := testkit.Run(t, r.Dir, nil, "hook", "run")
	if res.Code != 2 || !strings.Contains(res.Stderr, ".aiguard.yml") {
		t.Errorf("bad config: exit %d, %s", res.Code, res.Stderr)
	}
}

// Package hook is `aiguard hook`: it installs and removes a git pre-commit
// hook, and runs the staged-change scan the hook calls, which blocks a
// commit that would leak a credential, personal data or an injection and
// says how to allow a false positive.
package hook

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/cli"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/report"
	"github.com/aiguard/aiguard/scan"
)

// Marker identifies a hook aiguard wrote; uninstall removes only a hook
// that has it, and install replaces only such a hook without --force.
const Marker = "# aiguard-managed-hook: pre-commit"

func init() {
	cli.Register(&cli.Command{Name: "hook", Summary: "install, uninstall or run the git pre-commit hook", Run: Run})
}

const usage = `usage:
  aiguard hook install [--force] [--repo DIR]   write the pre-commit hook (refuses to replace another hook unless --force)
  aiguard hook uninstall [--repo DIR]           remove the hook if aiguard wrote it
  aiguard hook run [--repo DIR]                 scan the staged change (what the hook runs)`

// Run is the `aiguard hook` command.
func Run(ctx context.Context, env *cli.Env, args []string) (int, error) {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, usage)
		return cli.ExitUsage, errors.New("missing subcommand: install, uninstall or run")
	}
	fs := flag.NewFlagSet("hook "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	repo := fs.String("repo", ".", "the git repository")
	force := fs.Bool("force", false, "replace an existing pre-commit hook that aiguard did not write")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.Stderr, usage)
			return cli.ExitOK, nil
		}
		return cli.ExitUsage, err
	}
	if fs.NArg() > 0 {
		return cli.ExitUsage, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch args[0] {
	case "install":
		return install(ctx, env, *repo, *force)
	case "uninstall":
		return uninstall(ctx, env, *repo)
	case "run":
		return runStaged(ctx, env, *repo)
	}
	fmt.Fprintln(env.Stderr, usage)
	return cli.ExitUsage, fmt.Errorf("unknown subcommand %q: want install, uninstall or run", args[0])
}

// hookPath finds where git runs the pre-commit hook from, honouring
// core.hooksPath and linked worktrees.
func hookPath(ctx context.Context, repo string) (string, error) {
	g := source.Git{Dir: repo}
	if err := g.CheckRepo(ctx); err != nil {
		return "", err
	}
	dir, err := g.Output(ctx, "rev-parse", "--git-path", "hooks")
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repo, dir)
	}
	return filepath.Join(dir, "pre-commit"), nil
}

// script is the hook: it runs the binary that installed it, or aiguard on
// PATH when that binary has moved.
func script(self string) string {
	return "#!/bin/sh\n" + Marker + "\n" +
		"# Installed by `aiguard hook install`; remove with `aiguard hook uninstall`.\n" +
		"# Scans the staged change and blocks the commit on a finding.\n" +
		"AIGUARD=" + shellQuote(self) + "\n" +
		"[ -x \"$AIGUARD\" ] || AIGUARD=aiguard\n" +
		"exec \"$AIGUARD\" hook run\n"
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func ours(path string) (exists, isOurs bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == Marker {
			return true, true, nil
		}
	}
	return true, false, nil
}

func install(ctx context.Context, env *cli.Env, repo string, force bool) (int, error) {
	path, err := hookPath(ctx, repo)
	if err != nil {
		return cli.ExitRuntime, err
	}
	exists, mine, err := ours(path)
	if err != nil {
		return cli.ExitRuntime, err
	}
	if exists && !mine && !force {
		return cli.ExitUsage, fmt.Errorf("%s already exists and was not written by aiguard; call aiguard from it (`aiguard hook run`), or replace it with `aiguard hook install --force`", path)
	}
	self, err := os.Executable()
	if err != nil {
		self = "aiguard"
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return cli.ExitRuntime, err
	}
	// Replace atomically so a commit running meanwhile never sees half a hook.
	tmp := path + ".aiguard-tmp"
	if err := os.WriteFile(tmp, []byte(script(self)), 0o755); err != nil {
		return cli.ExitRuntime, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return cli.ExitRuntime, err
	}
	fmt.Fprintf(env.Stdout, "aiguard: installed the pre-commit hook at %s\n", report.Sanitize(path))
	return cli.ExitOK, nil
}

func uninstall(ctx context.Context, env *cli.Env, repo string) (int, error) {
	path, err := hookPath(ctx, repo)
	if err != nil {
		return cli.ExitRuntime, err
	}
	exists, mine, err := ours(path)
	switch {
	case err != nil:
		return cli.ExitRuntime, err
	case !exists:
		fmt.Fprintf(env.Stdout, "aiguard: no pre-commit hook at %s\n", report.Sanitize(path))
		return cli.ExitOK, nil
	case !mine:
		return cli.ExitUsage, fmt.Errorf("%s was not written by aiguard; left in place", path)
	}
	if err := os.Remove(path); err != nil {
		return cli.ExitRuntime, err
	}
	fmt.Fprintf(env.Stdout, "aiguard: removed the pre-commit hook at %s\n", report.Sanitize(path))
	return cli.ExitOK, nil
}

// runStaged scans what is staged. Every finding is a near miss (P4) at this
// stage and opens no issue, but any finding blocks the commit, whatever
// fail-on says for CI: stopping it here is the point of the hook.
func runStaged(ctx context.Context, env *cli.Env, repo string) (int, error) {
	root, err := source.Git{Dir: repo}.Output(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		return cli.ExitRuntime, err
	}
	cfg := config.Default()
	if p := config.Find(root); p != "" {
		if cfg, err = config.Load(p); err != nil {
			return cli.ExitUsage, fmt.Errorf("%v (commit blocked until the configuration is fixed)", err)
		}
	}
	rep, scanErr := scan.Run(ctx, scan.Options{Mode: scan.ModeStaged, Dir: root, Config: cfg, Stage: classify.PreCommit})
	if len(rep.Findings) > 0 {
		blocked(env.Stderr, rep)
	}
	if scanErr != nil {
		code := cli.ExitRuntime
		if errors.Is(scanErr, scan.ErrUsage) {
			code = cli.ExitUsage
		}
		return code, fmt.Errorf("the staged change could not be fully scanned, so the commit is blocked: %v", scanErr)
	}
	if len(rep.Findings) > 0 {
		return cli.ExitBlocked, nil
	}
	return cli.ExitOK, nil
}

func blocked(w io.Writer, rep *report.Report) {
	fmt.Fprintf(w, "aiguard: commit blocked: %d finding(s) in the staged change\n", len(rep.Findings))
	for i := range rep.Findings {
		f := &rep.Findings[i]
		fmt.Fprintf(w, "  %s  [%s] %s (%s)  %s  fingerprint %s\n", report.Sanitize(f.Location()), f.Category, report.Sanitize(f.Title),
			f.RuleID, report.Sanitize(f.Redacted), f.Fingerprint[:min(16, len(f.Fingerprint))])
	}
	fmt.Fprint(w, `
Remove the value from the staged change (for a credential: revoke and rotate it; it is on disk in plain text).
If a finding is a false positive, allow it with one of:
  - for a credential, a "gitleaks:allow" comment at the end of its line;
  - its fingerprint under allowlist.fingerprints in .aiguard.yml;
  - as a last resort, git commit --no-verify (CI scans the change again).
`)
}

package action

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect/source"
)

// trustedFiles are the files that tune or switch off a scan. For a change
// proposed by a pull request they are read as they are on the base commit:
// otherwise the change could allowlist, ignore or disable its own findings.
var trustedFiles = []string{config.FileName, ".gitleaks.toml", ".gitleaksignore"}

// needsTrustedConfig reports events whose content comes from a contributor
// rather than from someone who could already change the workflow.
func needsTrustedConfig(ev *Event) bool {
	switch ev.Name {
	case "pull_request", "pull_request_target", "merge_group":
		return ev.Base != "" && !isZeroSHA(ev.Base)
	}
	return false
}

func isZeroSHA(s string) bool {
	for _, c := range s {
		if c != '0' {
			return false
		}
	}
	return true
}

// materialiseTrusted writes the base commit's versions of the tuning files
// (and of the config input and baseline they name) into a new directory,
// which the caller removes. Files the base does not have are left out.
func materialiseTrusted(ctx context.Context, g source.Git, base string, extra ...string) (string, error) {
	dir, err := os.MkdirTemp("", "aiguard-trusted-")
	if err != nil {
		return "", err
	}
	for _, p := range append(append([]string(nil), trustedFiles...), extra...) {
		if p == "" || filepath.IsAbs(p) {
			continue
		}
		if err := copyFromCommit(ctx, g, base, filepath.ToSlash(filepath.Clean(p)), filepath.Join(dir, p)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

func copyFromCommit(ctx context.Context, g source.Git, rev, path, dest string) error {
	if exec.CommandContext(ctx, "git", "-C", g.Dir, "cat-file", "-e", rev+":"+path).Run() != nil {
		return nil
	}
	data, err := exec.CommandContext(ctx, "git", "-C", g.Dir, "cat-file", "blob", rev+":"+path).Output()
	if err != nil {
		return fmt.Errorf("%w: reading %s at the base commit %.12s: %v", source.ErrSource, path, rev, err)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dest, data, 0o644)
}

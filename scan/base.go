package scan

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/finding"
)

// minBaseCheck is the shortest value checked against BASE: shorter values
// could match unrelated text there and hide a real finding.
const minBaseCheck = 8

// dropPresentAtBase removes findings whose value was already in the tree at
// the start of the range: moving or re-indenting an old secret is not a new
// leak of it, and a pull request must not be blamed for what it inherited.
func dropPresentAtBase(ctx context.Context, g source.Git, rng string, fs []finding.Finding) ([]finding.Finding, error) {
	base, ok, err := rangeBase(ctx, g, rng)
	if err != nil || !ok {
		return fs, err
	}
	present := map[string]bool{}
	kept := fs[:0:0]
	for _, f := range fs {
		if len(f.Secret) < minBaseCheck {
			kept = append(kept, f)
			continue
		}
		was, seen := present[f.Secret]
		if !seen {
			was, err = inTree(ctx, g, base, f.Secret)
			if err != nil {
				return fs, err
			}
			present[f.Secret] = was
		}
		if !was {
			kept = append(kept, f)
		}
	}
	return kept, nil
}

// rangeBase returns the commit a range starts from: A for A..B, the merge
// base for A...B, and nothing for a single revision (its whole history).
func rangeBase(ctx context.Context, g source.Git, rng string) (string, bool, error) {
	if a, b, ok := strings.Cut(rng, "..."); ok {
		if a == "" {
			a = "HEAD"
		}
		if b == "" {
			b = "HEAD"
		}
		mb, err := g.Output(ctx, "merge-base", "--end-of-options", a, b)
		return mb, err == nil, err
	}
	if a, _, ok := strings.Cut(rng, ".."); ok {
		if a == "" {
			a = "HEAD"
		}
		sha, err := g.Output(ctx, "rev-parse", "--verify", "--end-of-options", a+"^{commit}")
		return sha, err == nil, err
	}
	return "", false, nil
}

// inTree reports whether value occurs in any text file of commit. The value
// goes to git on stdin, never on a command line other users could read.
func inTree(ctx context.Context, g source.Git, commit, value string) (bool, error) {
	if strings.ContainsAny(value, "\n\r") {
		value = strings.SplitN(value, "\n", 2)[0]
	}
	cmd := exec.CommandContext(ctx, "git", "-C", g.Dir, "grep", "-q", "-I", "-F", "-f", "-", commit, "--")
	cmd.Stdin = strings.NewReader(value + "\n")
	err := cmd.Run()
	if err == nil {
		return true, nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return false, nil
	}
	return false, fmt.Errorf("%w: git grep at %.12s failed: %v", source.ErrSource, commit, err)
}

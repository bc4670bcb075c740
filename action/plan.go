package action

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/scan"
)

// Plan is what one run scans and in which context.
type Plan struct {
	Mode scan.Mode // ModeHistory or ModeDir
	// Range is the git revision range of a history scan; a single revision
	// scans its whole history.
	Range string
	Stage classify.Stage
	// Key identifies the event across reruns for incident deduplication.
	Key string
	// Head is the commit links point at.
	Head string
	// Notes explain choices a reader of the summary should know about.
	Notes []string
	// Skip, when set, is why there is nothing to scan (a deleted branch).
	Skip string
}

// Planner turns an event into a Plan, reading and if needed deepening the
// workspace's git history.
type Planner struct {
	Git source.Git
	// ProductionBranches are path.Match patterns; the default branch always
	// counts as production.
	ProductionBranches []string
	// RangeInput is a range given to workflow_dispatch or schedule runs.
	RangeInput string
	// Remote is fetched from when history is missing ("origin").
	Remote string
	// FetchTimeout bounds all fetching of one run.
	FetchTimeout time.Duration
	// Logf reports progress (fetches) to the log.
	Logf func(format string, args ...any)
}

// ErrHistory marks history the action could not obtain (exit code 3).
var ErrHistory = errors.New("history")

// deepenSteps are the successive --deepen sizes tried on a shallow clone
// before fetching everything.
var deepenSteps = []int{50, 500}

// Plan picks the range and stage for ev.
func (p *Planner) Plan(ctx context.Context, ev *Event) (*Plan, error) {
	ctx, cancel := context.WithTimeout(ctx, p.fetchTimeout())
	defer cancel()
	prod := p.production(ev)
	switch ev.Name {
	case "pull_request", "pull_request_target":
		pl := &Plan{Mode: scan.ModeHistory, Stage: classify.Review, Key: fmt.Sprintf("pr:%d", ev.PRNumber), Head: ev.Head}
		refs := []string{fmt.Sprintf("+refs/pull/%d/head:refs/remotes/pull/%d/head", ev.PRNumber, ev.PRNumber)}
		if ev.Branch != "" {
			refs = append(refs, "+refs/heads/"+ev.Branch+":refs/remotes/"+p.remote()+"/"+ev.Branch)
		}
		return pl, p.rangeOf(ctx, pl, ev.Base, ev.Head, refs)
	case "merge_group":
		pl := &Plan{Mode: scan.ModeHistory, Stage: classify.Review, Key: "merge_group:" + ev.Ref, Head: ev.Head}
		return pl, p.rangeOf(ctx, pl, ev.Base, ev.Head, []string{"+" + ev.Ref + ":" + ev.Ref})
	case "push":
		return p.push(ctx, ev, prod)
	}
	// workflow_dispatch and schedule: the checked-out tree, or a given range.
	pl := &Plan{Key: strings.TrimPrefix(ev.Name, "workflow_") + ":" + ev.Ref, Head: headOf(ctx, p.Git)}
	pl.Stage = classify.Audit
	if ev.Name == "workflow_dispatch" {
		pl.Stage = classify.StageFor(ev.Branch, prod, classify.Audit)
		if pl.Stage == classify.Review {
			pl.Stage = classify.Audit
		}
	}
	if p.RangeInput == "" {
		pl.Mode = scan.ModeDir
		return pl, nil
	}
	if strings.HasPrefix(p.RangeInput, "-") {
		return nil, eventErr("range %q must not start with '-'", p.RangeInput)
	}
	pl.Mode, pl.Range = scan.ModeHistory, p.RangeInput
	if err := p.complete(ctx, pl.Range, ""); err != nil {
		return nil, err
	}
	return pl, nil
}

func (p *Planner) push(ctx context.Context, ev *Event, prod []string) (*Plan, error) {
	pl := &Plan{Mode: scan.ModeHistory, Key: "push:" + ev.Ref, Head: ev.Head}
	pl.Stage = classify.Review
	if strings.HasPrefix(ev.Ref, "refs/heads/") {
		pl.Stage = classify.StageFor(ev.Branch, prod, classify.Review)
	}
	if zeroSHA.MatchString(ev.Head) {
		pl.Skip = "the push deleted " + ev.Ref + ": nothing to scan"
		return pl, nil
	}
	refs := []string{"+" + ev.Ref + ":" + ev.Ref}
	if !zeroSHA.MatchString(ev.Base) {
		if err := p.have(ctx, ev.Head, refs); err != nil {
			return nil, err
		}
		// A force push can leave "before" unreachable from "after", or
		// not in the clone at all; fetching it is not always possible.
		switch {
		case p.have(ctx, ev.Base, nil) != nil:
			pl.Notes = append(pl.Notes, fmt.Sprintf("the previous head %.12s is not in the clone (force push?)", ev.Base))
		case p.isAncestor(ctx, ev.Base, ev.Head):
			return pl, p.rangeOf(ctx, pl, ev.Base, ev.Head, refs)
		default:
			pl.Notes = append(pl.Notes, fmt.Sprintf("force push: %.12s is not an ancestor of %.12s", ev.Base, ev.Head))
		}
	}
	// A new branch (before is zero) or a force push: scan what the branch
	// has that the default branch does not.
	if err := p.unshallow(ctx); err != nil {
		return nil, err
	}
	if err := p.have(ctx, ev.Head, refs); err != nil {
		return nil, err
	}
	def, err := p.defaultRef(ctx, ev.DefaultBranch)
	if err == nil {
		if mb, mbErr := p.Git.Output(ctx, "merge-base", "--end-of-options", def, ev.Head); mbErr == nil && mb != ev.Head {
			pl.Range = mb + ".." + ev.Head
			pl.Notes = append(pl.Notes, fmt.Sprintf("scanned from the merge-base with %s (%.12s)", ev.DefaultBranch, mb))
			return pl, nil
		}
	}
	if !zeroSHA.MatchString(ev.Base) && p.have(ctx, ev.Base, nil) == nil {
		if mb, mbErr := p.Git.Output(ctx, "merge-base", "--end-of-options", ev.Base, ev.Head); mbErr == nil {
			pl.Range = mb + ".." + ev.Head
			pl.Notes = append(pl.Notes, fmt.Sprintf("scanned from the merge-base with the previous head (%.12s)", mb))
			return pl, nil
		}
	}
	// Nothing to compare with: scanning the whole history of the pushed
	// commit reports more, never less.
	pl.Range = ev.Head
	pl.Notes = append(pl.Notes, "no common base with the default branch was found: scanned the whole history of "+ev.Head[:12])
	return pl, nil
}

// rangeOf sets pl.Range to base..head once both commits and everything
// between them are in the clone.
func (p *Planner) rangeOf(ctx context.Context, pl *Plan, base, head string, refs []string) error {
	if err := p.have(ctx, head, refs); err != nil {
		return err
	}
	if err := p.have(ctx, base, refs); err != nil {
		return err
	}
	pl.Range = base + ".." + head
	return p.complete(ctx, pl.Range, head)
}

// production is the team's production branches plus the default branch.
func (p *Planner) production(ev *Event) []string {
	out := append([]string(nil), p.ProductionBranches...)
	if ev.DefaultBranch != "" {
		out = append(out, ev.DefaultBranch)
	}
	return out
}

func (p *Planner) remote() string {
	if p.Remote == "" {
		return "origin"
	}
	return p.Remote
}

func (p *Planner) fetchTimeout() time.Duration {
	if p.FetchTimeout <= 0 {
		return 5 * time.Minute
	}
	return p.FetchTimeout
}

func (p *Planner) logf(format string, args ...any) {
	if p.Logf != nil {
		p.Logf(format, args...)
	}
}

func (p *Planner) present(ctx context.Context, sha string) bool {
	_, err := p.Git.Output(ctx, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// have makes sure commit sha is in the clone, fetching refs if it is not.
func (p *Planner) have(ctx context.Context, sha string, refs []string) error {
	if p.present(ctx, sha) {
		return nil
	}
	// One refspec at a time: a fetch with one missing ref fetches nothing.
	for _, ref := range refs {
		p.fetch(ctx, "fetch", "--no-tags", "--quiet", p.remote(), ref)
		if p.present(ctx, sha) {
			return nil
		}
	}
	// GitHub serves any reachable commit by SHA.
	p.fetch(ctx, "fetch", "--no-tags", "--quiet", p.remote(), sha)
	if p.present(ctx, sha) {
		return nil
	}
	return fmt.Errorf("%w: commit %.12s is not in the checkout and could not be fetched from %s; check out with actions/checkout and fetch-depth: 0", ErrHistory, sha, p.remote())
}

func (p *Planner) isAncestor(ctx context.Context, a, b string) bool {
	_, err := p.Git.Output(ctx, "merge-base", "--is-ancestor", "--end-of-options", a, b)
	return err == nil
}

// defaultRef finds the default branch in the clone, fetching it if needed.
func (p *Planner) defaultRef(ctx context.Context, branch string) (string, error) {
	if branch == "" {
		return "", fmt.Errorf("%w: the event does not name the default branch", ErrHistory)
	}
	tracking := "refs/remotes/" + p.remote() + "/" + branch
	for _, r := range []string{tracking, "refs/heads/" + branch} {
		if sha, err := p.Git.Output(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", r+"^{commit}"); err == nil {
			return sha, nil
		}
	}
	p.fetch(ctx, "fetch", "--no-tags", "--quiet", p.remote(), "+refs/heads/"+branch+":"+tracking)
	return p.Git.Output(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", tracking+"^{commit}")
}

func (p *Planner) shallow(ctx context.Context) bool {
	out, err := p.Git.Output(ctx, "rev-parse", "--is-shallow-repository")
	return err == nil && out == "true"
}

// complete deepens a shallow clone until rng no longer reaches its
// shallow boundary, or fails: a scan of part of the range would report "no
// findings" for history it never read. tip is the commit to deepen from
// ("" for the remote's configured branches).
func (p *Planner) complete(ctx context.Context, rng, tip string) error {
	args := []string{p.remote()}
	if tip != "" {
		args = append(args, tip)
	}
	for _, n := range deepenSteps {
		cut, err := p.cutByShallow(ctx, rng)
		if err != nil || !cut {
			return err
		}
		p.logf("aiguard: the checkout is shallow; fetching %d more commits of history", n)
		p.fetch(ctx, append([]string{"fetch", "--no-tags", "--quiet", "--deepen=" + fmt.Sprint(n)}, args...)...)
	}
	cut, err := p.cutByShallow(ctx, rng)
	if err != nil || !cut {
		return err
	}
	if err := p.unshallow(ctx); err != nil {
		return err
	}
	if cut, err := p.cutByShallow(ctx, rng); err != nil || !cut {
		return err
	}
	return p.shallowErr()
}

// unshallow fetches the whole history of a shallow clone.
func (p *Planner) unshallow(ctx context.Context) error {
	if !p.shallow(ctx) {
		return nil
	}
	p.logf("aiguard: the checkout is shallow; fetching its full history")
	p.fetch(ctx, "fetch", "--no-tags", "--quiet", "--unshallow", p.remote())
	if p.shallow(ctx) {
		return p.shallowErr()
	}
	return nil
}

func (p *Planner) shallowErr() error {
	return fmt.Errorf("%w: %w: the checkout is shallow and the history to scan could not be fetched from %s; set `fetch-depth: 0` on actions/checkout", ErrHistory, source.ErrShallow, p.remote())
}

// cutByShallow reports whether a commit of rng is a shallow boundary
// commit, whose parents the clone lacks.
func (p *Planner) cutByShallow(ctx context.Context, rng string) (bool, error) {
	if !p.shallow(ctx) {
		return false, nil
	}
	path, err := p.Git.Output(ctx, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return false, err
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(p.Git.Dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("%w: shallow clone but cannot read its boundary: %v", ErrHistory, err)
	}
	boundary := map[string]bool{}
	for _, s := range strings.Fields(string(data)) {
		boundary[s] = true
	}
	list, err := p.Git.Output(ctx, "rev-list", "--end-of-options", rng, "--")
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrHistory, err)
	}
	for _, sha := range strings.Fields(list) {
		if boundary[sha] {
			return true, nil
		}
	}
	return false, nil
}

// fetch runs git fetch; failures are not errors here because callers check
// for what they needed afterwards and explain what is missing.
func (p *Planner) fetch(ctx context.Context, args ...string) {
	if _, err := p.Git.Output(ctx, args...); err != nil {
		p.logf("aiguard: %v", err)
	}
}

func headOf(ctx context.Context, g source.Git) string {
	sha, _ := g.Output(ctx, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	return sha
}

package action

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/internal/testkit"
	"github.com/aiguard/aiguard/scan"
)

// history is a repository where main has c0, c1 and feat branched from c0
// has f1, f2.
type history struct {
	r              *testkit.Repo
	c0, c1, f1, f2 string
}

func newHistory(t *testing.T) *history {
	h := &history{r: testkit.NewRepo(t)}
	h.r.Write("a.txt", "a\n")
	h.c0 = h.r.Commit("c0")
	h.r.Write("b.txt", "b\n")
	h.c1 = h.r.Commit("c1")
	h.r.Git("checkout", "-q", "-b", "feat", h.c0)
	h.r.Write("f.txt", "f1\n")
	h.f1 = h.r.Commit("f1")
	h.r.Write("f.txt", "f2\n")
	h.f2 = h.r.Commit("f2")
	return h
}

func (h *history) planner() *Planner {
	return &Planner{Git: source.Git{Dir: h.r.Dir}, ProductionBranches: []string{"release/*"}}
}

func push(ref, before, after string) *Event {
	return &Event{Name: "push", Repository: "acme/app", DefaultBranch: "main", Ref: ref,
		Branch: strings.TrimPrefix(ref, "refs/heads/"), Base: before, Head: after}
}

func TestPlanRangeForEachEvent(t *testing.T) {
	h := newHistory(t)
	// A force push: feat rewritten from c0, so the old f2 is not an ancestor.
	h.r.Git("checkout", "-q", "-b", "rewritten", h.c0)
	h.r.Write("f.txt", "rewritten\n")
	rw := h.r.Commit("rewritten")
	h.r.Git("checkout", "-q", "main")

	cases := []struct {
		name      string
		ev        *Event
		rangeIn   string
		wantMode  scan.Mode
		wantRange string
		wantStage classify.Stage
		wantKey   string
		wantNote  string
	}{
		{"pull_request", &Event{Name: "pull_request", Repository: "acme/app", PRNumber: 7, Base: h.c1, Head: h.f2, Branch: "main"},
			"", scan.ModeHistory, h.c1 + ".." + h.f2, classify.Review, "pr:7", ""},
		{"pull_request_target", &Event{Name: "pull_request_target", Repository: "acme/app", PRNumber: 8, Base: h.c1, Head: h.f2, Branch: "main"},
			"", scan.ModeHistory, h.c1 + ".." + h.f2, classify.Review, "pr:8", ""},
		{"push to a feature branch", push("refs/heads/feat", h.f1, h.f2),
			"", scan.ModeHistory, h.f1 + ".." + h.f2, classify.Review, "push:refs/heads/feat", ""},
		{"push to the default branch", push("refs/heads/main", h.c0, h.c1),
			"", scan.ModeHistory, h.c0 + ".." + h.c1, classify.Production, "push:refs/heads/main", ""},
		{"push to a production branch", push("refs/heads/release/2", h.c0, h.c1),
			"", scan.ModeHistory, h.c0 + ".." + h.c1, classify.Production, "push:refs/heads/release/2", ""},
		{"new branch", push("refs/heads/feat", zero, h.f2),
			"", scan.ModeHistory, h.c0 + ".." + h.f2, classify.Review, "push:refs/heads/feat", "merge-base with main"},
		{"force push", push("refs/heads/feat", h.f2, rw),
			"", scan.ModeHistory, h.c0 + ".." + rw, classify.Review, "push:refs/heads/feat", "force push"},
		{"force push, old head not in the clone", push("refs/heads/feat", shaA, rw),
			"", scan.ModeHistory, h.c0 + ".." + rw, classify.Review, "push:refs/heads/feat", "merge-base with main"},
		{"force push to the default branch", push("refs/heads/main", h.f2, h.c1),
			"", scan.ModeHistory, h.c0 + ".." + h.c1, classify.Production, "push:refs/heads/main", "previous head"},
		{"first push of the default branch", push("refs/heads/main", zero, h.c1),
			"", scan.ModeHistory, h.c1, classify.Production, "push:refs/heads/main", "whole history"},
		{"merge_group", &Event{Name: "merge_group", Repository: "acme/app", Ref: "refs/heads/gh-readonly-queue/main/pr-7", Branch: "main", Base: h.c1, Head: h.f2},
			"", scan.ModeHistory, h.c1 + ".." + h.f2, classify.Review, "merge_group:refs/heads/gh-readonly-queue/main/pr-7", ""},
		{"workflow_dispatch on the default branch", &Event{Name: "workflow_dispatch", Repository: "acme/app", DefaultBranch: "main", Ref: "refs/heads/main", Branch: "main"},
			"", scan.ModeDir, "", classify.Production, "dispatch:refs/heads/main", ""},
		{"workflow_dispatch on another branch", &Event{Name: "workflow_dispatch", Repository: "acme/app", DefaultBranch: "main", Ref: "refs/heads/feat", Branch: "feat"},
			"", scan.ModeDir, "", classify.Audit, "dispatch:refs/heads/feat", ""},
		{"workflow_dispatch with a range", &Event{Name: "workflow_dispatch", Repository: "acme/app", DefaultBranch: "main", Ref: "refs/heads/main", Branch: "main"},
			h.c0 + ".." + h.f2, scan.ModeHistory, h.c0 + ".." + h.f2, classify.Production, "dispatch:refs/heads/main", ""},
		{"schedule", &Event{Name: "schedule", Repository: "acme/app", DefaultBranch: "main", Ref: "refs/heads/main", Branch: "main"},
			"", scan.ModeDir, "", classify.Audit, "schedule:refs/heads/main", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := h.planner()
			p.RangeInput = c.rangeIn
			pl, err := p.Plan(context.Background(), c.ev)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Mode != c.wantMode || pl.Range != c.wantRange || pl.Stage != c.wantStage || pl.Key != c.wantKey {
				t.Errorf("plan %s %q %s %q, want %s %q %s %q", pl.Mode, pl.Range, pl.Stage, pl.Key, c.wantMode, c.wantRange, c.wantStage, c.wantKey)
			}
			if notes := strings.Join(pl.Notes, "; "); !strings.Contains(notes, c.wantNote) || (c.wantNote == "" && notes != "") {
				t.Errorf("notes %q, want %q", notes, c.wantNote)
			}
		})
	}
}

func TestPlanDeletedBranchScansNothing(t *testing.T) {
	h := newHistory(t)
	pl, err := h.planner().Plan(context.Background(), push("refs/heads/feat", h.f2, zero))
	if err != nil || pl.Skip == "" {
		t.Fatalf("plan %+v, %v; want a skip", pl, err)
	}
}

func TestPlanMissingCommitFails(t *testing.T) {
	h := newHistory(t)
	_, err := h.planner().Plan(context.Background(), &Event{Name: "pull_request", Repository: "acme/app", PRNumber: 1, Base: shaA, Head: h.f2})
	if !errors.Is(err, ErrHistory) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Fatalf("error %v, want ErrHistory naming fetch-depth: 0", err)
	}
}

func TestPlanBadRangeInput(t *testing.T) {
	h := newHistory(t)
	p := h.planner()
	p.RangeInput = "--output=/tmp/x"
	_, err := p.Plan(context.Background(), &Event{Name: "schedule", Repository: "acme/app", Ref: "refs/heads/main", Branch: "main"})
	if !errors.Is(err, ErrEvent) {
		t.Fatalf("error %v, want ErrEvent", err)
	}
}

// shallowClone clones origin's feat branch with depth 1, as actions/checkout
// does by default, and returns the clone's directory.
func shallowClone(t *testing.T, origin *history) string {
	origin.r.Git("update-ref", "refs/pull/7/head", origin.f2)
	dir := t.TempDir()
	origin.r.Git("clone", "-q", "--depth", "1", "--branch", "feat", "file://"+origin.r.Dir, dir)
	return dir
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := source.Git{Dir: dir}.Output(context.Background(), args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPlanDeepensAShallowClone(t *testing.T) {
	origin := newHistory(t)
	for i := range 3 {
		origin.r.Write("f.txt", strings.Repeat("x", i+3)+"\n")
		origin.f2 = origin.r.Commit("more")
	}
	clone := shallowClone(t, origin)
	if gitIn(t, clone, "rev-parse", "--is-shallow-repository") != "true" {
		t.Fatal("clone is not shallow")
	}
	p := &Planner{Git: source.Git{Dir: clone}}
	pl, err := p.Plan(context.Background(), &Event{Name: "pull_request", Repository: "acme/app", PRNumber: 7, Base: origin.c1, Head: origin.f2, Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	cut, err := p.cutByShallow(context.Background(), pl.Range)
	if err != nil || cut {
		t.Fatalf("range %s still reaches the shallow boundary (%v)", pl.Range, err)
	}
	// The scan now reads every commit of the pull request.
	if n := gitIn(t, clone, "rev-list", "--count", pl.Range); n != "5" {
		t.Errorf("range has %s commits, want 5", n)
	}
}

func TestPlanShallowCloneWithoutRemoteFails(t *testing.T) {
	origin := newHistory(t)
	clone := shallowClone(t, origin)
	gitIn(t, clone, "remote", "set-url", "origin", "file:///nonexistent/repo")
	p := &Planner{Git: source.Git{Dir: clone}}
	// The head is in the clone, the base is not and cannot be fetched.
	_, err := p.Plan(context.Background(), push("refs/heads/feat", origin.f1, origin.f2))
	if !errors.Is(err, ErrHistory) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Fatalf("error %v, want ErrHistory naming fetch-depth: 0", err)
	}
}

package source

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/internal/testkit"
)

func collect(t *testing.T, src detect.Source) (map[string]*detect.Fragment, []detect.Skip, error) {
	t.Helper()
	frags := map[string]*detect.Fragment{}
	var skips []detect.Skip
	err := src.Scan(context.Background(), func(f *detect.Fragment) error {
		if f.Path != MessagePath {
			frags[f.Path] = f
		}
		return nil
	}, func(s detect.Skip) { skips = append(skips, s) })
	return frags, skips, err
}

func TestHistoryFragmentsHoldAddedLinesWithFileLineNumbers(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a.txt", "one\ntwo\nthree\nfour\n")
	base := r.Commit("base")
	r.Write("a.txt", "one\nTWO\nthree\nfour\nfive\n")
	head := r.Commit("change\n\nAssisted-by: Some Tool <tool@example.org>")
	h := &History{Git: Git{Dir: r.Dir}, Range: base + "..HEAD"}
	frags, _, err := collect(t, h)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	f := frags["a.txt"]
	if f == nil || f.Text != "TWO\nfive" {
		t.Fatalf("fragment %+v", f)
	}
	if f.FileLine(1) != 2 || f.FileLine(2) != 5 || !f.IsAdded(5) || f.IsAdded(3) {
		t.Errorf("line map wrong: %v", f.AddedLines())
	}
	if f.Commit.SHA != head || f.Commit.Subject != "change" || f.Commit.Author != "Dev Eloper" {
		t.Errorf("commit %+v", f.Commit)
	}
	whole, err := f.Whole()
	if err != nil || whole != "one\nTWO\nthree\nfour\nfive\n" {
		t.Errorf("Whole() = %q, %v", whole, err)
	}
}

func TestHostileFileNames(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("seed", "x\n")
	base := r.Commit("base")
	names := []string{"new\nline.txt", `quo"te.txt`, "-leading-dash.txt", "sp ace.txt", "ünï€ode.txt", "semi;colon$(x).txt", "tab\there.txt"}
	for _, n := range names {
		r.Write(n, "content of "+strings.ReplaceAll(n, "\n", "")+"\n")
	}
	r.Commit("hostile names")
	frags, _, err := collect(t, &History{Git: Git{Dir: r.Dir}, Range: base + "..HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range frags {
		got = append(got, p)
	}
	sort.Strings(got)
	sort.Strings(names)
	if strings.Join(got, "|") != strings.Join(names, "|") {
		t.Errorf("paths\n got %q\nwant %q", got, names)
	}
}

func TestBinaryAndOversizeAreSkippedAndSaid(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("seed", "x\n")
	base := r.Commit("base")
	r.Write("blob.bin", "\x00\x01\x02binary")
	r.Write("big.txt", strings.Repeat("line\n", 100))
	r.Write("ok.txt", "fine\n")
	r.Commit("mixed")
	frags, skips, err := collect(t, &History{Git: Git{Dir: r.Dir}, Range: base + "..HEAD", MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := frags["ok.txt"]; !ok || len(frags) != 1 {
		t.Errorf("fragments: %v", frags)
	}
	reasons := map[string]string{}
	for _, s := range skips {
		reasons[s.Path] = s.Reason
	}
	if reasons["blob.bin"] != "binary file" || !strings.Contains(reasons["big.txt"], "larger than 100") {
		t.Errorf("skips: %v", reasons)
	}
}

func TestGitFailuresAreErrors(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a", "a\n")
	r.Commit("a")
	for _, rng := range []string{"nope..HEAD", "HEAD..nope", "--all", "HEAD~5..HEAD"} {
		_, _, err := collect(t, &History{Git: Git{Dir: r.Dir}, Range: rng})
		if !errors.Is(err, ErrSource) {
			t.Errorf("range %q: err %v, want ErrSource", rng, err)
		}
	}
	if _, _, err := collect(t, &History{Git: Git{Dir: t.TempDir()}}); !errors.Is(err, ErrSource) {
		t.Errorf("not a repository: %v", err)
	}
}

func TestStagedFragments(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a.txt", "one\n")
	r.Commit("a")
	r.Write("a.txt", "one\nstaged\n")
	r.Git("add", "a.txt")
	r.Write("a.txt", "one\nstaged\nnot staged\n")
	s := &Staged{Git: Git{Dir: r.Dir}}
	frags, _, err := collect(t, s)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := frags["a.txt"]
	if f == nil || f.Text != "staged" || f.FileLine(1) != 2 || f.Stage != detect.StageStaged {
		t.Fatalf("fragment %+v", f)
	}
	if whole, _ := f.Whole(); whole != "one\nstaged\n" {
		t.Errorf("Whole() of a staged file should be the index version, got %q", whole)
	}
}

func TestCommitMessagesAreFragments(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a", "a\n")
	base := r.Commit("base")
	r.Write("b", "b\n")
	sha := r.Commit("subject line\n\nbody text")
	var msgs []*detect.Fragment
	err := (&History{Git: Git{Dir: r.Dir}, Range: base + "..HEAD"}).Scan(context.Background(), func(f *detect.Fragment) error {
		if f.Path == MessagePath {
			msgs = append(msgs, f)
		}
		return nil
	}, func(detect.Skip) {})
	if err != nil || len(msgs) != 1 || msgs[0].Text != "subject line\n\nbody text" || msgs[0].Commit.SHA != sha {
		t.Fatalf("message fragments %+v, %v", msgs, err)
	}
}

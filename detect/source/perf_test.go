package source

import (
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// TestNewFileWholeWithoutCatFile checks that a file a commit creates gives
// its added text as the whole file without starting `git cat-file`, while
// a modified file still loads its complete new version.
func TestNewFileWholeWithoutCatFile(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("old.txt", "one\ntwo\n")
	base := r.Commit("base")
	r.Write("old.txt", "one\ntwo\nthree\n")
	r.Write("new.txt", "alpha\nbeta\n")
	r.Commit("change")
	h := &History{Git: Git{Dir: r.Dir}, Range: base + "..HEAD"}
	frags, _, err := collect(t, h)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	whole, err := frags["new.txt"].Whole()
	if err != nil || whole != "alpha\nbeta" {
		t.Fatalf("new file Whole() = %q, %v", whole, err)
	}
	if h.blobs.used {
		t.Error("cat-file started for a new file")
	}
	whole, err = frags["old.txt"].Whole()
	if err != nil || whole != "one\ntwo\nthree\n" || !h.blobs.used {
		t.Errorf("modified file Whole() = %q, %v (cat-file used %v)", whole, err, h.blobs.used)
	}
}

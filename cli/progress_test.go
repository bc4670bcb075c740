package cli

import (
	"strings"
	"testing"
)

func TestProgressLineShowsCommitsBytesAndETA(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b)
	p.SetTotal(10)
	p.Add(1, 3<<20, "a")
	p.Add(1, 1<<20, "a")
	p.Add(1, 1<<20, "b")
	p.stop()
	line := p.line()
	for _, want := range []string{"3 files", "2/10 commits", "ETA", "5.0 MiB"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}

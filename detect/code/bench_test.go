package code

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// benchCorpus is realistic, mostly safe code: the files under
// testdata/bench plus this package's own Go source.
func benchCorpus(tb testing.TB) map[string]string {
	tb.Helper()
	files := map[string]string{}
	for _, pattern := range []string{"testdata/bench/*", "*.go"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			files[p] = string(b)
		}
	}
	if len(files) < 5 {
		tb.Fatalf("bench corpus too small: %d files", len(files))
	}
	return files
}

// TestBenchCorpusClean is a precision check: safe, realistic code
// (parameterised queries, constants, crypto/rand, textContent) yields
// nothing.
func TestBenchCorpusClean(t *testing.T) {
	d := newDetector(t, config.Code{})
	for p, src := range benchCorpus(t) {
		fs, err := d.Detect(context.Background(), detect.NewTreeFragment(p, src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			t.Errorf("%s:%d %s: %s", p, f.StartLine, f.RuleID, f.Redacted)
		}
	}
}

func BenchmarkTree(b *testing.B) {
	d := newDetector(b, config.Code{})
	files := benchCorpus(b)
	var size int64
	for _, src := range files {
		size += int64(len(src))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for p, src := range files {
			if _, err := d.Detect(context.Background(), detect.NewTreeFragment(p, src)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkHistory models a history scan: each commit adds every tenth
// line of a file, and the detector may load the whole new file. Bytes are
// the whole files, as the source reads them.
func BenchmarkHistory(b *testing.B) {
	d := newDetector(b, config.Code{})
	files := benchCorpus(b)
	type frag struct {
		path, whole, text string
		lines             []int
	}
	var frags []frag
	var size int64
	for p, src := range files {
		all := strings.Split(src, "\n")
		var text []string
		var lines []int
		for i := 0; i < len(all); i += 10 {
			text = append(text, all[i])
			lines = append(lines, i+1)
		}
		frags = append(frags, frag{p, src, strings.Join(text, "\n"), lines})
		size += int64(len(src))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, f := range frags {
			fr := detect.NewDiffFragment(f.path, detect.StageHistory, nil, f.text, f.lines,
				func() (string, error) { return f.whole, nil })
			if _, err := d.Detect(context.Background(), fr); err != nil {
				b.Fatal(err)
			}
		}
	}
}

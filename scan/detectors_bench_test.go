package scan

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/internal/testkit"
)

// benchCorpus is realistic content for detector throughput: an evenly
// spread, deterministic sample of the text files in the Go toolchain's own
// source tree (Go, assembly, C, HTML, JSON, scripts, test data), the same
// files bench/genhistory commits. AIGUARD_BENCH_MB sets its size (default 4).
var benchCorpus = sync.OnceValues(func() ([]*detect.Fragment, error) {
	limit := 4 << 20
	if mb, err := strconv.Atoi(os.Getenv("AIGUARD_BENCH_MB")); err == nil && mb > 0 {
		limit = mb << 20
	}
	return testkit.GoTree(7, limit)
})

// BenchmarkDetectors reports each detector's throughput (MB/s) on one core
// over the same corpus, and all of them together as a scan runs them.
func BenchmarkDetectors(b *testing.B) {
	frags, err := benchCorpus()
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range frags {
		size += int64(len(f.Text))
	}
	ds, err := Detectors(b.TempDir(), config.Default())
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, ds []detect.Detector) {
		b.SetBytes(size)
		ctx := context.Background()
		for b.Loop() {
			for _, f := range frags {
				for _, d := range ds {
					if _, err := d.Detect(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	for _, d := range ds {
		b.Run(d.Name(), func(b *testing.B) { run(b, []detect.Detector{d}) })
	}
	b.Run("all", func(b *testing.B) { run(b, ds) })
}

// goSrc is the Go toolchain's source tree.

package scan

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
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
	root, err := goSrc()
	if err != nil {
		return nil, err
	}
	var paths []string
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var frags []*detect.Fragment
	total := 0
	// Taking every 7th file samples every part of the tree, not only the
	// alphabetically first packages.
	for i := 0; i < len(paths) && total < limit; i += 7 {
		data, err := os.ReadFile(paths[i])
		if err != nil || len(data) == 0 || len(data) > 200<<10 || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			continue
		}
		rel, _ := filepath.Rel(root, paths[i])
		frags = append(frags, detect.NewTreeFragment(filepath.ToSlash(rel), string(data)))
		total += len(data)
	}
	return frags, nil
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
func goSrc() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	return filepath.Join(strings.TrimSpace(string(out)), "src"), err
}

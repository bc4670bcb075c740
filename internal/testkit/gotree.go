package testkit

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/detect"
)

// GoTree is realistic mixed content for benchmarks (Go, assembly, C, HTML,
// JSON, scripts, docs, test data): every step-th text file of the Go
// toolchain's source tree, at most 200 kB each, until limit bytes. Taking
// every step-th file samples every part of the tree, not only the
// alphabetically first packages; the sample is the same on every run.
func GoTree(step, limit int) ([]*detect.Fragment, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
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
	for i := 0; i < len(paths) && total < limit; i += step {
		data, err := os.ReadFile(paths[i])
		if err != nil || len(data) == 0 || len(data) > 200<<10 || bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			continue
		}
		rel, _ := filepath.Rel(root, paths[i])
		frags = append(frags, detect.NewTreeFragment(filepath.ToSlash(rel), string(data)))
		total += len(data)
	}
	return frags, nil
}

package code

import (
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

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

// realCorpus samples real source files of several languages from the Go
// toolchain and, where installed, the Python standard library: code nobody
// wrote to please this detector, where sink keywords (Query, Exec, open(,
// execute) are common and real findings rare. Every step-th file is taken
// in path order, so the sample is deterministic.
func realCorpus(tb testing.TB, limit int) map[string]string {
	tb.Helper()
	files := map[string]string{}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skipf("no Go toolchain sources: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	roots := []struct {
		dir  string
		exts []string
		step int
	}{
		{filepath.Join(goroot, "src"), []string{".go"}, 25},
		{filepath.Join(goroot, "src"), []string{".js", ".java", ".sh"}, 1},
		{filepath.Join(goroot, "misc"), []string{".js", ".sh", ".java"}, 1},
		{filepath.Join(goroot, "lib"), []string{".js"}, 1},
		{"/usr/lib/python3.11", []string{".py"}, 3},
	}
	for _, r := range roots {
		var paths []string
		_ = filepath.WalkDir(r.dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			for _, x := range r.exts {
				if strings.HasSuffix(p, x) && !strings.HasSuffix(p, ".min.js") {
					paths = append(paths, p)
				}
			}
			return nil
		})
		sort.Strings(paths)
		for i := 0; i < len(paths); i += r.step {
			b, err := os.ReadFile(paths[i])
			if err != nil || len(b) > limit {
				continue
			}
			files[paths[i]] = string(b)
		}
	}
	if len(files) < 100 {
		tb.Skipf("real corpus too small (%d files): no Go toolchain sources", len(files))
	}
	return files
}

// cpuTime is the process's user plus system CPU time: the machines these
// benchmarks run on are shared, so wall time alone says little.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRates reports MB/s of each byte count per CPU second.
func reportRates(b *testing.B, cpu time.Duration, sizes map[string]int64) {
	for unit, n := range sizes {
		b.ReportMetric(float64(n)*float64(b.N)/1e6/cpu.Seconds(), unit)
	}
}

// BenchmarkRealHistory models a history scan over real code: each file is
// changed by one to three hunks of one to six lines, and Whole returns the
// full file as git would. It reports MB per CPU second of the added text
// (what the scan is charged for) and of the whole files behind it.
func BenchmarkRealHistory(b *testing.B) {
	d := newDetector(b, config.Code{})
	files := realCorpus(b, maxParse)
	rng := rand.New(rand.NewPCG(1, 2))
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	type frag struct {
		path, whole, text string
		lines             []int
	}
	var frags []frag
	var added, whole int64
	for _, p := range paths {
		src := files[p]
		all := strings.Split(src, "\n")
		var text []string
		var lines []int
		next := 0
		for range 1 + rng.IntN(3) {
			start := next + rng.IntN(max(len(all)-next, 1))
			for l := start; l < min(start+1+rng.IntN(6), len(all)); l++ {
				text = append(text, all[l])
				lines = append(lines, l+1)
				next = l + 1
			}
		}
		if len(lines) == 0 {
			continue
		}
		t := strings.Join(text, "\n")
		frags = append(frags, frag{p, src, t, lines})
		added += int64(len(t))
		whole += int64(len(src))
	}
	run := func() {
		for _, f := range frags {
			fr := detect.NewDiffFragment(f.path, detect.StageHistory, nil, f.text, f.lines,
				func() (string, error) { return f.whole, nil })
			if _, err := d.Detect(context.Background(), fr); err != nil {
				b.Fatal(err)
			}
		}
	}
	run() // compiles the queries
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		run()
	}
	reportRates(b, cpuTime()-start, map[string]int64{"added-MB/cpu-s": added, "whole-MB/cpu-s": whole})
}

// BenchmarkRealTree is a directory scan of the same real files.
func BenchmarkRealTree(b *testing.B) {
	d := newDetector(b, config.Code{})
	files := realCorpus(b, maxParse)
	var size int64
	for _, src := range files {
		size += int64(len(src))
	}
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		for p, src := range files {
			if _, err := d.Detect(context.Background(), detect.NewTreeFragment(p, src)); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportRates(b, cpuTime()-start, map[string]int64{"MB/cpu-s": size})
}

package source

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
)

// benchFiles returns about limit bytes of text files from the Go toolchain's
// source tree, in a fixed order, as realistic content for the sources.
func benchFiles(b *testing.B, limit int) (root string, paths []string) {
	root = goSrc(b)
	var all []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() && filepath.Ext(p) == ".go" {
			all = append(all, p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(all)
	total := 0
	for i := 0; i < len(all) && total < limit; i += 5 {
		st, err := os.Stat(all[i])
		if err != nil {
			b.Fatal(err)
		}
		paths = append(paths, all[i])
		total += int(st.Size())
	}
	return root, paths
}

// BenchmarkHistoryParser measures the diff parser alone (no git process) on
// a `git log -p -U0` stream in which each commit adds ten files.
func BenchmarkHistoryParser(b *testing.B) {
	root, paths := benchFiles(b, 16<<20)
	var log bytes.Buffer
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			fmt.Fprintf(&log, "%s%040x\x00\x00A U\x00a@example.org\x002024-01-02T03:04:05Z\x00A U\x00a@example.org\x00Add files\n\x00\n", headerMarker, i)
		}
		rel, _ := filepath.Rel(root, p)
		lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		fmt.Fprintf(&log, "diff --git a/%s b/%s\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..%040x\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n",
			rel, rel, i+1, rel, len(lines))
		for _, l := range lines {
			log.WriteByte('+')
			log.Write(l)
			log.WriteByte('\n')
		}
	}
	stream := log.Bytes()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		n := 0
		p := &diffParser{opts: diffOptions{stage: detect.StageHistory},
			emit: func(f *detect.Fragment) error {
				if f.Path != MessagePath {
					n++
				}
				return nil
			}, skip: func(detect.Skip) {}}
		if err := p.parse(bufio.NewReaderSize(bytes.NewReader(stream), 1<<20)); err != nil {
			b.Fatal(err)
		}
		if n != len(paths) {
			b.Fatalf("%d fragments, want %d", n, len(paths))
		}
	}
}

// BenchmarkDirSource measures walking and reading a tree.
func BenchmarkDirSource(b *testing.B) {
	root := filepath.Join(goSrc(b), "net")
	var size int64
	src := &Dir{Root: root}
	for b.Loop() {
		size = 0
		err := src.Scan(context.Background(), func(f *detect.Fragment) error { size += int64(len(f.Text)); return nil }, func(detect.Skip) {})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(size)
}

// goSrc is the Go toolchain's source tree, the benchmarks' realistic content.
func goSrc(b *testing.B) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		b.Skip("go env GOROOT:", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "src")
}

package secrets

import (
	"context"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/internal/testkit"
)

// BenchmarkDetect scans mostly clean code (the common case in history scans)
// with one credential per file; b.SetBytes makes go test report MB/s.
func BenchmarkDetect(b *testing.B) {
	d := defaultDetector(b)
	g := newGen(7)
	var frags []*detect.Fragment
	var size int64
	for i := 0; i < 40; i++ {
		var sb strings.Builder
		lang := []string{"py", "js", "go", "yaml"}[i%4]
		for l := 0; l < 150; l++ {
			sb.WriteString(filler(g, lang))
			sb.WriteByte('\n')
		}
		sb.WriteString("token = \"ghp_" + g.s(alnum, 36) + "\"\n")
		frags = append(frags, detect.NewTreeFragment("src/file."+lang, sb.String()))
		size += int64(sb.Len())
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range frags {
			if _, err := d.Detect(context.Background(), f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkNarrow measures the window's pass over every text, which reads
// every byte of a scan, on a sample of the Go tree's sources.
func BenchmarkNarrow(b *testing.B) {
	frags, err := testkit.GoTree(7, 4<<20)
	if err != nil {
		b.Skip(err)
	}
	w := defaultDetector(b).window
	var size int64
	for _, f := range frags {
		size += int64(len(f.Text))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		for _, f := range frags {
			w.narrow(f.Path, f.Text)
		}
	}
}

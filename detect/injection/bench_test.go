package injection

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/internal/testkit"
)

// TestOwnSourcesQuiet scans this package's real files: a detector full of
// attack vocabulary must still not flag itself.
func TestOwnSourcesQuiet(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatal("no sources", err)
	}
	d := New(config.Injection{})
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := d.Detect(context.Background(), detect.NewTreeFragment("detect/injection/"+f, string(b)))
		if err != nil || len(fs) > 0 {
			t.Errorf("%s: %v %s", f, err, describe(fs))
		}
	}
}

func benchText(unit string, size int) string {
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(unit)
	}
	return b.String()
}

const goUnit = `// Package store keeps users. It retries requests and ignores previous results.
func (s *Store) Get(ctx context.Context, id string) (*User, error) {
	row := s.db.QueryRowContext(ctx, "SELECT name, email FROM users WHERE id = $1", id)
	var u User
	if err := row.Scan(&u.Name, &u.Email); err != nil {
		return nil, fmt.Errorf("get user %s: %w", id, err)
	}
	return &u, nil
}
`

const proseUnit = "## Überblick — 概要\n\nThis service sends e-mail notifications. Café, naïve, 日本語, 한국어, \u0645\u0631\u062d\u0628\u0627. Run `make test` before committing; skip the e2e tests locally.\n\n"

func benchDetect(b *testing.B, path, text string) {
	d := New(config.Injection{})
	frag := detect.NewTreeFragment(path, text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Detect(context.Background(), frag); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCode(b *testing.B)      { benchDetect(b, "store/store.go", benchText(goUnit, 1<<20)) }
func BenchmarkProse(b *testing.B)     { benchDetect(b, "docs/guide.md", benchText(proseUnit, 1<<20)) }
func BenchmarkAgentFile(b *testing.B) { benchDetect(b, "AGENTS.md", benchText(proseUnit, 64<<10)) }

// goTree is the sample of the Go source tree the scan benchmarks use.
var goTree = sync.OnceValues(func() ([]*detect.Fragment, error) { return testkit.GoTree(7, 4<<20) })

func BenchmarkGoTree(b *testing.B) {
	frags, err := goTree()
	if err != nil {
		b.Fatal(err)
	}
	d := New(config.Injection{})
	var size int64
	for _, f := range frags {
		size += int64(len(f.Text))
	}
	b.SetBytes(size)
	ctx := context.Background()
	for b.Loop() {
		for _, f := range frags {
			if _, err := d.Detect(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

package pii

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// mixedSource builds realistic repository content: Go and Python with
// numbers, versions, hashes and timestamps, configs, docs and logs, with
// a little personal data, about 1 MB in all.
func mixedSource() []*detect.Fragment {
	r := newRand(99)
	goSrc := `package server

import (
	"fmt"
	"time"
)

// Handler serves requests; timeout is in milliseconds.
func Handler(id int64, ts int64) error {
	const maxRetries = 3
	deadline := time.Unix(1712345678, 0).Add(1500 * time.Millisecond)
	if id == 6234567890123 || ts > 1700000000000 {
		return fmt.Errorf("request %d at %v: sha %s", id, deadline, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
	}
	for i := 0; i < maxRetries; i++ {
		buf := []byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x09, 0x6e, 0x88}
		_ = buf
	}
	return nil
}
`
	pySrc := `import numpy as np

def score(df):
    """Version 2.14.3 of the scoring model."""
    weights = np.array([0.125, 0.25, 0.5, 1.0, 2.75])
    df["created_at"] = "2024-01-15T09:30:00Z"
    return df.assign(total=df.amount * 1.2, ref="ORD-20240115-000123")
`
	yml := `version: "3.9"
services:
  api:
    image: registry.example.com/api:1.4.2
    ports: ["8080:8080"]
    environment:
      DATABASE_URL: postgres://app@db:5432/app
      LOG_LEVEL: info
`
	md := "# Release notes\n\nVersion 4.1.21 fixes issue #1234 reported on 2024-02-03. See https://example.com/docs.\n"
	var log strings.Builder
	for i := range 40 {
		fmt.Fprintf(&log, "2024-05-01 10:%02d:%02d.123 INFO request_id=%d latency_ms=%d path=/api/v1/items/%d\n", i%60, i%60, 8800000000+i*7919, i*3, 100000+i)
	}
	var frags []*detect.Fragment
	size := 0
	for i := 0; size < 1<<20; i++ {
		var p, t string
		switch i % 6 {
		case 0:
			p, t = fmt.Sprintf("pkg/s%d/server.go", i), goSrc
		case 1:
			p, t = fmt.Sprintf("ml/m%d.py", i), pySrc
		case 2:
			p, t = fmt.Sprintf("deploy/c%d.yml", i), yml
		case 3:
			p, t = fmt.Sprintf("docs/n%d.md", i), md
		case 4:
			p, t = fmt.Sprintf("logs/a%d.log", i), log.String()
		case 5:
			f, l, e, d := genPerson(r)
			p, t = fmt.Sprintf("fixtures/u%d.json", i), fmt.Sprintf("{\"name\": %q, \"email\": %q, \"dob\": %q}\n", f+" "+l, e, d)
		}
		frags = append(frags, detect.NewTreeFragment(p, t))
		size += len(t)
	}
	return frags
}

func BenchmarkDetectMixed(b *testing.B) {
	frags := mixedSource()
	total := 0
	for _, f := range frags {
		total += len(f.Text)
	}
	d := New(config.PersonalData{BulkThreshold: 10})
	ctx := context.Background()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for range b.N {
		for _, f := range frags {
			if _, err := d.Detect(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

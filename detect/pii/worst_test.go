package pii

import (
	"strings"
	"testing"
	"time"
)

// TestLongLines guards against work that grows with the square of a line's
// length (minified files, base64 blobs, one-line dumps).
func TestLongLines(t *testing.T) {
	r := newRand(3)
	var b strings.Builder
	for b.Len() < 1<<20 {
		f, l, e, _ := genPerson(r)
		b.WriteString(`{"name":"` + f + " " + l + `","email":"` + e + `","id":` + randDigits(r, 10) + `,"blob":"` + strings.Repeat("QUJD", 20) + `=="},`)
	}
	start := time.Now()
	fs := run(t, "dump.min.json", b.String())
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("1 MB single-line file took %v", el)
	}
	if len(fs) != 1 || fs[0].Class != "bulk" {
		t.Fatalf("want one bulk finding, got %v", rules(fs))
	}
}

package pii

import (
	"slices"
	"strings"
	"testing"
)

// TestWordSet compares wordSet with one strings.Contains per word over
// texts made of pieces of the words, where partial and overlapping matches
// are common.
func TestWordSet(t *testing.T) {
	r := newRand(31)
	synthetic := wordSet{newWordGroup('a', "ab", "aab", "ba"), newWordGroup('c', "xxc", "cc")}
	for _, set := range []wordSet{dobFileWords, markingWords, synthetic} {
		var words []string
		for _, g := range set {
			words = append(words, g.words...)
		}
		found := 0
		for range 5000 {
			var b strings.Builder
			for range r.IntN(6) {
				w := words[r.IntN(len(words))]
				i := r.IntN(len(w))
				b.WriteString(w[i : i+1+r.IntN(len(w)-i)])
				b.WriteString(" \n"[:r.IntN(3)])
			}
			text := b.String()
			want := false
			for _, w := range words {
				want = want || strings.Contains(text, w)
			}
			if want {
				found++
			}
			if got := set.in(text); got != want {
				t.Fatalf("wordSet%q.in(%q) = %v", words, text, got)
			}
		}
		if found < 100 {
			t.Errorf("only %d random texts contained one of %q", found, words)
		}
	}
}

// TestMayStartInsert checks that the quick look never turns away a line
// that sqlState's own test would read as the start of an INSERT.
func TestMayStartInsert(t *testing.T) {
	r := newRand(32)
	pieces := []string{" ", "\t", "\r", "\v", "\u00a0", "\u0085", "\u2003", "INSERT INTO", "insert into", "Insert Into t", "I", "x", "(", "é"}
	opened := 0
	for range 5000 {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		line := b.String()
		tr := strings.TrimSpace(line)
		insert := len(tr) > 11 && strings.EqualFold(tr[:11], "INSERT INTO")
		if insert {
			opened++
		}
		if insert && !mayStartInsert(line) {
			t.Fatalf("mayStartInsert(%q) = false", line)
		}
	}
	if opened < 100 {
		t.Errorf("only %d random lines started an INSERT", opened)
	}
}

func TestSplitLines(t *testing.T) {
	buf := []string{"stale"}
	for _, text := range []string{"", "\n", "a", "a\n", "\na\n\nb", "a\r\nb\n\n"} {
		got := splitLines(buf[:0], text)
		if want := strings.Split(text, "\n"); !slices.Equal(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", text, got, want)
		}
		buf = got
	}
}

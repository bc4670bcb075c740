package pii

import (
	"bytes"
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

// TestNextCandidate checks that scanning a whole text, line after line as
// run does, gives every line the verdict it gets on its own, over random
// texts dense in the bytes the pre-filter looks at, line ends included.
func TestNextCandidate(t *testing.T) {
	r := newRand(33)
	// Runs of digits often meet a line end, and '@' is rare, so that many
	// lines are not candidates and a run or a look around that crossed a
	// line end would show.
	const alphabet = "0123456789 -/.AZax\n"
	lines, total := 0, 0
	for range 3000 {
		b := make([]byte, r.IntN(120))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
			if r.IntN(200) == 0 {
				b[i] = '@'
			}
		}
		text := string(b)
		s := &scanner{text: text, nextCand: -1}
		start := 0
		for _, line := range strings.Split(text, "\n") {
			end := start + len(line)
			alone := nextCandidate(line, 0) < len(line)
			if whole := s.candidate(start, end); whole != alone {
				t.Fatalf("line %q of %q: %v in the text, %v alone", line, text, whole, alone)
			}
			if alone {
				lines++
			}
			total++
			start = end + 1
		}
	}
	if lines < total/5 || lines > total*4/5 {
		t.Errorf("%d candidate lines of %d: too few or too many to tell", lines, total)
	}
}

// TestNextDigitOrAt puts every byte value in every lane of the eight-byte
// test, and in the tail after it, among bytes on both sides of the range,
// and compares with a plain loop.
func TestNextDigitOrAt(t *testing.T) {
	for _, fill := range []byte{'/', 'A', 'a', ' ', '\n', '9', 0x7f, 0x80, 0xb0, 0xc0, 0xff} {
		for v := range 256 {
			for at := range 11 {
				b := bytes.Repeat([]byte{fill}, 11)
				b[at] = byte(v)
				s := string(b)
				want := len(s)
				for j := range len(s) {
					if s[j] >= '0' && s[j] <= '@' {
						want = j
						break
					}
				}
				if got := nextDigitOrAt(s, 0); got != want {
					t.Fatalf("nextDigitOrAt(%q, 0) = %d, want %d", s, got, want)
				}
			}
		}
	}
}

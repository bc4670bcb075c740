package injection

import (
	"sort"
	"strings"
)

// sentences answers what reportable asks about one passage in time that
// does not grow with the passage: sentence stops are indexed once, and the
// checks that depend only on the sentence run once per rule and sentence,
// since a long passage without full stops is one sentence that all of its
// matches share.
type sentences struct {
	text string
	// stops are the offsets of sentence-ending marks: a full stop, "!" or
	// "?" followed by a blank or the end of the passage, so that a full
	// stop inside a URL or file name does not end a sentence.
	stops    []int
	verdicts map[[3]int]bool // by rule index and sentence bounds
}

func newSentences(text string) *sentences {
	s := &sentences{text: text, verdicts: map[[3]int]bool{}}
	for i := 0; i < len(text); i++ {
		if isStop(text[i]) && (i+1 == len(text) || text[i+1] == ' ') {
			s.stops = append(s.stops, i)
		}
	}
	return s
}

func isStop(c byte) bool { return c == '.' || c == '!' || c == '?' }

// nextStop returns the offset of the first stop at or after i, or the
// passage's length.
func (s *sentences) nextStop(i int) int {
	if k := sort.SearchInts(s.stops, i); k < len(s.stops) {
		return s.stops[k]
	}
	return len(s.text)
}

// bounds returns the sentence around text[start:end]: from after the last
// stop and its blank before start, through the first stop at or after end.
func (s *sentences) bounds(start, end int) (int, int) {
	s0 := 0
	if k := sort.SearchInts(s.stops, start-1) - 1; k >= 0 {
		s0 = s.stops[k] + 2
	}
	return s0, min(s.nextStop(end), len(s.text)-1) + 1
}

func (s *sentences) sentence(start, end int) string {
	s0, s1 := s.bounds(start, end)
	return strings.TrimSpace(s.text[s0:s1])
}

// quoteCounter reports whether a match sits inside quotation marks or
// backticks, the way documents cite phrases they discuss: an odd number of
// marks before it and another after. It counts forward from the previous
// match, so a rule's matches, which come in order, cost one pass.
type quoteCounter struct {
	text string
	// Double quotes (dq) and backticks (bq) are counted before pos, single
	// quotes used as quotation marks (sq) before spos.
	pos, dq, bq int
	spos, sq    int
	last        [3]int // last offset of '"', '\'' and '`', or -1
}

func newQuoteCounter(text string) *quoteCounter {
	return &quoteCounter{text: text, last: [3]int{
		strings.LastIndexByte(text, '"'), strings.LastIndexByte(text, '\''), strings.LastIndexByte(text, '`'),
	}}
}

func (q *quoteCounter) quoted(start, end int) bool {
	if start < q.pos {
		*q = quoteCounter{text: q.text, last: q.last}
	}
	t := q.text
	for ; q.pos < start; q.pos++ {
		switch t[q.pos] {
		case '"':
			q.dq++
		case '`':
			q.bq++
		}
	}
	// A single quote between two letters or digits is an apostrophe
	// ("don't"), not a quotation mark; the byte just before the match has
	// no next byte to look at, so it always counts.
	for ; q.spos < start-1; q.spos++ {
		i := q.spos
		if t[i] == '\'' && !(i > 0 && isAlnum(t[i-1]) && isAlnum(t[i+1])) {
			q.sq++
		}
	}
	sq := q.sq
	if start > 0 && t[start-1] == '\'' {
		sq++
	}
	return q.dq%2 == 1 && q.last[0] >= end || sq%2 == 1 && q.last[1] >= end || q.bq%2 == 1 && q.last[2] >= end
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
}

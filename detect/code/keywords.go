package code

import "strings"

// keywordSet finds which of many keywords occur in a text in one pass: the
// pre-filter runs on every fragment of a history, so checking a hundred
// keywords one strings.Contains at a time would cost more than the rest.
type keywordSet struct {
	words []string
	// pairs has bit b of pairs[a] set when some keyword starts with the
	// bytes a, b; only those positions are looked up in byPair.
	pairs  [256][4]uint64
	byPair map[[2]byte][]int
	// single lists the one-byte keywords.
	single []int
}

func newKeywordSet(words []string) *keywordSet {
	ks := &keywordSet{words: words, byPair: map[[2]byte][]int{}}
	for i, w := range words {
		if len(w) == 1 {
			ks.single = append(ks.single, i)
			continue
		}
		a, b := w[0], w[1]
		ks.pairs[a][b>>6] |= 1 << (b & 63)
		key := [2]byte{a, b}
		ks.byPair[key] = append(ks.byPair[key], i)
	}
	return ks
}

// find sets first[i] to where keyword i first occurs in text, for every
// keyword in text; first must have len(ks.words) entries, all -1.
func (ks *keywordSet) find(text string, first []int) {
	for _, i := range ks.single {
		first[i] = strings.IndexByte(text, ks.words[i][0])
	}
	for i := 0; i+1 < len(text); i++ {
		a, b := text[i], text[i+1]
		if ks.pairs[a][b>>6]&(1<<(b&63)) == 0 {
			continue
		}
		for _, k := range ks.byPair[[2]byte{a, b}] {
			if first[k] < 0 && strings.HasPrefix(text[i:], ks.words[k]) {
				first[k] = i
			}
		}
	}
}

// langMatchers are the matchers that run on one language's files, with
// their keywords in one set.
type langMatchers struct {
	matchers []*matcher
	kw       *keywordSet
	// kwOf[i] indexes matchers[i]'s keywords in kw.words.
	kwOf [][]int
}

func newLangMatchers(ms []*matcher) *langMatchers {
	lm := &langMatchers{matchers: ms, kwOf: make([][]int, len(ms))}
	index := map[string]int{}
	var words []string
	for i, m := range ms {
		for _, k := range m.keywords {
			j, ok := index[k]
			if !ok {
				j = len(words)
				index[k] = j
				words = append(words, k)
			}
			lm.kwOf[i] = append(lm.kwOf[i], j)
		}
	}
	lm.kw = newKeywordSet(words)
	return lm
}

// candidates returns the matchers with a keyword in text (or none at all),
// and where in text each keyword found first occurs.
func (lm *langMatchers) candidates(text string) ([]*matcher, map[string]int) {
	first := make([]int, len(lm.kw.words))
	for i := range first {
		first[i] = -1
	}
	lm.kw.find(text, first)
	var out []*matcher
	for i, m := range lm.matchers {
		if len(lm.kwOf[i]) == 0 {
			out = append(out, m)
			continue
		}
		for _, j := range lm.kwOf[i] {
			if first[j] >= 0 {
				out = append(out, m)
				break
			}
		}
	}
	var found map[string]int
	for j, off := range first {
		if off < 0 {
			continue
		}
		if found == nil {
			found = map[string]int{}
		}
		found[lm.kw.words[j]] = off
	}
	return out, found
}

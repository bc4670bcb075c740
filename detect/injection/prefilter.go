package injection

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordFlags say which kinds of word a text holds, as the instruction rules
// see them after normalise.
type wordFlags uint8

const (
	// hasOverride: a verb of the override phrases, the one rule that needs
	// no assistant cue outside agent files.
	hasOverride wordFlags = 1 << iota
	// hasCue: a word assistantCue could match.
	hasCue
)

// scanWords reads text once, word by word, and reports which kinds of word
// it holds, stopping as soon as it has seen every kind in want. It is a
// necessary condition for the rule expressions, not a replacement: it may
// report words the expressions then reject, never the reverse. Words are
// runs of ASCII letters, case folded, with the characters normalise drops
// (invisible ones) skipped and the two runes that lowercase to ASCII
// letters (U+0130, U+212A) folded, so a keyword broken up by a zero-width
// space still counts. Whatever separates two words (punctuation, comment
// markers, line breaks, digits) is ignored: that only reports more.
func scanWords(text string, want wordFlags) wordFlags {
	var w wordScanner
	return w.scan(text, want)
}

// wordScanner is scanWords over text that arrives in pieces, such as the
// comment lines of one passage: a phrase may run from one piece into the
// next, a word may not.
type wordScanner struct {
	got  wordFlags
	prev [2]wordID
	// verb is set after an override verb and its filler words ("ignore all
	// the"), awaiting what is ignored.
	verb bool
}

// scan reads the next piece and returns the kinds of word seen so far.
func (sc *wordScanner) scan(text string, want wordFlags) wordFlags {
	// notAgents removes phrases holding "agent" before the cue is matched,
	// which can join what surrounds them into a new word: "agent" anywhere
	// counts as a cue. Words holding characters normalise drops are
	// checked one by one below.
	if want&hasCue != 0 && sc.got&hasCue == 0 && containsAgent(text) {
		sc.got |= hasCue
	}
	if sc.got&want == want {
		return sc.got
	}
	var buf [16]byte
	for i := 0; i < len(text); {
		// Eight bytes at a time over runs of separators and of letters.
		for i+8 <= len(text) {
			m := wordBytes(load64(text, i))
			if m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		for i < len(text) && foldTab[text[i]] == 0 {
			i++
		}
		start := i
		for i+8 <= len(text) {
			m := ^letterBytes(load64(text, i)) & highBits
			if m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		for i < len(text) && foldTab[text[i]] > foldRune {
			i++
		}
		w := text[start:i]
		agent := false
		if i < len(text) && foldTab[text[i]] == foldRune {
			// Rare: a character normalise drops or folds, in or next to
			// a word.
			var b []byte
			b, i = foldWord(text, start, buf[:0])
			w = string(b)
			agent = containsAgent(w)
		}
		if w == "" {
			continue
		}
		id := lookupWord(w)
		if agent || id == wordCue || id == wordI && sc.prev[0] == wordA || id == wordModel && sc.prev[0] == wordLanguage {
			sc.got |= hasCue
		}
		switch {
		case id == wordNow && sc.prev[0] == wordAre && sc.prev[1] == wordYou,
			sc.verb && (id == wordTarget || id == wordYou || targetPrefix(w)):
			sc.got |= hasOverride
		case id == wordVerb,
			id == wordFollow && (sc.prev[0] == wordNot || sc.prev[0] == wordStop):
			sc.verb = true
		case id != wordFiller:
			sc.verb = false
		}
		if sc.got&want == want {
			return sc.got
		}
		sc.prev[1], sc.prev[0] = sc.prev[0], id
	}
	return sc.got
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// load64 reads text[i:i+8] as a little-endian word; the compiler makes
// this one load.
func load64(text string, i int) uint64 {
	b := text[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// letterBytes sets the high bit of each byte of v that is an ASCII letter.
// Folding to lower case and clearing the high bit keeps every byte at most
// 0x7f, so the additions that test the range never carry into the next.
func letterBytes(v uint64) uint64 {
	x := (v | 0x20*lowBits) &^ highBits
	ge := x + (0x80-'a')*lowBits   // high bit set from 'a'
	gt := x + (0x80-'z'-1)*lowBits // high bit set past 'z'
	return ge &^ gt &^ v & highBits
}

// wordBytes sets the high bit of each byte of v that is not a separator
// for scanWords: an ASCII letter or any byte from 0x80, which may lead a
// character that is dropped or folded.
func wordBytes(v uint64) uint64 { return letterBytes(v) | v&highBits }

// foldWord reads the word starting at text[i] as normalise leaves it,
// appending its lower-case letters to buf, and returns them and the offset
// after the word. A character that is neither a letter nor invisible ends
// the word and is consumed.
func foldWord(text string, i int, buf []byte) ([]byte, int) {
	for i < len(text) {
		l := foldTab[text[i]]
		if l == foldRune {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if isInvisible(r) {
				continue
			}
			if r = unicode.ToLower(r); r >= utf8.RuneSelf {
				break
			}
			l = byte(r)
		} else if l == 0 {
			break
		} else {
			i++
		}
		buf = append(buf, l)
	}
	return buf, i
}

// targetPrefix reports whether w starts with a word that "forget all"
// may be followed by: that alternative of the rule has no \b at its end,
// so "forget all abovementioned" matches too.
func targetPrefix(w string) bool {
	for _, p := range [...]string{"above", "before", "previously"} {
		if len(w) >= len(p) && equalFold(p, w[:len(p)]) {
			return true
		}
	}
	return false
}

// containsAgent reports whether s holds "agent" in any case.
func containsAgent(s string) bool {
	for _, g := range [...]byte{'g', 'G'} {
		for i := 1; i < len(s); i++ {
			j := strings.IndexByte(s[i:], g)
			if j < 0 {
				break
			}
			i += j
			if i+len("ent") < len(s) && s[i-1]|0x20 == 'a' && s[i+1]|0x20 == 'e' && s[i+2]|0x20 == 'n' && s[i+3]|0x20 == 't' {
				return true
			}
		}
	}
	return false
}

// foldRune in foldTab marks the lead bytes of the runes normalise drops (the
// invisible ones, see hasInvisibleLead) or lowercases to an ASCII letter
// (U+0130, U+212A); other bytes map to their lower-case ASCII letter, or to
// 0 for bytes that separate words (including all other non-ASCII).
const foldRune = 1

var foldTab = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	for _, c := range []byte{0xc4, 0xe2, 0xef, 0xf3} {
		t[c] = foldRune
	}
	return t
}()

// wordID names the part a word can play in what the rules match.
type wordID uint8

const (
	wordOther wordID = iota
	// wordCue is a word assistantCue matches on its own.
	wordCue
	// wordVerb starts an override ("ignore", "forget"), wordFiller may
	// follow it ("all", "the"), and wordTarget names what is overridden
	// ("previous", "instructions", and "you" as in "forget all you were
	// told"): together the ignore-instructions rule.
	wordVerb
	wordFiller
	wordTarget
	// "do not follow", "stop following": follow is a verb after these.
	wordFollow
	wordNot
	wordStop
	// Phrases: "you are now", "a.i.", "language model".
	wordYou
	wordAre
	wordNow
	wordA
	wordI
	wordLanguage
	wordModel
)

var words = func() map[string]wordID {
	m := map[string]wordID{}
	for id, ws := range map[wordID][]string{
		wordCue: {"ai", "assistant", "assistants", "agent", "agents", "llm", "llms", "copilot", "claude", "cursor",
			"gemini", "chatgpt", "gpt", "codex", "devin", "aider", "windsurf", "cline", "jules"},
		wordVerb:   {"ignore", "disregard", "forget", "override", "bypass", "abandon"},
		wordFiller: {"all", "any", "every", "of", "the", "your", "my", "these", "those"},
		wordTarget: {"previous", "prior", "earlier", "above", "preceding", "foregoing", "original", "initial", "system",
			"developer", "safety", "security", "instructions", "guidelines", "rules", "programming", "training",
			"other", "everything", "before", "previously"},
		wordFollow: {"follow", "following"},
		// "don't" is "don", "t".
		wordNot:      {"not", "t"},
		wordStop:     {"stop"},
		wordYou:      {"you"},
		wordAre:      {"are"},
		wordNow:      {"now"},
		wordA:        {"a"},
		wordI:        {"i"},
		wordLanguage: {"language"},
		wordModel:    {"model", "models"},
	} {
		for _, w := range ws {
			m[w] = id
		}
	}
	return m
}()

// maxWord is the length of the longest of words.
const maxWord = len("instructions")

// wordTab is words as an open-addressing table: looking up every word of
// a file is the detector's hottest path, and a map's hashing costs more
// than the rest of the scan.
var wordTab = func() (t [256]struct {
	w  string
	id wordID
}) {
	for w, id := range words {
		h := wordHash(w)
		for t[h].w != "" {
			h++
		}
		t[h].w, t[h].id = w, id
	}
	return t
}()

// wordHash folds case, so a word is looked up as written.
func wordHash(w string) uint8 {
	return uint8(len(w)*37 ^ int(w[0]|0x20)*11 ^ int(w[len(w)-1]|0x20)*3)
}

func lookupWord(w string) wordID {
	if len(w) > maxWord || wordEdges[len(w)][w[0]&31]&(1<<(w[len(w)-1]&31)) == 0 {
		return wordOther
	}
	for h := wordHash(w); ; h++ {
		e := &wordTab[h]
		if e.w == "" {
			return wordOther
		}
		if len(e.w) == len(w) && equalFold(e.w, w) {
			return e.id
		}
	}
}

// wordEdges[n][a&31] has bit z&31 set when a word of n letters in words
// starts with a and ends with z, in either case: most words of a text are
// ruled out without hashing.
var wordEdges = func() (t [maxWord + 1][32]uint32) {
	for w := range words {
		t[len(w)][w[0]&31] |= 1 << (w[len(w)-1] & 31) // panics at init if maxWord is wrong
	}
	return t
}()

// equalFold compares a lower-case word with a word of ASCII letters in
// any case.
func equalFold(lower, w string) bool {
	for j := 0; j < len(lower); j++ {
		if lower[j] != w[j]|0x20 {
			return false
		}
	}
	return true
}

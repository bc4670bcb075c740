package injection

import (
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
	var (
		got   wordFlags
		buf   [12]byte
		n     int // letters in the current word; may exceed len(buf)
		agent int // letters of "agent" matched so far in this word
		saw   bool
		prev  [2]wordID
		// verb is set after an override verb and its filler words
		// ("ignore all the"), awaiting what is ignored.
		verb bool
	)
	for i := 0; i <= len(text); {
		var l byte
		if i < len(text) {
			c := text[i]
			l = foldTab[c]
			i++
			if l == foldRune {
				r, size := utf8.DecodeRuneInString(text[i-1:])
				i += size - 1
				if isInvisible(r) {
					continue
				}
				l = 0
				if r = unicode.ToLower(r); r < utf8.RuneSelf {
					l = byte(r)
				}
			}
		} else {
			i++
		}
		if l != 0 {
			if n < len(buf) {
				buf[n] = l
			}
			n++
			switch {
			case l == "agent"[agent]:
				if agent++; agent == len("agent") {
					saw, agent = true, 0
				}
			case l == 'a':
				agent = 1
			default:
				agent = 0
			}
			continue
		}
		if n == 0 {
			continue
		}
		id := wordOther
		if n <= len(buf) && wordStarts[n]&(1<<(buf[0]-'a')) != 0 {
			id = words[string(buf[:n])]
		}
		// notAgents removes phrases holding "agent" before the cue is
		// matched, which can join what surrounds them into a new word:
		// any word holding "agent" counts as a cue.
		if saw || id == wordCue || id == wordI && prev[0] == wordA || id == wordModel && prev[0] == wordLanguage {
			got |= hasCue
		}
		switch {
		case id == wordNow && prev[0] == wordAre && prev[1] == wordYou,
			verb && (id == wordTarget || id == wordYou):
			got |= hasOverride
		case id == wordVerb,
			id == wordFollow && (prev[0] == wordNot || prev[0] == wordStop):
			verb = true
		case id != wordFiller:
			verb = false
		}
		if got&want == want {
			return got
		}
		prev[1], prev[0] = prev[0], id
		n, agent, saw = 0, 0, false
	}
	return got
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

// wordStarts[n] has bit c-'a' set when a word of n letters in words starts
// with c: most words of ordinary text are ruled out without a map lookup.
var wordStarts = func() (t [16]uint32) {
	for w := range words {
		t[len(w)] |= 1 << (w[0] - 'a')
	}
	return t
}()

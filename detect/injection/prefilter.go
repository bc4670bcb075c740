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
// space still counts. Digits and underscores end a word here although \b
// treats them as word characters: that only reports more.
func scanWords(text string, want wordFlags) wordFlags {
	var (
		got          wordFlags
		buf          [12]byte
		n            int // letters in the current word; may exceed len(buf)
		agent        int // letters of "agent" matched so far in this word
		sawAgent     bool
		prev1, prev2 wordID
	)
	for i := 0; i <= len(text); {
		var l byte
		switch {
		case i == len(text):
			i++
		case text[i] < utf8.RuneSelf:
			l = text[i] | 0x20
			i++
		case !foldLead[text[i]]:
			i++
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if isInvisible(r) {
				continue
			}
			if r = unicode.ToLower(r); r < utf8.RuneSelf {
				l = byte(r)
			}
		}
		if l >= 'a' && l <= 'z' {
			if n < len(buf) {
				buf[n] = l
			}
			n++
			switch {
			case l == "agent"[agent]:
				if agent++; agent == len("agent") {
					sawAgent, agent = true, 0
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
		if n <= len(buf) {
			var f wordFlags
			f, id = classify(buf[:n], prev1, prev2)
			got |= f
		}
		// notAgents removes phrases holding "agent" before the cue is
		// matched, which can join what surrounds them into a new word:
		// any word holding "agent" counts as a cue.
		if sawAgent {
			got |= hasCue
		}
		if got&want == want {
			return got
		}
		prev2, prev1 = prev1, id
		n, agent, sawAgent = 0, 0, false
	}
	return got
}

// foldLead marks the lead bytes of the runes normalise drops (the invisible
// ones, see hasInvisibleLead) or lowercases to an ASCII letter (U+0130,
// U+212A); any other byte from 0x80 up separates words.
var foldLead = [256]bool{0xc4: true, 0xe2: true, 0xef: true, 0xf3: true}

// wordID names the words that matter as part of a phrase.
type wordID uint8

const (
	wordOther wordID = iota
	wordYou
	wordAre
	wordA
	wordLanguage
)

// classify says what one folded word contributes, given the two before it.
func classify(w []byte, prev1, prev2 wordID) (wordFlags, wordID) {
	switch string(w) {
	case "ignore", "disregard", "forget", "override", "bypass", "abandon", "follow", "following":
		return hasOverride, wordOther
	case "ai", "assistant", "assistants", "agent", "agents", "llm", "llms", "copilot", "claude", "cursor",
		"gemini", "chatgpt", "gpt", "codex", "devin", "aider", "windsurf", "cline", "jules":
		return hasCue, wordOther
	case "now":
		if prev1 == wordAre && prev2 == wordYou {
			return hasOverride, wordOther
		}
	case "i":
		if prev1 == wordA {
			return hasCue, wordOther
		}
	case "model", "models":
		if prev1 == wordLanguage {
			return hasCue, wordOther
		}
	case "you":
		return 0, wordYou
	case "are":
		return 0, wordAre
	case "a":
		return 0, wordA
	case "language":
		return 0, wordLanguage
	}
	return 0, wordOther
}

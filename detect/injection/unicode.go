package injection

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Every character this file looks for is encoded in UTF-8 with one of these
// lead bytes: 0xE2 (U+2000–U+2FFF: bidi controls, zero-width space and
// joiners, word joiner), 0xEF (U+FEFF, the byte order mark) and 0xF3
// (U+C0000–U+FFFFF, holding the tag block U+E0000–U+E007F). Text without
// them, which is almost all code, is skipped after three memchr scans.
func hasInvisibleLead(s string) bool {
	return strings.IndexByte(s, 0xe2) >= 0 || strings.IndexByte(s, 0xef) >= 0 || strings.IndexByte(s, 0xf3) >= 0
}

const (
	tagFirst  = 0xE0000
	tagLast   = 0xE007F
	tagCancel = 0xE007F
	blackFlag = 0x1F3F4
	zwsp      = 0x200B
	zwnj      = 0x200C
	zwj       = 0x200D
	wordJoin  = 0x2060
	bom       = 0xFEFF
)

// subdivisionFlags are the emoji tag sequences in Unicode's recommended set:
// England, Scotland and Wales, written as U+1F3F4, tags, U+E007F.
var subdivisionFlags = map[string]bool{"gbeng": true, "gbsct": true, "gbwls": true}

var bidiNames = map[rune]string{
	0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
	0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}

// zeroWidthNames also lists the invisible mathematical operators, which
// "sneaky bits" encodings use as binary digits.
var zeroWidthNames = map[rune]string{
	zwsp: "ZWSP", zwnj: "ZWNJ", zwj: "ZWJ", wordJoin: "WJ", bom: "BOM",
	0x2061: "FUNCTION APPLICATION", 0x2062: "INVISIBLE TIMES", 0x2063: "INVISIBLE SEPARATOR", 0x2064: "INVISIBLE PLUS",
}

func isTag(r rune) bool { return r >= tagFirst && r <= tagLast }

// isBidi and isZeroWidth test ranges rather than the name maps: they run
// on every non-ASCII character the instruction rules read.
func isBidi(r rune) bool { return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 }
func isZeroWidth(r rune) bool {
	return r >= zwsp && r <= zwj || r >= wordJoin && r <= 0x2064 || r == bom
}
func isInvisible(r rune) bool { return isTag(r) || isBidi(r) || isZeroWidth(r) || variation(r) >= 0 }

// variation returns the byte a variation selector encodes in the scheme
// that hides data after an emoji (U+FE00–U+FE0F are 0–15, U+E0100–U+E01EF
// are 16–255), or -1 for other runes.
func variation(r rune) int {
	switch {
	case r >= 0xFE00 && r <= 0xFE0F:
		return int(r - 0xFE00)
	case r >= 0xE0100 && r <= 0xE01EF:
		return int(r-0xE0100) + 16
	}
	return -1
}

// isEmojiPart reports whether r can sit next to a ZWJ in an emoji sequence
// (family, profession and flag emoji), including modifiers and VS16.
func isEmojiPart(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2300 && r <= 0x23FF ||
		r >= 0x2600 && r <= 0x27BF || r >= 0x2B00 && r <= 0x2BFF ||
		r == 0xFE0F || r == 0x20E3 || r == 0x00A9 || r == 0x00AE || r == 0x2122
}

// isJoiningScript reports scripts whose ordinary spelling uses ZWNJ/ZWJ
// (Arabic, Persian, Syriac, the Indic scripts) or ZWSP as a word break
// (Thai, Lao, Khmer, Myanmar, CJK).
func isJoiningScript(r rune) bool {
	return r >= 0x0590 && r <= 0x08FF || r >= 0x0900 && r <= 0x0FFF ||
		r >= 0x1000 && r <= 0x109F || r >= 0x1780 && r <= 0x18AF ||
		r >= 0x1100 && r <= 0x11FF || r >= 0x2E80 && r <= 0x9FFF ||
		r >= 0xA960 && r <= 0xD7FF || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFC ||
		r >= 0xFF00 && r <= 0xFFEF || r >= 0x20000 && r <= 0x3FFFF
}

func isRTLLetter(r rune) bool {
	return r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF ||
		r >= 0xFE70 && r <= 0xFEFC || r >= 0x10800 && r <= 0x10FFF || r >= 0x1E800 && r <= 0x1EFFF
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// scanUnicode reports tag characters, misused bidi controls and zero-width
// characters line by line.
func scanUnicode(frag *detect.Fragment, kind fileKind) []finding.Finding {
	var out []finding.Finding
	text := frag.Text
	for n := 1; text != ""; n++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if !hasInvisibleLead(line) {
			continue
		}
		fl := frag.FileLine(n)
		rs := []rune(line)
		if f, ok := tagFinding(frag, fl, rs); ok {
			out = append(out, f)
		}
		if f, ok := bidiFinding(frag, fl, rs, kind); ok {
			out = append(out, f)
		}
		if f, ok := zeroWidthFinding(frag, fl, rs, kind); ok {
			out = append(out, f)
		}
		if f, ok := variationFinding(frag, fl, rs); ok {
			out = append(out, f)
		}
	}
	return out
}

// tagFinding decodes runs of tag characters, which render as nothing but
// spell ASCII that language models read.
func tagFinding(frag *detect.Fragment, fl int, rs []rune) (finding.Finding, bool) {
	var hidden []string
	first := -1
	for i := 0; i < len(rs); {
		if !isTag(rs[i]) {
			i++
			continue
		}
		j := i
		var b strings.Builder
		for j < len(rs) && isTag(rs[j]) {
			if c := rs[j] - tagFirst; c >= 0x20 && c < 0x7f {
				b.WriteRune(c)
			} else {
				b.WriteByte(' ')
			}
			j++
		}
		flag := i > 0 && rs[i-1] == blackFlag && rs[j-1] == tagCancel && subdivisionFlags[strings.TrimSpace(b.String())]
		if !flag {
			if first < 0 {
				first = i
			}
			hidden = append(hidden, b.String())
		}
		i = j
	}
	decoded := strings.Join(hidden, " ")
	// A tag or two spelling no word is test data for Unicode handling,
	// not a message.
	if first < 0 || letters(decoded) < 2 {
		return finding.Finding{}, false
	}
	shown := safeText(decoded, 12, 120)
	f := newFinding(frag, "injection/unicode-tag-smuggling", "Hidden text in invisible Unicode tag characters", ClassHidden, fl, first+1, fmt.Sprintf("tag:%d:%s", fl, decoded))
	f.Message = fmt.Sprintf("Invisible Unicode tag characters (U+E0000–U+E007F) hide %d characters of text that AI assistants read but people do not see: %q", len(strings.TrimSpace(decoded)), shown)
	f.Redacted = shown
	f.Tags = []string{cwePrompt, cweHidden}
	f.Fix = "Delete the invisible characters (for example with a Unicode-aware editor or `sed 's/\\xf3\\xa0[\\x80-\\x81][\\x80-\\xbf]//g'`), treat any AI session that read this file as compromised, and find out who added it."
	return f, true
}

// bidiFinding reports bidirectional controls that can make text display in
// a different order from how it is parsed (Trojan Source). Prose may use
// them properly: balanced, and for overrides around right-to-left text.
func bidiFinding(frag *detect.Fragment, fl int, rs []rune, kind fileKind) (finding.Finding, bool) {
	var names []string
	first, embed, isolate := -1, 0, 0
	override, rtl, unbalanced := false, false, false
	for i, r := range rs {
		if isRTLLetter(r) {
			rtl = true
		}
		if !isBidi(r) {
			continue
		}
		if first < 0 {
			first = i
		}
		names = append(names, bidiNames[r])
		switch r {
		case 0x202A, 0x202B, 0x202D, 0x202E:
			embed++
			override = override || r == 0x202D || r == 0x202E
		case 0x202C:
			if embed--; embed < 0 {
				unbalanced = true
			}
		case 0x2066, 0x2067, 0x2068:
			isolate++
		case 0x2069:
			if isolate--; isolate < 0 {
				unbalanced = true
			}
		}
	}
	if first < 0 {
		return finding.Finding{}, false
	}
	unbalanced = unbalanced || embed != 0 || isolate != 0
	proper := !unbalanced && (!override || rtl)
	class := ClassSuspicious
	switch kind {
	case kindCode:
		// Trojan Source needs a control left open past the end of the
		// string or comment it hides in; balanced controls around
		// right-to-left words are how RTL strings are written.
		if !unbalanced && rtl {
			return finding.Finding{}, false
		}
	case kindProse:
		if proper {
			return finding.Finding{}, false
		}
	case kindAgent:
		if proper {
			return finding.Finding{}, false
		}
		class = ClassHidden
	}
	state := "balanced"
	if unbalanced {
		state = "unterminated"
	}
	f := newFinding(frag, "injection/bidi-control", "Bidirectional control characters (Trojan Source)", class, fl, first+1, fmt.Sprintf("bidi:%d", fl))
	f.Message = fmt.Sprintf("%d bidirectional control character(s) (%s, %s) make this line display in a different order from how it is read by compilers and AI assistants (Trojan Source, CVE-2021-42574)", len(names), strings.Join(uniq(names), ","), state)
	f.Redacted = strings.Join(uniq(names), ",")
	f.Tags = []string{"CVE-2021-42574", "CWE-1007", cweHidden}
	if kind == kindAgent {
		f.Tags = append(f.Tags, cwePrompt)
	}
	f.Fix = "Remove the bidirectional control characters, or use escapes (\\u202E) in string literals; review the line in a viewer that shows them."
	return f, true
}

// zeroWidthFinding reports zero-width characters that hide data (runs) or
// change what a word or identifier is, leaving emoji ZWJ sequences and the
// joiners and breaks of scripts that need them alone.
func zeroWidthFinding(frag *detect.Fragment, fl int, rs []rune, kind fileKind) (finding.Finding, bool) {
	first, count, longest := -1, 0, 0
	var names []string
	comment := len(rs)
	if kind == kindCode {
		comment = commentRune(rs)
	}
	for i := 0; i < len(rs); {
		if !isZeroWidth(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isZeroWidth(rs[j]) {
			j++
		}
		if reportRun(rs, i, j, kind, i >= comment) {
			if first < 0 {
				first = i
			}
			count += j - i
			longest = max(longest, j-i)
			for _, r := range rs[i:j] {
				names = append(names, zeroWidthNames[r])
			}
		}
		i = j
	}
	if first < 0 {
		return finding.Finding{}, false
	}
	class := ClassSuspicious
	what := "inside a word or identifier, making it differ from how it looks"
	if longest >= 3 {
		what = "in a run that can encode hidden data"
		if kind == kindAgent {
			class = ClassHidden
		}
	}
	f := newFinding(frag, "injection/zero-width", "Invisible zero-width characters", class, fl, first+1, fmt.Sprintf("zw:%d", fl))
	f.Message = fmt.Sprintf("%d zero-width character(s) (%s) %s", count, strings.Join(uniq(names), ","), what)
	f.Redacted = strings.Join(uniq(names), ",")
	f.Tags = []string{"CWE-1007", cweHidden}
	f.Fix = "Remove the zero-width characters (or write them as escapes where they are intended) and check what the surrounding text or identifier really says."
	return f, true
}

// reportRun decides whether the zero-width run rs[i:j] is suspicious.
func reportRun(rs []rune, i, j int, kind fileKind, inComment bool) bool {
	prev, next := rune(0), rune(0)
	if i > 0 {
		prev = rs[i-1]
	}
	if j < len(rs) {
		next = rs[j]
	}
	if j-i == 1 {
		switch r := rs[i]; {
		case r == bom && i == 0:
			// At the start of the file it is a byte order mark; at the start
			// of a later line it is left over from concatenating files.
			return false
		case r == zwj && isEmojiPart(prev) && (isEmojiPart(next) || next == 0x2640 || next == 0x2642):
			return false
		}
	}
	if isJoiningScript(prev) || isJoiningScript(next) {
		return false
	}
	if j-i >= 3 {
		return true
	}
	switch {
	case kind == kindCode && !inComment:
		// A string made only of the character is the usual way code names
		// it ("\u200b" written raw, to strip it from input).
		quote := func(r rune) bool { return r == '"' || r == '\'' || r == '`' }
		return !(quote(prev) && quote(next))
	case kind == kindCode || kind == kindAgent:
		// In comments and agent files, only a character splitting a word
		// changes what the reader sees.
		return isWordRune(prev) && isWordRune(next)
	}
	return false
}

// commentRune returns the index in rs where a comment starts, or len(rs).
func commentRune(rs []rune) int {
	line := string(rs)
	body, ok := commentText(line)
	if !ok {
		return len(rs)
	}
	return utf8.RuneCountInString(line[:len(line)-len(body)])
}

func uniq(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func letters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			n++
		}
	}
	return n
}

// variationFinding decodes runs of variation selectors. Text uses one
// selector after a character (emoji or ideograph presentation); a run of
// them carries bytes that models read and people cannot see.
func variationFinding(frag *detect.Fragment, fl int, rs []rune) (finding.Finding, bool) {
	var b strings.Builder
	first := -1
	for i := 0; i < len(rs); {
		if variation(rs[i]) < 0 {
			i++
			continue
		}
		j := i
		for j < len(rs) && variation(rs[j]) >= 0 {
			j++
		}
		if j-i >= 3 {
			if first < 0 {
				first = i
			}
			for _, r := range rs[i:j] {
				b.WriteByte(byte(variation(r)))
			}
			b.WriteByte(' ')
		}
		i = j
	}
	decoded := strings.ToValidUTF8(b.String(), "?")
	if first < 0 || letters(decoded) < 2 {
		return finding.Finding{}, false
	}
	shown := safeText(decoded, 12, 120)
	f := newFinding(frag, "injection/variation-selector-smuggling", "Hidden text in Unicode variation selectors", ClassHidden, fl, first+1, fmt.Sprintf("vs:%d:%s", fl, decoded))
	f.Message = fmt.Sprintf("A run of invisible Unicode variation selectors hides text that AI assistants read but people do not see: %q", shown)
	f.Redacted = shown
	f.Tags = []string{cwePrompt, cweHidden}
	f.Fix = "Delete the variation selectors, treat any AI session that read this file as compromised, and find out who added it."
	return f, true
}

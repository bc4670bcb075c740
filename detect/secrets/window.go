package secrets

import (
	"cmp"
	"encoding/base64"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	glconfig "github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect/codec"
)

// gitleaks runs every rule whose keyword occurs anywhere in a fragment over
// the whole fragment, and its regexes are most of a scan's time. Most of
// that is wasted: a match of a rule must contain one of a few literals (or
// a long token, for the few rules without one) and can reach only a few
// lines from it. So each rule gitleaks would run, and that can match at
// all, reads only the lines its own matches can touch, copied verbatim in
// order, and findings are mapped back to the lines of the full text. The
// findings are the same because every match lies within such lines, and
// lines spliced together cannot make a match that was not there: each
// still holds its literal within the same reach.
//
// A rule's window is the lines its matches can span before and after the
// line of its literal or token (to the start or end of the text if
// unbounded); both come from its regex's syntax. Rules where neither can be
// shown run over the whole text in a second gitleaks detector. Where
// gitleaks would decode something, each rule also reads, with decoding on,
// the lines its matches can reach from a decoded value (narrowDecoded); a
// text that decoding could join across lines is read whole by every rule.

// maxLiterals bounds the alternatives tracked for one regex node.
const maxLiterals = 32

// unbounded marks a regex that can match any number of newlines.
const unbounded = 1 << 30

// ruleWindow is what the window needs to know about one rule.
type ruleWindow struct {
	id string
	// keywords gate the rule in gitleaks (lower case); none means always.
	keywords []int32
	// literals: every match contains one of them (word ids).
	literals []int32
	// run, for a rule without literals: every match holds this many
	// characters of the base64 alphabet in a row (a token).
	run int
	// literalRun, for a rule with literals: every match on a line all in
	// ASCII holds this many too (0: too few to tell).
	literalRun int
	// before and after bound the newlines a match holds before and after
	// the line of its literal or run (unbounded: to the start or end of text).
	before, after int
	// path, when set, is what a file's path must match for the rule to run.
	path interface{ MatchString(string) bool }
	// whole means the rule cannot be windowed.
	whole    bool
	pathOnly bool
}

// window holds the analysis of a rule set, shared by all scans.
type window struct {
	rules []ruleWindow
	// words are the keywords and literals the scanner looks for (lower case).
	words []string
	// The scanner indexes words of 4 bytes or more by a hash of their first
	// four bytes and shorter ones by their first two: bits has a bit per
	// key, index[key] is 1 + the position in lists of the words with that
	// key. Most text positions fail the bit tests.
	bits4, bits2   [1024]uint64
	index4, index2 [65536]uint16
	lists          [][]int32
	// keywordOf and literalOf list the rules using each word as such.
	keywordOf, literalOf [][]int32
	// trie finds words in folded text; its pattern i is word i.
	trie *ahocorasick.Trie
	// always lists the rules gitleaks runs whatever the text holds.
	always []int32
	// minRun is the shortest run any rule needs (0: none does).
	minRun   int
	anyWhole bool
}

// newWindow analyses cfg's rules; nil means no window: composite rules
// (required auxiliary rules) match across the text in ways the analysis
// does not follow.
func newWindow(cfg glconfig.Config) *window {
	for _, r := range cfg.Rules {
		if len(r.RequiredRules) > 0 || r.SkipReport {
			return nil
		}
	}
	w := &window{}
	ids := map[string]int32{}
	id := func(s string) int32 {
		if i, ok := ids[s]; ok {
			return i
		}
		ids[s] = int32(len(w.words))
		w.words = append(w.words, s)
		return int32(len(w.words) - 1)
	}
	for _, r := range cfg.Rules {
		rw := ruleWindow{id: r.RuleID}
		if r.Path != nil {
			rw.path = r.Path
		}
		for _, k := range r.Keywords {
			k = strings.ToLower(k)
			if len(k) < 2 || !ascii(k) || strings.Contains(k, "\n") {
				// Beyond what the scanner reads: treat the rule as on.
				rw.keywords = nil
				break
			}
			rw.keywords = append(rw.keywords, id(k))
		}
		rw.whole = true
		if r.Regex != nil {
			if lits, before, after, ok := analyse(r.Regex.String()); ok {
				rw.whole = false
				rw.before, rw.after = before, after
				for _, l := range lits {
					rw.literals = append(rw.literals, id(l))
				}
				if rw.literalRun = literalRun(r.Regex.String()); rw.literalRun > 0 {
					w.minRun = minPositive(w.minRun, rw.literalRun)
				}
			} else if run, nl, ok := analyseRun(r.Regex.String()); ok {
				rw.whole = false
				rw.run, rw.before, rw.after = run, nl, nl
				w.minRun = minPositive(w.minRun, run)
			}
		} else {
			// Path-only rules read no text, but gitleaks runs them only
			// with one of their keywords there.
			rw.whole, rw.pathOnly = false, true
		}
		w.anyWhole = w.anyWhole || rw.whole
		w.rules = append(w.rules, rw)
	}
	w.keywordOf = make([][]int32, len(w.words))
	w.literalOf = make([][]int32, len(w.words))
	for i, r := range w.rules {
		if len(r.keywords) == 0 {
			w.always = append(w.always, int32(i))
		}
		for _, k := range r.keywords {
			w.keywordOf[k] = append(w.keywordOf[k], int32(i))
		}
		for _, l := range r.literals {
			w.literalOf[l] = append(w.literalOf[l], int32(i))
		}
	}
	add := func(bits *[1024]uint64, index *[65536]uint16, key uint16, word int) {
		bits[key>>6] |= 1 << (key & 63)
		if index[key] == 0 {
			w.lists = append(w.lists, nil)
			index[key] = uint16(len(w.lists))
		}
		w.lists[index[key]-1] = append(w.lists[index[key]-1], int32(word))
	}
	if len(w.words) >= 1<<15 {
		// Beyond what the scanner's tables index.
		return nil
	}
	w.trie = ahocorasick.NewTrieBuilder().AddStrings(w.words).Build()
	for i, s := range w.words {
		if len(s) >= 4 {
			add(&w.bits4, &w.index4, quadKey(uint32(s[0])<<24|uint32(s[1])<<16|uint32(s[2])<<8|uint32(s[3])), i)
		} else {
			add(&w.bits2, &w.index2, uint16(s[0])<<8|uint16(s[1]), i)
		}
	}
	return w
}

// isWhole reports whether rule id must read the whole text.
func (w *window) isWhole(id string) bool {
	for _, r := range w.rules {
		if r.id == id {
			return r.whole
		}
	}
	return false
}

// minPositive returns the smaller of a and b, where 0 means none.
func minPositive(a, b int) int {
	if a == 0 || b < a {
		return b
	}
	return a
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// folded maps ASCII upper case to lower case and every other byte to itself.
var folded = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

func foldByte(c byte) byte { return folded[c] }

// quadKey hashes four folded bytes to a 16-bit key.
func quadKey(q uint32) uint16 { return uint16((q * 0x9E3779B1) >> 16) }

// hit is a word found on a line (0-based).
type hit struct{ word, line int32 }

// found is what one pass over a text gives the window.
type found struct {
	lines int
	// words found: once a line where it occurs, or more on lines outside ASCII.
	words []hit
	// runs: the longest run of base64 characters (as word) on each line
	// that has one of at least minRun.
	runs []hit
	// nonASCII lists the lines holding bytes outside ASCII.
	nonASCII []int32
	// tokens are runs of 16 base64 characters or more with one of those
	// gitleaks' base64 decoder insists on (digits, + / - _), with up to two
	// '=' after: each is one match of its base64 pattern.
	tokens []b64Token
	// odd lists the lines holding a percent escape, 32 hex digits, a \u
	// escape or a U+ code point, which its other patterns match (start is
	// the line's offset); escape is a line starting with a U+ code point,
	// which its pattern can match on from the line before.
	odd    []hit
	escape bool
}

// ruleText is the text one rule reads: the lines its matches can touch, in
// order, and where each run of them starts in the full text.
type ruleText struct {
	rule int32
	text string
	// decode: gitleaks decodes the text; gated: the rule runs in a pass
	// only with its keyword there.
	decode, gated bool
	// chunks maps the text's lines back: chunk i starts at line at of text
	// and line from of the full text (both 0-based).
	chunks []chunk
}

type chunk struct{ at, from int }

// fullLine maps a 0-based line of rt.text to its line in the full text.
func (rt *ruleText) fullLine(line int) int {
	i := sort.Search(len(rt.chunks), func(i int) bool { return rt.chunks[i].at > line }) - 1
	if i < 0 {
		return line
	}
	return rt.chunks[i].from + line - rt.chunks[i].at
}

// narrowing is what the window decides for one text.
type narrowing struct {
	// full: every rule reads the whole text, as in gitleaks.
	full bool
	// whole: a rule that cannot be windowed is on, and reads the whole text.
	whole bool
	// rules are the windowed rules that can match, each with its own text.
	rules []ruleText
}

// lineSpan is a run of lines [from, to] a rule's matches can touch.
type lineSpan struct{ rule, from, to int32 }

// narrow decides what each rule gitleaks would run over text, the content
// of the file at path, must read.
func (w *window) narrow(path, text string) narrowing {
	f := w.scan(text)
	encoded, all := f.encodedLines(text)
	if all {
		return narrowing{full: true}
	}
	gated := w.gate(f, make([]bool, len(w.rules)))
	for ri, on := range gated {
		if r := &w.rules[ri]; on && r.path != nil && !r.path.MatchString(path) {
			// gitleaks would run it, but stop at the path.
			gated[ri] = false
		}
	}
	if len(encoded) > 0 {
		return w.narrowDecoded(text, f, gated, encoded)
	}
	var n narrowing
	for ri, on := range gated {
		if !on {
			continue
		}
		switch r := &w.rules[ri]; {
		case r.whole:
			n.whole = true
		case r.pathOnly:
			// It reads no text, but gitleaks runs it only when gated.
			n.rules = append(n.rules, ruleText{rule: int32(ri)})
		}
	}
	spans := w.spans(f, gated, true)
	if len(spans) == 0 {
		return n
	}
	starts := lineStarts(text, f.lines)
	forEachRule(spans, func(rule int32, spans []lineSpan) {
		rt := splice(text, starts, spans)
		rt.rule = rule
		n.rules = append(n.rules, rt)
	})
	return n
}

// forEachRule calls fn with each rule's spans, of spans sorted by rule.
func forEachRule(spans []lineSpan, fn func(rule int32, spans []lineSpan)) {
	for i := 0; i < len(spans); {
		j := i + 1
		for j < len(spans) && spans[j].rule == spans[i].rule {
			j++
		}
		fn(spans[i].rule, spans[i:j])
		i = j
	}
}

// splice copies the lines of spans (sorted by their first line) of text,
// whose lines start at starts, in order, merging spans that overlap or
// touch.
func splice(text string, starts []int32, spans []lineSpan) ruleText {
	var rt ruleText
	var b strings.Builder
	line := 0
	if spans[0].from > 0 {
		// A text starting mid-file must not let "^" or "\A" match there.
		b.WriteByte('\n')
		line = 1
	}
	for _, cur := range mergeSpans(spans) {
		rt.chunks = append(rt.chunks, chunk{at: line, from: int(cur.from)})
		end := len(text)
		if int(cur.to)+1 < len(starts) {
			// With the newline ending the span's last line, so that "$"
			// cannot match where the full text goes on.
			end = int(starts[cur.to+1])
		}
		b.WriteString(text[starts[cur.from]:end])
		line += int(cur.to-cur.from) + 1
	}
	rt.text = b.String()
	return rt
}

// gate marks in gated the rules gitleaks runs over a text with f's words.
func (w *window) gate(f *found, gated []bool) []bool {
	for _, r := range w.always {
		gated[r] = true
	}
	for _, h := range f.words {
		for _, r := range w.keywordOf[h.word] {
			gated[r] = true
		}
	}
	return gated
}

// spans returns, sorted by rule and line, the lines each gated rule's
// matches can touch: around its literals and its runs. With literalRuns, a
// literal counts only where the run its rule's matches hold can be.
func (w *window) spans(f *found, gated []bool, literalRuns bool) []lineSpan {
	var spans []lineSpan
	add := func(ri int32, line int32) {
		r := &w.rules[ri]
		from, to := line-int32(min(r.before, int(line))), min(line+int32(min(r.after, f.lines)), int32(f.lines)-1)
		if literalRuns && r.literalRun > 0 && !f.hasRun(from, to, r.literalRun) {
			return
		}
		spans = append(spans, lineSpan{ri, from, to})
	}
	for _, h := range f.words {
		for _, ri := range w.literalOf[h.word] {
			if gated[ri] {
				add(ri, h.line)
			}
		}
	}
	for _, h := range f.runs {
		for ri := range w.rules {
			if r := &w.rules[ri]; gated[ri] && r.run > 0 && int(h.word) >= r.run {
				add(int32(ri), h.line)
			}
		}
	}
	slices.SortFunc(spans, func(a, b lineSpan) int { return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.from, b.from)) })
	return spans
}

// hasRun reports whether a line from from to to holds n base64 characters
// in a row, or a byte outside ASCII (where runs are not counted).
func (f *found) hasRun(from, to int32, n int) bool {
	i, _ := slices.BinarySearchFunc(f.runs, from, func(h hit, line int32) int { return cmp.Compare(h.line, line) })
	for ; i < len(f.runs) && f.runs[i].line <= to; i++ {
		if int(f.runs[i].word) >= n {
			return true
		}
	}
	j, _ := slices.BinarySearch(f.nonASCII, from)
	return j < len(f.nonASCII) && f.nonASCII[j] <= to
}

// narrowDecoded narrows a text in which gitleaks' decoder finds something
// on the encoded lines: each rule gated by the text or by a decoded value
// reads, with decoding, the lines any match of it can touch in any pass.
// In its passes over decoded text gitleaks reports only matches that
// overlap a decoded value. Such a match holds a literal of its rule either
// in the text, and lies in that literal's window, or in a decoded value
// (partly, at least), and lies in the window it would have on the encoded
// line; every other match, before or after decoding, holds a literal in
// the text. An encoded line comes with the line after it: a U+ code point
// ending the line takes its newline, so the decoder weighs it against the
// next line's start. A rule with its keyword on a line decoding leaves
// alone, or in every pass over the encoded lines, runs in every pass, as
// here; one whose keyword no decoded text holds runs only in the first,
// without decoding here; any other reads every encoded line, where what
// turns it on in each pass is, and is run only when on.
func (w *window) narrowDecoded(text string, f *found, gated []bool, encoded []int32) narrowing {
	starts := lineStarts(text, f.lines)
	anyPass, everyPass := w.decodedWords(text, starts, encoded)
	decodedGated := slices.Clone(gated)
	// byValue marks the rules decoded text turns on, inValue those with a
	// literal in it, steady those on in every pass: with a keyword on a
	// line decoding leaves alone, or in every pass over the encoded lines.
	byValue := make([]bool, len(w.rules))
	inValue := make([]bool, len(w.rules))
	steady := make([]bool, len(w.rules))
	for id := range w.words {
		for _, r := range w.keywordOf[id] {
			if anyPass[id] {
				decodedGated[r], byValue[r] = true, true
			}
			steady[r] = steady[r] || everyPass[id]
		}
		if anyPass[id] {
			for _, r := range w.literalOf[id] {
				inValue[r] = true
			}
		}
	}
	isEncoded := make(map[int32]bool, len(encoded))
	for _, l := range encoded {
		isEncoded[l] = true
	}
	for _, h := range f.words {
		if !isEncoded[h.line] {
			for _, r := range w.keywordOf[h.word] {
				steady[r] = true
			}
		}
	}
	for _, r := range w.always {
		steady[r] = true
	}
	var n narrowing
	var spans []lineSpan
	for ri, on := range decodedGated {
		r := &w.rules[ri]
		switch {
		case !on:
			continue
		case r.whole:
			return narrowing{full: true}
		case r.pathOnly:
			if gated[ri] {
				n.rules = append(n.rules, ruleText{rule: int32(ri)})
			}
			continue
		}
		if inValue[ri] || r.run > 0 {
			for _, l := range encoded {
				spans = append(spans, lineSpan{int32(ri), l - int32(min(r.before, int(l))), min(l+int32(min(r.after, f.lines)), int32(f.lines)-1)})
			}
		}
	}
	// A rule's run may be in a decoded value rather than near its literal.
	spans = append(spans, w.spans(f, decodedGated, false)...)
	slices.SortFunc(spans, func(a, b lineSpan) int { return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.from, b.from)) })
	forEachRule(spans, func(rule int32, spans []lineSpan) {
		// Rules a decoded value never turns on run only in gitleaks' first
		// pass unless their keyword is on a line decoding leaves alone.
		decode := (steady[rule] || byValue[rule]) && slices.ContainsFunc(spans, func(s lineSpan) bool {
			i, _ := slices.BinarySearch(encoded, s.from)
			return i < len(encoded) && encoded[i] <= s.to
		})
		if !decode && !gated[rule] {
			// Only a decoded value turns it on, and no match of it can
			// reach one.
			return
		}
		var more []lineSpan
		if decode && !steady[rule] {
			for _, l := range encoded {
				more = append(more, lineSpan{rule, l, l})
			}
		}
		// An encoded line comes with the line after it.
		encodedOnly := len(more)
		for _, s := range spans {
			if isEncoded[s.to] && s.to+1 < int32(f.lines) {
				more = append(more, lineSpan{rule, s.to + 1, s.to + 1})
			}
		}
		for _, s := range more[:encodedOnly] {
			if s.to+1 < int32(f.lines) {
				more = append(more, lineSpan{rule, s.to + 1, s.to + 1})
			}
		}
		if len(more) > 0 {
			spans = append(slices.Clone(spans), more...)
			slices.SortFunc(spans, func(a, b lineSpan) int { return cmp.Compare(a.from, b.from) })
		}
		// Runs of lines without an encoded line need no decoding: no match
		// crosses from one run to another.
		var plain, decoded []lineSpan
		for _, c := range mergeSpans(spans) {
			i, _ := slices.BinarySearch(encoded, c.from)
			if decode && i < len(encoded) && encoded[i] <= c.to {
				decoded = append(decoded, c)
			} else {
				plain = append(plain, c)
			}
		}
		if len(plain) > 0 && gated[rule] {
			rt := splice(text, starts, plain)
			rt.rule = rule
			n.rules = append(n.rules, rt)
		}
		if len(decoded) > 0 {
			rt := splice(text, starts, decoded)
			rt.rule, rt.decode, rt.gated = rule, true, !steady[rule]
			n.rules = append(n.rules, rt)
		}
	})
	return n
}

// mergeSpans returns spans (sorted by their first line) with those that overlap
// or touch made one.
func mergeSpans(spans []lineSpan) []lineSpan {
	var out []lineSpan
	for _, s := range spans {
		if n := len(out); n > 0 && s.from <= out[n-1].to+1 {
			out[n-1].to = max(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// decodedWords reads the encoded lines as gitleaks decodes them (up to
// decodeDepth times) and returns the words in any decoded text (folded
// both ways as scan folds lines outside ASCII), and those in every text,
// the lines as they are included, that gitleaks runs its rules over (found
// as gitleaks finds keywords, in the lower-cased text).
func (w *window) decodedWords(text string, starts []int32, encoded []int32) (anyPass, everyPass []bool) {
	var b strings.Builder
	for _, l := range encoded {
		b.WriteString(lineAt(text, int(starts[l])))
		b.WriteByte('\n')
	}
	raw := b.String()
	anyPass, everyPass = make([]bool, len(w.words)), make([]bool, len(w.words))
	for _, m := range w.trie.MatchString(strings.ToLower(raw)) {
		everyPass[m.Pattern()] = true
	}
	dec := codec.NewDecoder()
	var segs []*codec.EncodedSegment
	for range decodeDepth {
		if raw, segs = dec.Decode(raw, segs); len(segs) == 0 {
			break
		}
		lower := strings.ToLower(raw)
		here := make([]bool, len(w.words))
		for _, m := range w.trie.MatchString(lower) {
			here[m.Pattern()] = true
		}
		for _, m := range w.trie.MatchString(strings.ToLower(strings.ToUpper(raw))) {
			anyPass[m.Pattern()] = true
		}
		for id, in := range here {
			anyPass[id] = anyPass[id] || in
			everyPass[id] = everyPass[id] && in
		}
	}
	return anyPass, everyPass
}

// lineStarts returns the offset of each of text's lines.
func lineStarts(text string, lines int) []int32 {
	starts := make([]int32, 0, lines)
	for at := 0; ; {
		starts = append(starts, int32(at))
		i := strings.IndexByte(text[at:], '\n')
		if i < 0 {
			return starts
		}
		at += i + 1
	}
}

// b64Token is a token on a line, text[start:end].
type b64Token struct {
	start, end int
	line       int32
}

// encodedLines returns the lines where gitleaks' decoder (codec v8.30.1)
// finds something to decode in text, or all when it cannot say line by
// line. Its percent, hex and base64 patterns do not cross lines. Where
// neither of the first two can match, its base64 pattern matches whole
// tokens, which hold a segment when they decode to printable text as the
// decoder decodes them; lines where they can go through the decoder itself.
// Its pattern for U+ code points can go on across lines, so text with a
// line starting with one goes through the decoder whole.
func (f *found) encodedLines(text string) (lines []int32, all bool) {
	if f.escape {
		_, segs := codec.NewDecoder().Decode(text, nil)
		return nil, len(segs) > 0
	}
	var buf []byte
	odd := 0
	for _, t := range f.tokens {
		for odd < len(f.odd) && f.odd[odd].line < t.line {
			odd++
		}
		if odd < len(f.odd) && f.odd[odd].line == t.line {
			// The decoder might match this token otherwise: it reads the line.
			continue
		}
		var ok bool
		if buf, ok = printableBase64(text[t.start:t.end], buf); ok && (len(lines) == 0 || lines[len(lines)-1] != t.line) {
			lines = append(lines, t.line)
		}
	}
	if len(f.odd) == 0 {
		return lines, false
	}
	var some strings.Builder
	for _, o := range f.odd {
		some.WriteString(lineAt(text, int(o.word)))
		some.WriteByte('\n')
	}
	if _, segs := codec.NewDecoder().Decode(some.String(), nil); len(segs) == 0 {
		return lines, false
	}
	for _, o := range f.odd {
		if _, segs := codec.NewDecoder().Decode(lineAt(text, int(o.word)), nil); len(segs) > 0 {
			lines = append(lines, o.line)
		}
	}
	slices.Sort(lines)
	return lines, false
}

// lineAt returns the line of text starting at start, without its newline.
func lineAt(text string, start int) string {
	line := text[start:]
	if e := strings.IndexByte(line, '\n'); e >= 0 {
		line = line[:e]
	}
	return line
}

// printableBase64 reports whether the decoder's base64 decoding of s gives
// printable ASCII (standard encoding first, then unpadded URL encoding).
func printableBase64(s string, buf []byte) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		n := enc.DecodedLen(len(s))
		buf = slices.Grow(buf[:0], n)[:n]
		n, err := enc.Decode(buf, []byte(s))
		if err == nil && printable(buf[:n]) {
			return buf, true
		}
	}
	return buf, false
}

func printable(b []byte) bool {
	for _, c := range b {
		if c <= 8 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Character classes of the decoder's patterns, and the bytes scan looks at
// one by one.
const (
	base64Char   = 1 << iota // [\w/+-]
	likelyBase64             // what its base64 decoder insists on: [0-9+/_-]
	hexDigit                 // [0-9A-Fa-f]
	special                  // newline, outside ASCII, % \\ +
)

var byteClass = func() (t [256]byte) {
	for c := range 256 {
		switch {
		case '0' <= c && c <= '9':
			t[c] = base64Char | likelyBase64 | hexDigit
		case 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
			t[c] = base64Char | hexDigit
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			t[c] = base64Char
		case c == '_', c == '/', c == '+', c == '-':
			t[c] = base64Char | likelyBase64
		}
		if c == '\n' || c >= 0x80 || c == '%' || c == '\\' || c == '+' {
			t[c] |= special
		}
	}
	return t
}()

// verify records the words of lists[list-1] text starts with, on line.
func (w *window) verify(text string, list uint16, line int32, last []int32, hits *[]hit) {
	for _, id := range w.lists[list-1] {
		if last[id] != line+1 && hasFold(text, w.words[id]) {
			last[id] = line + 1
			*hits = append(*hits, hit{id, line})
		}
	}
}

// scan makes one pass over text for everything narrow needs. It reads
// every byte of a scan, so it goes line by line with few variables (kept in
// registers), keeps runs and counts with masks rather than branches that
// depend on the text, and lets bytes that need a closer look share one
// rarely taken branch.
func (w *window) scan(text string) *found {
	f := &found{}
	last := make([]int32, len(w.words)) // 1 + the line of the last hit
	line := int32(0)
	for start := 0; ; line++ {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		// The unescaped copy of a text is mostly lines of spaces, which
		// hold nothing.
		if strings.TrimLeft(text[start:end], " ") != "" && w.scanLine(f, text[start:end], start, line, last) {
			f.nonASCII = append(f.nonASCII, line)
			// Unicode case folding can turn this line's characters into
			// keywords (gitleaks lower-cases the text) or literals (regexes
			// ignoring case), so search it folded both ways.
			s := text[start:end]
			for _, folded := range []string{strings.ToLower(s), strings.ToLower(strings.ToUpper(s))} {
				for _, m := range w.trie.MatchString(folded) {
					f.words = append(f.words, hit{int32(m.Pattern()), line})
				}
			}
		}
		if end == len(text) {
			break
		}
		start = end + 1
	}
	f.lines = int(line) + 1
	return f
}

// lineScan is the scanner's state within a line: the run of base64
// characters up to a byte, the classes in it and the run of hex digits;
// quad holds the last four bytes folded, its low half the last two.
type lineScan struct {
	run, classes, hex int
	quad              uint32
}

// advance returns s having taken in byte c, of class cls.
func (s lineScan) advance(c byte, cls int) lineScan {
	in := -(cls & base64Char) // all ones within a run, else zero
	return lineScan{
		run:     (s.run + 1) & in,
		classes: (s.classes | cls) & in,
		hex:     (s.hex + 1) & -(cls >> 2 & 1),
		quad:    s.quad<<8 | uint32(folded[c]),
	}
}

// skip advances s over text from i up to the first byte that needs more
// than advance, and returns its index (len(text) when none does). Most
// bytes need nothing more, so this loop calls nothing and branches on
// nothing the text decides often, which keeps it in registers.
func (w *window) skip(text string, i int, s lineScan, shortest int) (int, lineScan) {
	for ; i < len(text); i++ {
		c := text[i]
		cls := int(byteClass[c])
		q := s.quad<<8 | uint32(folded[c])
		k4, k2 := quadKey(q), uint16(q)
		if w.bits4[k4>>6]&(1<<(k4&63))|w.bits2[k2>>6]&(1<<(k2&63)) != 0 || cls&special != 0 ||
			s.run >= shortest && cls&base64Char == 0 || s.hex >= 31 && cls&hexDigit != 0 {
			return i, s
		}
		s = s.advance(c, cls)
	}
	return i, s
}

// scanLine scans one line, which starts at offset start of the text, and
// reports whether it holds bytes outside ASCII.
func (w *window) scanLine(f *found, text string, start int, line int32, last []int32) (nonASCII bool) {
	// Runs shorter than this matter neither as tokens nor to any rule.
	shortest := 16
	if w.minRun > 0 {
		shortest = min(shortest, w.minRun)
	}
	var s lineScan
	odd := false
	for i := 0; ; i++ {
		if i, s = w.skip(text, i, s, shortest); i == len(text) {
			break
		}
		c := text[i]
		cls := int(byteClass[c])
		if s.run >= shortest && cls&base64Char == 0 {
			f.endRun(text, start, i, s.run, s.classes, line, w.minRun)
		}
		s = s.advance(c, cls)
		odd = odd || s.hex >= 32
		switch {
		case c >= 0x80:
			nonASCII = true
		case c == '%':
			odd = odd || i+2 < len(text) && byteClass[text[i+1]]&hexDigit != 0 && byteClass[text[i+2]]&hexDigit != 0
		case c == '\\':
			// A \u escape, which its decoder matches within the line.
			odd = odd || i+1 < len(text) && (text[i+1] == 'u' || text[i+1] == 'U')
		case c == '+' && i > 0 && text[i-1] == 'U':
			// Its decoder matches a U+ code point within the line, unless
			// it goes on from the end of the line before.
			odd = true
			f.escape = f.escape || i == 1
		}
		if k := quadKey(s.quad); w.bits4[k>>6]&(1<<(k&63)) != 0 && i >= 3 {
			w.verify(text[i-3:], w.index4[k], line, last, &f.words)
		}
		if k := uint16(s.quad); w.bits2[k>>6]&(1<<(k&63)) != 0 && i >= 1 {
			w.verify(text[i-1:], w.index2[k], line, last, &f.words)
		}
	}
	if s.run >= shortest {
		f.endRun(text, start, len(text), s.run, s.classes, line, w.minRun)
	}
	if odd {
		f.odd = append(f.odd, hit{int32(start), line})
	}
	return nonASCII
}

// endRun records a run of base64 characters ending at line[i], where line
// starts at offset start of the text: as a token and as the line's longest
// run (when minRun > 0).
func (f *found) endRun(text string, start, i, run, classes int, line int32, minRun int) {
	if run >= 16 && classes&likelyBase64 != 0 {
		end := i
		for end < len(text) && end < i+2 && text[end] == '=' {
			end++
		}
		f.tokens = append(f.tokens, b64Token{start + i - run, start + end, line})
	}
	if minRun > 0 && run >= minRun {
		if n := len(f.runs); n > 0 && f.runs[n-1].line == line {
			f.runs[n-1].word = max(f.runs[n-1].word, int32(run))
		} else {
			f.runs = append(f.runs, hit{int32(run), line})
		}
	}
}

// hasFold reports whether s starts with word (lower-case ASCII), ignoring
// ASCII case.
func hasFold(s, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for i := 0; i < len(word); i++ {
		if foldByte(s[i]) != word[i] {
			return false
		}
	}
	return true
}

// analyse finds literals one of which every match of pattern contains (lower
// case, at least 2 bytes, ASCII, no newline) and how many newlines a match
// can hold before and after the literal.
func analyse(pattern string) (lits []string, before, after int, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, 0, 0, false
	}
	n := info(re)
	lits, ok = n.required()
	if !ok || !usable(lits) {
		return nil, 0, 0, false
	}
	if n.isExact {
		return lits, n.nl, n.nl, true
	}
	return lits, n.before, n.after, true
}

// usable reports whether the scanner can look for every literal: at least
// two ASCII bytes, within one line.
func usable(lits []string) bool {
	for _, l := range lits {
		if len(l) < 2 || !ascii(l) || strings.Contains(l, "\n") {
			return false
		}
	}
	return len(lits) > 0
}

// node summarises a regex: exact lists every string it can match (when
// small), or req says every match contains one of lits; nl bounds the
// newlines in a match, before/after around the required literal.
type node struct {
	exact         []string
	isExact       bool
	lits          []string
	req           bool
	nl            int
	before, after int
}

func addNL(a, b int) int { return min(a+b, unbounded) }

func info(re *syntax.Regexp) node {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		return node{exact: []string{s}, isExact: true, nl: strings.Count(s, "\n")}
	case syntax.OpCharClass:
		return charClass(re)
	case syntax.OpAnyCharNotNL:
		return node{}
	case syntax.OpAnyChar:
		return node{nl: 1}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return node{exact: []string{""}, isExact: true}
	case syntax.OpCapture:
		return info(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return repeat(re)
	case syntax.OpConcat:
		return concat(re.Sub)
	case syntax.OpAlternate:
		return alternate(re.Sub)
	}
	return node{nl: unbounded}
}

func charClass(re *syntax.Regexp) node {
	n := node{}
	set := map[string]bool{}
	count := 0
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if lo <= '\n' && '\n' <= hi {
			n.nl = 1
		}
		count += int(hi-lo) + 1
		if count > maxLiterals {
			continue
		}
		for r := lo; r <= hi; r++ {
			set[strings.ToLower(string(r))] = true
		}
	}
	if count <= maxLiterals {
		n.isExact = true
		for s := range set {
			n.exact = append(n.exact, s)
		}
	}
	return n
}

func repeat(re *syntax.Regexp) node {
	sub := info(re.Sub[0])
	lo, hi := 0, -1
	switch re.Op {
	case syntax.OpPlus:
		lo = 1
	case syntax.OpQuest:
		hi = 1
	case syntax.OpRepeat:
		lo, hi = re.Min, re.Max
	}
	n := node{}
	if lo == 0 && hi == 1 && sub.isExact {
		// x? is x or nothing: keeps literals like passw(?:or)?d exact.
		n.isExact, n.exact = true, dedupe(append([]string{""}, sub.exact...))
	}
	switch {
	case sub.nl == 0:
	case hi < 0:
		n.nl = unbounded
	default:
		n.nl = min(sub.nl*hi, unbounded)
	}
	if lo >= 1 {
		// One repetition must be there; the others may hold newlines on
		// either side of its literal.
		l, ok := sub.required()
		if ok {
			n.lits, n.req = l, true
			n.before = addNL(sub.before, n.nl-sub.nl)
			n.after = addNL(sub.after, n.nl-sub.nl)
			if sub.isExact {
				n.before, n.after = n.nl, n.nl
			}
		}
	}
	return n
}

// required returns the literals every match contains.
func (n node) required() ([]string, bool) {
	if n.isExact {
		for _, s := range n.exact {
			if s == "" {
				return nil, false
			}
		}
		return n.exact, len(n.exact) > 0
	}
	return n.lits, n.req
}

func concat(subs []*syntax.Regexp) node {
	parts := make([]node, len(subs))
	total := 0
	for i, s := range subs {
		parts[i] = info(s)
		total = addNL(total, parts[i].nl)
	}
	out := node{nl: total}
	best := -1.0
	// consider offers the literals of parts[i:j] (every match of the
	// concatenation contains one) with the newlines a match can hold around
	// them, keeping the rarest usable set.
	consider := func(lits []string, i, j, before, after int) {
		if !usable(lits) {
			return
		}
		b, a := addNL(nlBefore(parts, i), before), addNL(nlAfter(parts, j-1), after)
		if s := score(lits); s > best {
			best, out.lits, out.req, out.before, out.after = s, lits, true, b, a
		}
	}
	for i := 0; i < len(parts); {
		if !parts[i].isExact {
			if l, ok := parts[i].required(); ok {
				consider(l, i, i+1, parts[i].before, parts[i].after)
			}
			i++
			continue
		}
		// Runs of exact parts multiply out into longer literals.
		j := i
		prod := []string{""}
		nl := 0
		for j < len(parts) && parts[j].isExact && len(prod)*len(parts[j].exact) <= maxLiterals {
			var next []string
			for _, p := range prod {
				for _, e := range parts[j].exact {
					next = append(next, p+e)
				}
			}
			prod = dedupe(next)
			nl += parts[j].nl
			consider(parts[j].exact, j, j+1, parts[j].nl, parts[j].nl)
			j++
		}
		if j == i {
			// Too many alternatives to multiply even alone.
			i++
			continue
		}
		if i == 0 && j == len(parts) {
			out.isExact, out.exact = true, prod
		}
		consider(prod, i, j, nl, nl)
		i = j
	}
	return out
}

func nlBefore(parts []node, i int) int {
	n := 0
	for _, p := range parts[:i] {
		n = addNL(n, p.nl)
	}
	return n
}

func nlAfter(parts []node, i int) int {
	n := 0
	for _, p := range parts[i+1:] {
		n = addNL(n, p.nl)
	}
	return n
}

// score prefers literal sets whose shortest member is long: those are rare.
func score(lits []string) float64 {
	m := 1 << 20
	for _, l := range lits {
		m = min(m, len(l))
	}
	return float64(m) - float64(len(lits))/100
}

func alternate(subs []*syntax.Regexp) node {
	out := node{isExact: true, req: true}
	for _, s := range subs {
		p := info(s)
		out.nl = max(out.nl, p.nl)
		if out.isExact && p.isExact && len(out.exact)+len(p.exact) <= maxLiterals {
			out.exact = append(out.exact, p.exact...)
		} else {
			out.isExact = false
		}
		l, ok := p.required()
		if !ok {
			out.req = false
		}
		out.lits = append(out.lits, l...)
		out.before = max(out.before, p.before)
		out.after = max(out.after, p.after)
		if p.isExact {
			out.before, out.after = max(out.before, p.nl), max(out.after, p.nl)
		}
	}
	if out.isExact {
		out.exact = dedupe(out.exact)
		out.lits, out.req = nil, false
		return out
	}
	out.lits = dedupe(out.lits)
	if !out.req || len(out.lits) > maxLiterals {
		out.lits, out.req = nil, false
	}
	return out
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// minTokenRun is the shortest run of base64 characters worth indexing a
// rule by: shorter runs are on most lines of code.
const minTokenRun = 12

// analyseRun finds, for a pattern without a usable literal, how many base64
// characters ([\w/+-]) in a row every match holds, and how many newlines a
// match can hold at most.
func analyseRun(pattern string) (run, nl int, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, 0, false
	}
	t := tokenRun(re, false)
	return t.run, info(re).nl, t.run >= minTokenRun
}

// minLiteralRun is the shortest run of base64 characters worth looking for
// next to a rule's literal: shorter ones are too common to tell much (and
// tracking them would cost the scanner).
const minLiteralRun = 16

// literalRun returns how many base64 characters in a row every match of
// pattern holds on a line all in ASCII, or 0 when fewer than minLiteralRun.
func literalRun(pattern string) int {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0
	}
	if t := tokenRun(re, true); t.run >= minLiteralRun {
		return t.run
	}
	return 0
}

// token summarises a regex for analyseRun: only says every string it
// matches is made of base64 characters, of at least min of them; run is a
// count of them in a row that every match holds (every match within ASCII,
// for tokenRun's asciiOnly).
type token struct {
	only     bool
	min, run int
}

func tokenRun(re *syntax.Regexp, asciiOnly bool) token {
	switch re.Op {
	case syntax.OpLiteral:
		t := token{only: true, min: len(re.Rune)}
		for _, r := range re.Rune {
			// Case folding reaches beyond ASCII from k and s (K, ſ).
			fold := re.Flags&syntax.FoldCase != 0 && strings.ContainsRune("kKsS", r) && !asciiOnly
			if r >= 0x80 || byteClass[r]&base64Char == 0 || fold {
				t.only = false
			}
		}
		if t.only {
			t.run = t.min
		}
		return t
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r >= 0x80 && asciiOnly {
					break
				}
				if r >= 0x80 || byteClass[r]&base64Char == 0 {
					return token{min: 1}
				}
			}
		}
		return token{only: true, min: 1, run: 1}
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return token{only: true}
	case syntax.OpCapture:
		return tokenRun(re.Sub[0], asciiOnly)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		sub := tokenRun(re.Sub[0], asciiOnly)
		lo := 0
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpRepeat:
			lo = re.Min
		}
		t := token{only: sub.only, min: lo * sub.min}
		if lo > 0 {
			t.run = sub.run
		}
		if sub.only {
			t.run = max(t.run, t.min)
		}
		return t
	case syntax.OpConcat:
		t := token{only: true}
		block := 0
		for _, s := range re.Sub {
			p := tokenRun(s, asciiOnly)
			t.min += p.min
			t.run = max(t.run, p.run)
			if p.only {
				block += p.min
				t.run = max(t.run, block)
			} else {
				t.only = false
				block = 0
			}
		}
		return t
	case syntax.OpAlternate:
		t := token{only: true, min: -1, run: -1}
		for _, s := range re.Sub {
			p := tokenRun(s, asciiOnly)
			t.only = t.only && p.only
			if t.min < 0 || p.min < t.min {
				t.min = p.min
			}
			if r := max(p.run, 0); t.run < 0 || r < t.run {
				t.run = r
			}
		}
		t.min, t.run = max(t.min, 0), max(t.run, 0)
		return t
	}
	return token{}
}

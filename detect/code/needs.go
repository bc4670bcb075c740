package code

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// Parsing a window and running the queries over it are most of the
// detector's cost, and most windows cannot match: the keyword that opened
// the window is there, but not the rest of what a pattern's predicates ask
// for (a "-c" argument, a name like token or password, an import). A
// pattern's predicates are about the text of its captures, which is text of
// the window, so each yields a condition on the window's text that is
// necessary for a match. Only the patterns whose conditions all hold are
// run, and a window where none holds is not parsed.

// need is a condition a window must meet for a pattern to match in it.
type need struct {
	// words: one of them occurs in the window (#eq?, #any-of?).
	words []string
	// re matches the window (#match?, #context?). Every match holds one
	// of lits ignoring case, when set, and with oneLine holds no newline,
	// so only the lines where they occur need matching.
	re      *regexp.Regexp
	lits    []string
	oneLine bool
	// file matches the whole file, or with lacks does not (#file-has?,
	// #file-lacks?).
	file  *regexp.Regexp
	lacks bool
	// input: the window may read request input (#tainted?).
	input bool
	// inCapture: the text asked for is in a capture, so in the node that
	// matches the pattern.
	inCapture bool
}

// needsOf returns the conditions of pattern i of q, whose custom
// predicates are checks, cheapest first.
func needsOf(q *sitter.Query, i uint, checks []check) []need {
	var cheap, rest []need
	quantifiers := q.CaptureQuantifiers(i)
	for _, p := range q.TextPredicates[i] {
		// The bindings pass a predicate whose capture matched no node, and
		// the any-* forms whatever their nodes hold: only a positive
		// predicate over every node of a capture that always has one
		// constrains the text.
		if n := quantifiers[p.CaptureId]; !p.Positive || !p.MatchAllNodes ||
			n != sitter.CaptureQuantifierOne && n != sitter.CaptureQuantifierOneOrMore {
			continue
		}
		switch p.Type {
		case sitter.TextPredicateTypeEqString:
			cheap = append(cheap, need{words: []string{p.Value.(string)}, inCapture: true})
		case sitter.TextPredicateTypeAnyString:
			cheap = append(cheap, need{words: p.Value.([]string), inCapture: true})
		case sitter.TextPredicateTypeMatchString:
			if re := unanchored(p.Value.(*regexp.Regexp)); re != nil {
				n := reNeed(re)
				n.inCapture = true
				rest = append(rest, n)
			}
		}
	}
	for _, c := range checks {
		if c.op == "dynamic?" || c.op == "nonconst?" {
			// Evaluating these may find the window too narrow and have
			// the whole file parsed: the checks after them must run for
			// that to happen as before.
			break
		}
		switch c.op {
		case "context?":
			// The context is lines of the window and names in it joined
			// by newlines: a match that spans no newline lies in one of
			// them, so in the window.
			if re := unanchored(c.re); re != nil && !matchesNewline(c.re) {
				rest = append(rest, reNeed(re))
			}
		case "file-has?":
			cheap = append(cheap, need{file: c.re})
		case "file-lacks?":
			cheap = append(cheap, need{file: c.re, lacks: true})
		case "tainted?":
			rest = append(rest, need{input: true})
		}
	}
	return append(cheap, rest...)
}

func reNeed(re *regexp.Regexp) need {
	return need{re: re, lits: literalsOf(re), oneLine: !matchesNewline(re)}
}

// matchNear reports whether n.re matches the window, looking only where
// one of its literals occurs.
func (t *windowText) matchNear(n *need) bool {
	for _, l := range n.lits {
		lit := []byte(l)
		for off := 0; ; {
			i := bytes.Index(t.lower[off:], lit)
			if i < 0 {
				break
			}
			if !n.oneLine {
				return n.re.Match(t.src)
			}
			i += off
			start := bytes.LastIndexByte(t.src[:i], '\n') + 1
			end := len(t.src)
			if j := bytes.IndexByte(t.src[i:], '\n'); j >= 0 {
				end = i + j
			}
			if n.re.Match(t.src[start:end]) {
				return true
			}
			off = end + 1
			if off > len(t.lower) {
				break
			}
		}
	}
	return false
}

// unanchored returns re without its assertions (^, $, \b, \B), or nil if
// it cannot be rewritten. Text that re matches within a capture contains
// a match of the result, and so does the window around the capture.
func unanchored(re *regexp.Regexp) *regexp.Regexp {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	var drop func(r *syntax.Regexp)
	drop = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
			syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			r.Op = syntax.OpEmptyMatch
		}
		for _, sub := range r.Sub {
			drop(sub)
		}
	}
	drop(tree)
	out, err := regexp.Compile(tree.String())
	if err != nil {
		return nil
	}
	return out
}

// matchesNewline reports whether re may match text holding a newline.
func matchesNewline(re *regexp.Regexp) bool {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return true
	}
	var walk func(r *syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpAnyChar:
			return true
		case syntax.OpLiteral:
			for _, c := range r.Rune {
				if c == '\n' {
					return true
				}
			}
		case syntax.OpCharClass:
			for i := 0; i+1 < len(r.Rune); i += 2 {
				if r.Rune[i] <= '\n' && '\n' <= r.Rune[i+1] {
					return true
				}
			}
		}
		for _, sub := range r.Sub {
			if walk(sub) {
				return true
			}
		}
		return false
	}
	return walk(tree)
}

// wholeFile is the file windows come from, with the answers of the
// expressions matched against all of it, which its windows share.
type wholeFile struct {
	text    string
	matched map[*regexp.Regexp]bool
}

func (f *wholeFile) has(re *regexp.Regexp) bool {
	has, ok := f.matched[re]
	if !ok {
		has = re.MatchString(f.text)
		f.matched[re] = has
	}
	return has
}

// windowText answers needs about one window of a file.
type windowText struct {
	lang  *language
	src   []byte
	file  *wholeFile
	input int8 // 0 unknown, 1 may read request input, -1 does not
	// lower is src with ASCII letters in lower case.
	lower []byte
	folds int8 // 0 unknown, 1 lower stands for src ignoring case, -1 not
}

// asciiFolding are the only runes outside ASCII that fold to ASCII
// letters (long s, Kelvin sign): ignoring case, a regular expression
// matches them where it expects k and s.
var asciiFolding = []string{"\u017f", "\u212a"}

// lowered reports whether t.lower stands for the window ignoring case:
// whether every rune that folds to an ASCII letter is one.
func (t *windowText) lowered() bool {
	if t.folds == 0 {
		t.folds = 1
		t.lower = make([]byte, len(t.src))
		wide := false
		for i, c := range t.src {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			wide = wide || c >= utf8.RuneSelf
			t.lower[i] = c
		}
		for _, r := range asciiFolding {
			if wide && bytes.Contains(t.src, []byte(r)) {
				t.folds, t.lower = -1, nil
			}
		}
	}
	return t.folds > 0
}

func (t *windowText) meets(ns []need) bool {
	for i := range ns {
		if !t.met(&ns[i]) {
			return false
		}
	}
	return true
}

func (t *windowText) met(n *need) bool {
	switch {
	case n.words != nil:
		for _, w := range n.words {
			if bytes.Contains(t.src, []byte(w)) {
				return true
			}
		}
		return false
	case n.re != nil:
		if n.lits == nil || !t.lowered() {
			return n.re.Match(t.src)
		}
		return t.matchNear(n)
	case n.file != nil:
		return t.file.has(n.file) != n.lacks
	case n.input:
		if t.input == 0 {
			t.input = -1
			if t.mayReadInput() {
				t.input = 1
			}
		}
		return t.input > 0
	}
	return true
}

// span returns where in the window a match of a pattern with needs ns can
// be: a byte range its node overlaps, from the first to the end of the
// last occurrence of what one of its captures asks for (the narrowest
// such). It returns the whole window when no need asks for captured text.
func (t *windowText) span(ns []need) (from, to int) {
	from, to = 0, len(t.src)
	for i := range ns {
		n := &ns[i]
		words, text := n.words, t.src
		if n.re != nil && n.lits != nil && t.lowered() {
			words, text = n.lits, t.lower
		}
		if !n.inCapture || words == nil {
			continue
		}
		f, e := len(text), 0
		for _, w := range words {
			if i := bytes.Index(text, []byte(w)); i >= 0 {
				f = min(f, i)
				e = max(e, bytes.LastIndex(text, []byte(w))+len(w))
			}
		}
		if f < e && e-f < to-from {
			from, to = f, e
		}
	}
	return from, to
}

// mayReadInput reports whether the window holds anything that #tainted?
// takes for request input: a source, an annotated parameter, a route
// decorator.
func (t *windowText) mayReadInput() bool {
	for _, n := range t.lang.inputNeeds() {
		if t.met(n) {
			return true
		}
	}
	return false
}

// matches reports whether re, one of the language's expressions of
// request input, matches the window; most windows fail its need, which
// costs less to check than re.
func (t *windowText) matches(re *regexp.Regexp) bool {
	return t.met(t.lang.inputNeeds()[re]) && re.Match(t.src)
}

// inputNeeds returns, for each of the language's expressions of request
// input, a need of the windows it matches, built on first use.
func (l *language) inputNeeds() map[*regexp.Regexp]*need {
	l.inputOnce.Do(func() {
		l.inputs = map[*regexp.Regexp]*need{}
		for _, re := range []*regexp.Regexp{l.sources, l.taintedParams, l.routeDecorator} {
			if re == nil {
				continue
			}
			n := reNeed(re)
			if u := unanchored(re); u != nil {
				n = reNeed(u)
			}
			l.inputs[re] = &n
		}
	})
	return l.inputs
}

// inputCheck is the lazily built state of inputNeeds.
type inputCheck struct {
	inputOnce sync.Once
	inputs    map[*regexp.Regexp]*need
}

// maxLiterals bounds the alternatives literalsOf tracks.
const maxLiterals = 64

// literalsOf returns strings in lower case one of which every match of re
// contains, ignoring case, or nil if it finds no such set: checking them
// is a substring search, where matching a regular expression that ignores
// case tries every position.
func literalsOf(re *regexp.Regexp) []string {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	lits, _ := literals(tree.Simplify())
	if slices.Contains(lits, "") {
		return nil
	}
	return lits
}

// literals returns strings in lower case one of which every match of r
// contains, or nil; exact reports that every match is one of them (in
// some case), so that it can be joined to its neighbours' literals.
func literals(r *syntax.Regexp) (lits []string, exact bool) {
	switch r.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		for _, c := range r.Rune {
			if c >= utf8.RuneSelf {
				// Non-ASCII runes may fold to ASCII ones (K to k).
				return nil, false
			}
		}
		return []string{strings.ToLower(string(r.Rune))}, true
	case syntax.OpCharClass:
		// A class of a few letters, as (?i)p and [Ss] are.
		var chars []string
		for i := 0; i+1 < len(r.Rune); i += 2 {
			for c := r.Rune[i]; c <= r.Rune[i+1]; c++ {
				if c >= utf8.RuneSelf || len(chars) == 4 {
					return nil, false
				}
				if l := strings.ToLower(string(c)); !slices.Contains(chars, l) {
					chars = append(chars, l)
				}
			}
		}
		return chars, true
	case syntax.OpCapture:
		return literals(r.Sub[0])
	case syntax.OpPlus:
		lits, _ := literals(r.Sub[0])
		return lits, false
	case syntax.OpRepeat:
		if r.Min > 0 {
			lits, _ := literals(r.Sub[0])
			return lits, false
		}
	case syntax.OpAlternate:
		exact := true
		var all []string
		for _, sub := range r.Sub {
			l, ex := literals(sub)
			if l == nil || len(all)+len(l) > maxLiterals {
				return nil, false
			}
			all, exact = append(all, l...), exact && ex
		}
		return all, exact
	case syntax.OpConcat:
		// Runs of exact parts join into longer literals. Any one run, or
		// any one part, will do: take the one whose shortest literal is
		// longest, which occurs least by chance.
		var best, run []string
		exact := true
		keep := func(l []string) {
			if best == nil || shortest(l) > shortest(best) {
				best = l
			}
		}
		for _, sub := range r.Sub {
			l, ex := literals(sub)
			switch {
			case l == nil:
				exact, run = false, nil
				continue
			case !ex:
				exact, run = false, nil
				keep(l)
				continue
			case run != nil && len(run)*len(l) <= maxLiterals:
				run = product(run, l)
			default:
				exact = exact && run == nil
				run = l
			}
			keep(run)
		}
		if exact {
			return run, true
		}
		return best, false
	}
	return nil, false
}

func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(lits []string) int {
	n := len(lits[0])
	for _, l := range lits[1:] {
		n = min(n, len(l))
	}
	return n
}

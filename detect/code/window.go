package code

import (
	"regexp"
	"sort"
	"strings"
)

// Parsing is most of the detector's cost, and a sink and everything its
// predicates look at (the statement, the variables assigned before it in
// the same function, the function's parameters and decorators) sit in the
// declaration around it. So instead of the whole file the detector parses
// windows: the enclosing top-level declaration of each line that holds a
// sink keyword, found from indentation, or failing that the nearest
// declaration-level block, re-wrapped in its opening line so that it parses
// as it did in the file.

const (
	// maxUp and maxDown bound how far a window reaches from its keyword
	// line, so that one keyword in a long class does not cost the class.
	maxUp   = 150
	maxDown = 100
	// wholeFileLines is the size under which a file is parsed whole: its
	// windows would cost as much as the file.
	wholeFileLines = 120
)

// window is a piece of a file prepared for parsing.
type window struct {
	from, to int // 1-based file lines, inclusive
	// src is what is parsed: lines from..to, dedented by indent, after a
	// prefix of prefixLines lines and followed by closers.
	src         string
	prefixLines int
	indent      int
}

// fileLine maps a 0-based row of w.src back to a file line.
func (w *window) fileLine(row int) int { return row - w.prefixLines + w.from }

// lineIndex holds a text's line start offsets.
type lineIndex struct {
	text   string
	starts []int
}

func newLineIndex(text string) *lineIndex {
	starts := make([]int, 1, strings.Count(text, "\n")+1)
	for off := 0; ; {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return &lineIndex{text: text, starts: starts}
}

func (x *lineIndex) count() int { return len(x.starts) }

// line returns 1-based line n without its newline.
func (x *lineIndex) line(n int) string {
	start := x.starts[n-1]
	end := len(x.text)
	if n < len(x.starts) {
		end = x.starts[n] - 1
	}
	return x.text[start:end]
}

// lineOf returns the 1-based line holding byte offset off.
func (x *lineIndex) lineOf(off int) int {
	return sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off })
}

// offset returns where 1-based line n starts (len(text) past the end).
func (x *lineIndex) offset(n int) int {
	if n > len(x.starts) {
		return len(x.text)
	}
	return x.starts[n-1]
}

// keywordLines returns the lines of x within [from, to] that hold one of
// keywords, sorted.
func (x *lineIndex) keywordLines(keywords []string, from, to int) []int {
	lo, hi := x.offset(from), x.offset(to+1)
	seen := map[int]bool{}
	var out []int
	for _, k := range keywords {
		text := x.text[lo:hi]
		for base := lo; ; {
			i := strings.Index(text, k)
			if i < 0 {
				break
			}
			l := x.lineOf(base + i)
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
			// Continue on the next line: one hit per line is enough.
			next := x.offset(l+1) - base
			if next >= len(text) {
				break
			}
			base += next
			text = text[next:]
		}
	}
	sort.Ints(out)
	return out
}

func indentOf(line string) (int, bool) {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return n, n == len(line)
}

// isClosing reports whether a line only closes blocks ("}", "});", "end").
func isClosing(line string) bool {
	t := strings.TrimSpace(line)
	if t == "end" {
		return true
	}
	if t == "" || t[0] != ')' && t[0] != ']' && t[0] != '}' {
		return false
	}
	return strings.Trim(t, ")]};, \t{") == ""
}

// decoration matches lines that belong to the declaration below them.
var decoration = regexp.MustCompile(`^\s*(@|#\[|//|#|/\*|\*)`)

// header matches the first line of a function, method or class; control
// excludes statements that look like one.
var (
	header  = regexp.MustCompile(`^\s*(?:(?:export|async|public|private|protected|static|final|override|synchronized|abstract|default)\s+)*(?:def|func|function|class|interface)\b|\bfunction\s*\*?\s*\w*\s*\(|^\s*(?:[\w<>\[\],.?]+\s+)+\w+\s*\([^;=]*$`)
	control = regexp.MustCompile(`^\s*(?:\}\s*)?(?:if|for|while|switch|catch|else|try|return|with|elif|except|new|throw|await|yield|case)\b`)
)

func isHeader(line string) bool {
	return (strings.IndexByte(line, '(') >= 0 || strings.Contains(line, "class") || strings.Contains(line, "interface")) &&
		header.MatchString(line) && !control.MatchString(line)
}

// span returns the lines of the declaration around line c: up to the
// nearest enclosing function header or top-level line, down to where the
// indentation returns to that line's.
func (x *lineIndex) span(c int) (from, to, base int) {
	from, base = c, -1
	cind, _ := indentOf(x.line(c))
	for l := c; l >= 1 && l > c-maxUp; l-- {
		text := x.line(l)
		ind, blank := indentOf(text)
		if blank || isClosing(text) {
			continue
		}
		if base < 0 || ind <= base {
			from, base = l, ind
		}
		if ind == 0 || ind < cind && isHeader(text) {
			break
		}
	}
	if base < 0 {
		base = 0
	}
	for from > 1 {
		text := x.line(from - 1)
		if ind, blank := indentOf(text); blank || ind != base || !decoration.MatchString(text) {
			break
		}
		from--
	}
	to = c
	for l := c + 1; l <= x.count() && l <= c+maxDown; l++ {
		text := x.line(l)
		ind, blank := indentOf(text)
		if blank || ind > base {
			to = l
			continue
		}
		if isClosing(text) {
			to = l
			if ind == base {
				break
			}
			continue
		}
		break
	}
	return from, to, base
}

// opener returns the nearest line above from that is indented less than
// base: the line that opens the block a nested window sits in.
func (x *lineIndex) opener(from, base int) (string, int) {
	for l := from - 1; l >= 1; l-- {
		text := x.line(l)
		if ind, blank := indentOf(text); !blank && ind < base && !isClosing(text) {
			return text, ind
		}
	}
	return "", 0
}

// closers returns what closes the brackets a line leaves open, ignoring
// brackets inside simple string literals.
func closers(line string) string {
	var stack []byte
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(':
			stack = append(stack, ')')
		case c == '[':
			stack = append(stack, ']')
		case c == '{':
			stack = append(stack, '}')
		case c == ')' || c == ']' || c == '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	out := make([]byte, len(stack))
	for i := range stack {
		out[i] = stack[len(stack)-1-i]
	}
	return string(out)
}

// windows returns the windows around lines, merged where they overlap, or
// nil when they would cover most of the file anyway.
func (x *lineIndex) windows(lang *language, lines []int) []window {
	if x.count() <= wholeFileLines {
		return nil
	}
	type rng struct{ from, to, base int }
	var spans []rng
	for _, c := range lines {
		if n := len(spans); n > 0 && c <= spans[n-1].to {
			continue
		}
		from, to, base := x.span(c)
		if n := len(spans); n > 0 && from <= spans[n-1].to+1 {
			last := &spans[n-1]
			last.to = max(last.to, to)
			last.base = min(last.base, base)
			continue
		}
		spans = append(spans, rng{from, to, base})
	}
	total := 0
	for _, s := range spans {
		total += s.to - s.from + 1
	}
	if total*2 > x.count() {
		return nil
	}
	out := make([]window, 0, len(spans))
	for _, s := range spans {
		out = append(out, x.window(lang, s.from, s.to, s.base))
	}
	return out
}

// window prepares lines from..to, whose outermost lines are indented by
// base, for parsing: a nested block is preceded by the line that opens it
// (a function signature gives the parameters, a class makes methods
// parse as methods) and followed by what closes that line's brackets.
func (x *lineIndex) window(lang *language, from, to, base int) window {
	w := window{from: from, to: to}
	var b strings.Builder
	open := ""
	if base > 0 {
		var ind int
		if open, ind = x.opener(from, base); open != "" {
			if lang == langPython {
				w.indent = ind
				open = open[ind:]
			}
			b.WriteString(open)
			b.WriteByte('\n')
			w.prefixLines = 1
		}
	}
	for l := from; l <= to; l++ {
		text := x.line(l)
		if ind, _ := indentOf(text); ind >= w.indent {
			text = text[w.indent:]
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	b.WriteString(closers(open))
	w.src = b.String()
	return w
}

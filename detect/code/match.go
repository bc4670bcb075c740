package code

import (
	"strings"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// matchTree parses the whole new file once and runs each candidate query.
func (s *scan) matchTree(ms []*matcher) error {
	whole, err := s.wholeText()
	if err != nil {
		return err
	}
	if len(whole) > maxParse {
		return nil
	}
	src := []byte(whole)
	ev := &evaluator{lang: s.lang, src: src}
	if !ev.mayBeTainted() {
		kept := ms[:0:0]
		for _, m := range ms {
			if !m.needsTaint {
				kept = append(kept, m)
			}
		}
		if ms = kept; len(ms) == 0 {
			return nil
		}
	}
	g := s.lang.grammar
	p := s.d.parser(g)
	defer s.d.release(g, p)
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil
	}
	defer tree.Close()
	root := tree.RootNode()
	cursor := sitter.NewQueryCursor()
	defer cursor.Close()
	ev.root = root
	c := s.d.combined[g]
	cq, err := c.get()
	if err != nil {
		return err
	}
	wanted := make(map[*matcher]bool, len(ms))
	for _, m := range ms {
		wanted[m] = true
	}
	var lines []string
	if added := s.frag.AddedLines(); len(added) > 0 {
		// A reportable sink touches an added line, so the query need not
		// visit code before the first or after the last.
		start, end := lineOffset(whole, added[0]), lineOffset(whole, added[len(added)-1]+1)
		cursor.SetByteRange(uint(start), uint(end))
	}
	matches := cursor.Matches(cq.q, root, src)
	for qm := matches.Next(); qm != nil; qm = matches.Next() {
		m := c.owner[qm.PatternIndex]
		if !wanted[m] || !cq.satisfied(ev, qm) {
			continue
		}
		node := cq.reported(qm)
		if node == nil {
			continue
		}
		if lines == nil {
			lines = strings.Split(whole, "\n")
		}
		start := int(node.StartPosition().Row) + 1
		end := int(node.EndPosition().Row) + 1
		if node.EndPosition().Column == 0 && end > start {
			end--
		}
		s.report(m, start, end, int(node.StartPosition().Column)+1, lines[start-1])
	}
	return nil
}

// lineOffset returns the byte offset at which 1-based line n of text
// starts, or len(text) past the end.
func lineOffset(text string, n int) int {
	off := 0
	for line := 1; line < n; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	return off
}

func (cq *compiledQuery) satisfied(ev *evaluator, qm *sitter.QueryMatch) bool {
	for _, c := range cq.checks[qm.PatternIndex] {
		nodes := qm.NodesForCaptureIndex(c.capture)
		if len(nodes) == 0 {
			return false
		}
		n := &nodes[0]
		var ok bool
		switch c.op {
		case "dynamic?":
			ok = ev.eval(n, maxHops).kind == dynamic
		case "nonconst?":
			ok = ev.eval(n, maxHops).kind != constant
		case "tainted?":
			ok = ev.tainted(n, 2)
		case "context?":
			ok = c.re.MatchString(ev.context(n))
		case "file-has?":
			ok = c.re.Match(ev.src)
		case "file-lacks?":
			ok = !c.re.Match(ev.src)
		}
		if !ok {
			return false
		}
	}
	return true
}

// reported returns the node to report: the @sink capture, or for patterns
// without one the first capture.
func (cq *compiledQuery) reported(qm *sitter.QueryMatch) *sitter.Node {
	for i := range qm.Captures {
		if cq.hasSink && qm.Captures[i].Index == uint32(cq.sink) {
			return &qm.Captures[i].Node
		}
	}
	if len(qm.Captures) == 0 {
		return nil
	}
	return &qm.Captures[0].Node
}

func (d *Detector) parser(g *sitter.Language) *sitter.Parser {
	select {
	case p := <-d.parsers[g]:
		return p
	default:
	}
	p := sitter.NewParser()
	// The grammars are built from the pinned modules, so a version
	// mismatch is a build defect that the tests catch.
	_ = p.SetLanguage(g)
	return p
}

func (d *Detector) release(g *sitter.Language, p *sitter.Parser) {
	p.Reset()
	select {
	case d.parsers[g] <- p:
	default:
		p.Close()
	}
}

// matchLines runs line matchers over the lines the fragment adds.
func (s *scan) matchLines(ms []*matcher) error {
	var wholeLines []string
	for i, line := range strings.Split(s.frag.Text, "\n") {
		if isComment(line) {
			continue
		}
		for _, m := range ms {
			loc := m.pattern.FindStringIndex(line)
			if loc == nil || (m.not != nil && m.not.MatchString(line)) {
				continue
			}
			fileLine := s.frag.FileLine(i + 1)
			if m.context != nil {
				if wholeLines == nil {
					whole, err := s.wholeText()
					if err != nil {
						return err
					}
					wholeLines = strings.Split(whole, "\n")
				}
				if !m.inContext(wholeLines, fileLine) {
					continue
				}
			}
			s.report(m, fileLine, fileLine, utf8.RuneCountInString(line[:loc[0]])+1, line)
		}
	}
	return nil
}

// inContext reports whether, looking up from line, a context line comes
// before any not-context line within the window (the line itself counts).
func (m *matcher) inContext(lines []string, line int) bool {
	for l := line; l >= 1 && l > line-m.window-1 && l <= len(lines); l-- {
		text := lines[l-1]
		if m.notContext != nil && m.notContext.MatchString(text) {
			return false
		}
		if m.context.MatchString(text) {
			return true
		}
	}
	return false
}

func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "#!") || strings.HasPrefix(t, "//") ||
		strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "* ")
}

// maxExcerpt caps the code excerpt shown in outputs.
const maxExcerpt = 80

// excerpt returns a short form of a code line safe to publish: string
// literal contents longer than a few characters (which could hold a secret
// or personal data) become "…", whitespace is collapsed and the result is
// capped.
func excerpt(line string) string {
	var b strings.Builder
	var quote rune
	var lit []rune
	space := false
	flush := func() {
		if len(lit) > 3 {
			b.WriteString("…")
		} else {
			b.WriteString(string(lit))
		}
		lit = lit[:0]
	}
	escaped := false
	for _, r := range strings.TrimSpace(line) {
		if quote != 0 {
			switch {
			case escaped:
				escaped = false
				lit = append(lit, r)
			case r == '\\':
				escaped = true
				lit = append(lit, r)
			case r == quote:
				flush()
				b.WriteRune(r)
				quote = 0
			default:
				lit = append(lit, r)
			}
			continue
		}
		switch {
		case r == '"' || r == '\'' || r == '`':
			quote = r
			b.WriteRune(r)
		case r == ' ' || r == '\t':
			if !space {
				b.WriteRune(' ')
			}
			space = true
			continue
		default:
			b.WriteRune(r)
		}
		space = false
	}
	if quote != 0 {
		flush()
	}
	out := []rune(b.String())
	if len(out) > maxExcerpt {
		return string(out[:maxExcerpt-1]) + "…"
	}
	return string(out)
}

// normalise is the identity of a line for fingerprints: its code with
// whitespace collapsed, so that re-indenting does not make a new finding.
func normalise(line string) string {
	return strings.Join(strings.Fields(line), " ")
}

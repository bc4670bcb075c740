package code

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// matchTree runs the candidate queries over windows of the new file around
// the lines that hold their keywords (see window.go), or over the whole
// file when the windows would cover most of it.
func (s *scan) matchTree(ms []*matcher) error {
	whole, err := s.wholeText()
	if err != nil {
		return err
	}
	if len(whole) > maxParse {
		return nil
	}
	file := &wholeFile{text: whole, matched: map[*regexp.Regexp]bool{}}
	x := s.index(whole)
	ms, lines := s.keywordLines(x, ms)
	if len(lines) == 0 {
		return nil
	}
	wins := x.windows(s.lang, lines)
	for i := range wins {
		complete, err := s.matchWindow(ms, x, file, &wins[i])
		if err != nil {
			return err
		}
		if !complete {
			// A value the window could not resolve is assigned elsewhere
			// in the file: parse the whole file after all.
			wins = nil
			break
		}
	}
	if wins == nil {
		_, err = s.matchWindow(ms, x, file, &window{from: 1, to: x.count(), src: whole})
	}
	return err
}

// keywordLines returns the matchers of ms that have a candidate line, and
// the union of their candidate lines: lines where a sink may start. A
// candidate holds one of the matcher's keywords, matches its trigger and,
// for matchers that need built text, shows a sign of it; in a diff it is
// an added line or a few lines above one (a multi-line statement whose
// middle changed).
func (s *scan) keywordLines(x *lineIndex, ms []*matcher) ([]*matcher, []int) {
	type span struct{ from, to int }
	var spans []span
	if added := s.frag.AddedLines(); added == nil {
		spans = []span{{1, x.count()}}
	} else {
		for i := 0; i < len(added); {
			from, to := max(added[i]-contextLines, 1), added[i]
			for i++; i < len(added) && added[i]-contextLines <= to+1; i++ {
				to = added[i]
			}
			if from <= x.count() {
				spans = append(spans, span{from, min(to, x.count())})
			}
		}
	}
	byKeyword := map[string][]int{}
	seen := map[int]bool{}
	var kept []*matcher
	var out []int
	for _, m := range ms {
		found := false
		for _, k := range m.keywords {
			lines, ok := byKeyword[k]
			if !ok {
				for _, sp := range spans {
					lines = append(lines, x.keywordLines([]string{k}, sp.from, sp.to)...)
				}
				byKeyword[k] = lines
			}
			for _, l := range lines {
				if !m.evidence(x, l, false) {
					continue
				}
				found = true
				if !seen[l] {
					seen[l] = true
					out = append(out, l)
				}
			}
		}
		if found {
			kept = append(kept, m)
		}
	}
	sort.Ints(out)
	return kept, out
}

// buildsText reports signs that code builds text from values: operators,
// interpolation, formatting calls.
func buildsText(code string) bool {
	if strings.ContainsAny(code, "+%") {
		return true
	}
	for _, sign := range textBuilders {
		if strings.Contains(code, sign) {
			return true
		}
	}
	for i := 0; i+1 < len(code); i++ {
		// f"..." and rf'...' in Python, but not a name ending in f.
		if c := code[i]; (c == 'f' || c == 'F') && (code[i+1] == '"' || code[i+1] == '\'') &&
			(i == 0 || !isWordByte(code[i-1]) || i >= 1 && (code[i-1] == 'r' || code[i-1] == 'R') && (i == 1 || !isWordByte(code[i-2]))) {
			return true
		}
	}
	return false
}

var textBuilders = []string{"${", "#{", "$\"", ".format(", "Sprint", ".formatted(", ".concat(", "format(", "Join(", "join("}

// variableArgument matches a call whose first argument (after a context)
// is a name or call rather than a literal: text that may have been built
// elsewhere.
var variableArgument = regexp.MustCompile(`\(\s*(?:(?:ctx|context\.\w+\(\)|\w+\.Context\(\))\s*,\s*)?[A-Za-z_$]`)

// evidence reports whether keyword line l is worth parsing for m. When x
// is only part of the file (the added lines), a statement that continues
// past line l may have its evidence on lines x lacks, and counts.
func (m *matcher) evidence(x *lineIndex, l int, partial bool) bool {
	line := x.line(l)
	if m.trigger != nil && !m.trigger.MatchString(line) {
		return false
	}
	if !m.needsDynamic {
		return true
	}
	stmt := line
	if closers(line) != "" {
		if partial {
			return true
		}
		stmt = x.text[x.offset(l):x.offset(min(l+5, x.count()+1))]
	}
	return buildsText(stmt) || variableArgument.MatchString(stmt)
}

// matchWindow parses one window and reports the matches on added lines.
// It returns false, having reported nothing, when the window proved too
// narrow to evaluate a match.
func (s *scan) matchWindow(ms []*matcher, x *lineIndex, file *wholeFile, w *window) (bool, error) {
	src := []byte(w.src)
	t := &windowText{lang: s.lang, src: src, file: file}
	if anyNeedsTaint(ms) && !t.mayBeTainted() {
		// Taint is traced within the window (locals and parameters), so
		// a window that reads no request input needs no tainted? query.
		kept := ms[:0:0]
		for _, m := range ms {
			if !m.needsTaint {
				kept = append(kept, m)
			}
		}
		if ms = kept; len(ms) == 0 {
			return true, nil
		}
	}
	ev := &evaluator{lang: s.lang, src: src, file: file}
	if w.from > 1 || w.to < x.count() {
		ev.outside = func(name string) bool { return x.definedOutside(name, w.from, w.to) }
	}
	g := s.lang.grammar
	c := s.d.combined[g]
	cq, err := c.get()
	if err != nil {
		return true, err
	}
	open, start, end := openPatterns(c, cq, ms, t)
	if open == nil {
		return true, nil
	}
	if added := s.frag.AddedLines(); len(added) > 0 {
		// A reportable sink touches an added line, so the query need not
		// visit code before the first or after the last.
		first := sort.SearchInts(added, w.from)
		last := sort.SearchInts(added, w.to+1) - 1
		if first > last {
			return true, nil
		}
		wx := newLineIndex(w.src)
		start, end = overlapping(start, end, wx.offset(added[first]-w.from+w.prefixLines+1),
			wx.offset(added[last]-w.from+w.prefixLines+2))
	}
	p := s.d.parser(g)
	defer s.d.release(g, p)
	tree := p.Parse(src, nil)
	if tree == nil {
		return true, nil
	}
	defer tree.Close()
	root := tree.RootNode()
	cursor := sitter.NewQueryCursor()
	defer cursor.Close()
	cursor.SetByteRange(uint(start), uint(end))
	ev.root = root
	type hit struct {
		m               *matcher
		start, end, col int
	}
	var hits []hit
	matches := cursor.Matches(cq.q, root, src)
	for qm := matches.Next(); qm != nil; qm = matches.Next() {
		m := c.owner[qm.PatternIndex]
		if !open[qm.PatternIndex] || !cq.satisfied(ev, qm) {
			continue
		}
		node := cq.reported(qm)
		if node == nil {
			continue
		}
		start := w.fileLine(int(node.StartPosition().Row))
		end := w.fileLine(int(node.EndPosition().Row))
		if node.EndPosition().Column == 0 && end > start {
			end--
		}
		if start < w.from || end > w.to {
			continue // in the opening line or closers added around the window
		}
		hits = append(hits, hit{m, start, end, int(node.StartPosition().Column) + 1 + w.indent})
	}
	if ev.incomplete {
		return false, nil
	}
	for _, h := range hits {
		s.report(h.m, h.start, h.end, h.col, x.line(h.start))
	}
	return true, nil
}

// openPatterns returns which patterns of the combined query to run over a
// window, those of ms whose needs the window meets, and the bytes of it
// that their matches overlap. It returns nil when no pattern is open.
func openPatterns(c *combinedQuery, cq *compiledQuery, ms []*matcher, t *windowText) (open []bool, from, to int) {
	wanted := make(map[*matcher]bool, len(ms))
	for _, m := range ms {
		wanted[m] = true
	}
	from, to = len(t.src), 0
	for i, m := range c.owner {
		if !wanted[m] || !t.meets(cq.needs[i]) {
			continue
		}
		if open == nil {
			open = make([]bool, len(c.owner))
		}
		open[i] = true
		f, e := t.span(cq.needs[i])
		from, to = min(from, f), max(to, e)
	}
	return open, from, to
}

// overlapping returns a byte range that every node overlapping both
// [a, b) and [c, d) overlaps: a node overlapping both starts before the
// earlier end and ends after the later start.
func overlapping(a, b, c, d int) (int, int) {
	lo, hi := min(b, d), max(a, c)
	return min(lo, hi), max(lo, hi) + 1
}

func anyNeedsTaint(ms []*matcher) bool {
	for _, m := range ms {
		if m.needsTaint {
			return true
		}
	}
	return false
}

// definedOutside reports whether name is assigned at (or near) the top
// level of the file outside lines from..to: a module constant, a Go
// package-level var or const, a class field.
func (x *lineIndex) definedOutside(name string, from, to int) bool {
	text := x.text
	for off := 0; ; {
		i := strings.Index(text[off:], name)
		if i < 0 {
			return false
		}
		i += off
		off = i + len(name)
		if i > 0 && isWordByte(text[i-1]) || off < len(text) && isWordByte(text[off]) {
			continue
		}
		l := x.lineOf(i)
		if l >= from && l <= to {
			continue
		}
		line := x.line(l)
		if ind, _ := indentOf(line); ind > 4 || strings.HasPrefix(line, "\t\t") {
			continue
		}
		rest := strings.TrimLeft(text[off:x.offset(l+1)], " \t")
		if strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, ":=") {
			// A type annotation: name: str = ..., name: string = ...
			if j := strings.IndexByte(rest, '='); j > 0 {
				rest = rest[j:]
			}
		} else if fields := strings.Fields(rest); len(fields) > 1 && !strings.ContainsAny(fields[0], "=(") {
			// A Go type: var name string = ...
			rest = strings.TrimLeft(rest[len(fields[0]):], " \t")
		}
		if strings.HasPrefix(rest, ":=") || strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==") && !strings.HasPrefix(rest, "=>") {
			return true
		}
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
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
			ok = ev.file.has(c.re)
		case "file-lacks?":
			ok = !ev.file.has(c.re)
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

// matchLines runs line matchers over the lines the fragment adds. In
// languages with a lineTaint, it reads the whole file in order to follow
// request input through variables, and matches each added line with those
// variables replaced by the input they hold.
func (s *scan) matchLines(ms []*matcher) error {
	var wholeLines []string
	loadWhole := func() error {
		if wholeLines == nil {
			whole, err := s.wholeText()
			if err != nil {
				return err
			}
			wholeLines = strings.Split(whole, "\n")
		}
		return nil
	}
	lines, offset := strings.Split(s.frag.Text, "\n"), 0
	t := s.lang.lineTaint
	var inputs map[string]bool
	if t != nil {
		if err := loadWhole(); err != nil {
			return err
		}
		lines, offset, inputs = wholeLines, -1, map[string]bool{}
	}
	for i, line := range lines {
		n := i + 1
		if offset == 0 {
			n = s.frag.FileLine(i + 1)
		}
		if t != nil && !s.frag.IsAdded(n) || isComment(line) {
			t.track(line, inputs)
			continue
		}
		view := t.substitute(line, inputs)
		for _, m := range ms {
			loc := m.pattern.FindStringIndex(view)
			if loc == nil || (m.not != nil && m.not.MatchString(view)) {
				continue
			}
			if m.context != nil || m.notContext != nil {
				if err := loadWhole(); err != nil {
					return err
				}
				if !m.inContext(wholeLines, n) {
					continue
				}
			}
			col := 1
			if view == line {
				col = utf8.RuneCountInString(line[:loc[0]]) + 1
			}
			s.report(m, n, n, col, line)
		}
		t.track(line, inputs)
	}
	return nil
}

// lineTaint follows request input through variables in languages matched
// line by line: after "$name = $_GET['name'];", a line using $name is
// matched as if it used the input directly.
type lineTaint struct {
	// assign captures the variable (1) and value (2) of an assignment.
	assign *regexp.Regexp
	// source matches values that are request input; sanitizer vetoes
	// values made safe.
	source, sanitizer *regexp.Regexp
	// name matches the variables of the language in a line, and stands
	// is what a variable holding input is replaced with.
	name  *regexp.Regexp
	stand string
	// passes matches the functions whose result still is the input
	// (trimming, decoding, joining paths): the result of any other call
	// on the input (a computation, a query, a command) is not input.
	passes *regexp.Regexp
}

// exposes reports whether value holds request input outside the arguments
// of calls that do not pass it through.
func (t *lineTaint) exposes(value string) bool {
	for _, loc := range t.source.FindAllStringIndex(value, -1) {
		if t.passed(value[:loc[0]]) {
			return true
		}
	}
	return false
}

// passed reports whether every call left open in before (the text ahead
// of a source) passes its argument through.
func (t *lineTaint) passed(before string) bool {
	depth := 0
	for i := len(before) - 1; i >= 0; i-- {
		switch before[i] {
		case ')':
			depth++
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			j := i
			for j > 0 && (isWordByte(before[j-1]) || before[j-1] == '.' || before[j-1] == ':' || before[j-1] == '>' || before[j-1] == '-') {
				j--
			}
			if callee := before[j:i]; callee != "" && !t.passes.MatchString(callee) {
				return false
			}
		}
	}
	return true
}

// track updates inputs with the assignment on line, if any.
func (t *lineTaint) track(line string, inputs map[string]bool) {
	if t == nil {
		return
	}
	m := t.assign.FindStringSubmatch(line)
	if m == nil {
		return
	}
	value := t.substitute(m[2], inputs)
	if t.exposes(value) && !t.sanitizer.MatchString(value) {
		inputs[m[1]] = true
	} else {
		delete(inputs, m[1])
	}
}

// substitute replaces the variables of line that hold input.
func (t *lineTaint) substitute(line string, inputs map[string]bool) string {
	if t == nil || len(inputs) == 0 {
		return line
	}
	return t.name.ReplaceAllStringFunc(line, func(v string) string {
		if inputs[v] {
			return t.stand
		}
		return v
	})
}

// inContext reports whether, looking up from line, a context line comes
// before any not-context line within the window (the line itself counts).
// Without a context, it reports whether no not-context line is there.
func (m *matcher) inContext(lines []string, line int) bool {
	for l := line; l >= 1 && l > line-m.window-1 && l <= len(lines); l-- {
		text := lines[l-1]
		if m.notContext != nil && m.notContext.MatchString(text) {
			return false
		}
		if m.context != nil && m.context.MatchString(text) {
			return true
		}
	}
	return m.context == nil
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

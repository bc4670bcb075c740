// Package code is the risky code (CV) detector: injection, unsafe
// deserialisation, disabled TLS verification, weak crypto, XSS, path
// traversal, SSRF, XXE, insecure framework settings and risky
// infrastructure, in the code AI assistants write.
//
// Rules are data (rules/*.yml, plus a team's own in .aiguard.yml). Python,
// JavaScript, TypeScript, Go and Java are matched structurally with
// tree-sitter queries; other languages line by line. A cheap keyword
// pre-filter decides whether a file is parsed at all, so that full-history
// scans stay fast.
package code

import (
	"context"
	"fmt"
	"path"
	"runtime"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// maxParse caps the size of a file parsed for structural matching: larger
// files are generated or vendored far more often than hand-written, and one
// would cost more than the rest of a commit.
const maxParse = 1 << 20

// Detector finds risky code. It is safe for concurrent use.
type Detector struct {
	rules    []*rule
	byLang   map[string][]*matcher
	langs    map[string]*langMatchers
	combined map[*sitter.Language]*combinedQuery
	// IncludeGenerated scans vendored, minified and generated files too,
	// which are skipped by default: nobody reviews them line by line, and
	// they are most of what a history adds when dependencies are vendored.
	IncludeGenerated bool
	// parsers holds idle parsers per grammar; parsers own C memory, so they
	// are kept in a bounded free list rather than left to the collector.
	parsers map[*sitter.Language]chan *sitter.Parser
}

var _ detect.Detector = (*Detector)(nil)

// New returns a detector with the built-in rules, minus opts.Disable, plus
// opts.Rules. A team rule with a built-in rule's id replaces it.
func New(opts config.Code) (*Detector, error) {
	base, err := builtins()
	if err != nil {
		return nil, fmt.Errorf("built-in code rules: %w", err)
	}
	team, err := compileRules(opts.Rules)
	if err == nil {
		err = compileAll(team)
	}
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	active := make([]*rule, 0, len(base)+len(team))
	for _, r := range team {
		known[r.ID] = true
	}
	for _, r := range base {
		if !known[r.ID] {
			active = append(active, r)
		}
	}
	for _, r := range base {
		known[r.ID] = true
	}
	active = append(active, team...)
	disabled := map[string]bool{}
	for _, id := range opts.Disable {
		if !known[id] {
			return nil, fmt.Errorf("detectors.code.disable: unknown rule id %q", id)
		}
		disabled[id] = true
	}
	d := &Detector{byLang: map[string][]*matcher{}, combined: map[*sitter.Language]*combinedQuery{},
		parsers: map[*sitter.Language]chan *sitter.Parser{}}
	for _, r := range active {
		if disabled[r.ID] {
			continue
		}
		d.rules = append(d.rules, r)
		for _, m := range r.matchers {
			for _, l := range m.langs {
				d.byLang[l] = append(d.byLang[l], m)
				if m.query == "" {
					continue
				}
				for _, g := range grammars[l] {
					if d.combined[g] == nil {
						d.combined[g] = &combinedQuery{g: g}
					}
					d.combined[g].parts = append(d.combined[g].parts, m)
				}
			}
		}
	}
	for _, gs := range grammars {
		for _, g := range gs {
			d.parsers[g] = make(chan *sitter.Parser, runtime.GOMAXPROCS(0))
		}
	}
	d.langs = map[string]*langMatchers{}
	for name, ms := range d.byLang {
		if name == langTSX.name {
			ms = append(ms[:len(ms):len(ms)], d.byLang[langTS.name]...)
		}
		d.langs[name] = newLangMatchers(ms)
	}
	if d.langs[langTSX.name] == nil && d.byLang[langTS.name] != nil {
		d.langs[langTSX.name] = d.langs[langTS.name]
	}
	return d, nil
}

// Name implements detect.Detector.
func (d *Detector) Name() string { return "code" }

// Rules returns the metadata of the detector's active rules.
func (d *Detector) Rules() []Rule { return metadata(d.rules) }

// scan is one Detect call's state.
type scan struct {
	d     *Detector
	frag  *detect.Fragment
	lang  *language
	whole *string
	lines *lineIndex
	seen  map[string]bool
	out   []finding.Finding
}

// Detect implements detect.Detector.
func (d *Detector) Detect(ctx context.Context, frag *detect.Fragment) ([]finding.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !d.IncludeGenerated && generated(frag) {
		return nil, nil
	}
	lang := languageOf(frag.Path)
	if lang == nil && frag.FileLine(1) == 1 && isShellScript(frag.Text) {
		lang = langShell
	}
	if lang == nil {
		return nil, nil
	}
	lm := d.langs[lang.name]
	if lm == nil {
		return nil, nil
	}
	var structural, lines []*matcher
	candidates, found := lm.candidates(frag.Text)
	for _, m := range candidates {
		if m.query != "" {
			structural = append(structural, m)
		} else {
			lines = append(lines, m)
		}
	}
	if len(structural) > 0 && frag.AddedLines() != nil {
		structural = withEvidence(structural, frag.Text, found)
	}
	s := &scan{d: d, frag: frag, lang: lang, seen: map[string]bool{}}
	if len(structural) == 0 && lang.grammar != nil && frag.AddedLines() != nil && continuedLine(frag.Text) {
		var err error
		if structural, err = s.continuedStatements(lm); err != nil {
			return nil, err
		}
	}
	if len(structural) == 0 && len(lines) == 0 {
		return nil, nil
	}
	if lang == langKubernetes {
		whole, err := s.wholeText()
		if err != nil || !kubeManifest.MatchString(whole) {
			return nil, err
		}
	}
	if len(lines) > 0 {
		if err := s.matchLines(lines); err != nil {
			return s.out, err
		}
	}
	if len(structural) > 0 {
		if err := s.matchTree(structural); err != nil {
			return s.out, err
		}
	}
	return s.out, nil
}

// withEvidence keeps the matchers of ms with a keyword line in the added
// text that shows the evidence they need, before the whole file is loaded.
// found has where in text each keyword found first occurs.
func withEvidence(ms []*matcher, text string, found map[string]int) []*matcher {
	x := newLineIndex(text)
	kept := ms[:0:0]
	for _, m := range ms {
		if m.hasEvidence(x, found) {
			kept = append(kept, m)
		}
	}
	return kept
}

func (m *matcher) hasEvidence(x *lineIndex, found map[string]int) bool {
	for _, k := range m.keywords {
		first, ok := found[k]
		if !ok {
			continue
		}
		for _, l := range x.keywordLines([]string{k}, x.lineOf(first), x.count()) {
			if m.evidence(x, l, true) {
				return true
			}
		}
	}
	return false
}

// continues reports whether an added line starts with a string or a text
// operator and builds text: the middle of a longer statement (often a query
// or command being built) whose sink keyword may sit on an unchanged line
// above. It is
// deliberately narrow, since each hit costs loading the whole file.
func continues(line string) bool {
	t := strings.TrimLeft(line, " \t")
	if t == "" {
		return false
	}
	switch c := t[0]; c {
	case '+', '%', '"', '\'', '`':
	case 'f', 'b', 'r', 'u':
		if len(t) < 2 || t[1] != '"' && t[1] != '\'' {
			return false
		}
	default:
		return false
	}
	// Only text being built can make a sink above it dangerous.
	return buildsText(t)
}

// contextLines is how far around a change a multi-line statement's sink
// keyword is looked for.
const contextLines = 8

// continuedStatements returns the structural matchers whose keywords occur
// near the changed lines in the whole file, for changes that only touched
// the inside of a multi-line statement.
func (s *scan) continuedStatements(lm *langMatchers) ([]*matcher, error) {
	whole, err := s.wholeText()
	if err != nil {
		return nil, err
	}
	x := s.index(whole)
	var near strings.Builder
	for i, line := range strings.Split(s.frag.Text, "\n") {
		if !continues(line) {
			continue
		}
		l := s.frag.FileLine(i + 1)
		from, to := max(l-contextLines, 1), min(l, x.count())
		if from <= to {
			near.WriteString(whole[x.offset(from):x.offset(to+1)])
		}
	}
	var out []*matcher
	ms, _ := lm.candidates(near.String())
	for _, m := range ms {
		if m.query != "" {
			out = append(out, m)
		}
	}
	return out, nil
}

func continuedLine(text string) bool {
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		if continues(line) {
			return true
		}
		text = rest
	}
	return false
}

// Path parts and name endings of third-party and generated code, and the
// markers generators write at the top of a file.
var (
	vendoredDirs   = []string{"/vendor/", "/node_modules/", "/third_party/", "/bower_components/", "/site-packages/", "/.yarn/"}
	generatedNames = []string{".min.js", "-min.js", ".min.mjs", ".bundle.js", ".pb.go", ".pb.gw.go", "_pb2.py", "_pb2_grpc.py", ".g.cs", ".designer.cs", ".Designer.cs"}
	generatedMarks = []string{"DO NOT EDIT", "@generated", "<auto-generated"}
)

// maxLine is the line length beyond which code is taken to be minified.
const maxLine = 1000

// generated reports whether frag is vendored, generated or minified code.
func generated(frag *detect.Fragment) bool {
	p := "/" + frag.Path
	for _, d := range vendoredDirs {
		if strings.Contains(p, d) {
			return true
		}
	}
	for _, n := range generatedNames {
		if strings.HasSuffix(p, n) {
			return true
		}
	}
	if strings.HasPrefix(path.Base(p), "zz_generated") {
		return true
	}
	text := frag.Text
	if frag.FileLine(1) == 1 {
		head := text[:min(len(text), 300)]
		for _, m := range generatedMarks {
			if strings.Contains(head, m) {
				return true
			}
		}
	}
	// Minified code is a few very long lines.
	lines := strings.Count(text, "\n") + 1
	return len(text)/lines > maxLine/4 && longestLine(text) > maxLine
}

func longestLine(text string) int {
	longest := 0
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			i = len(text)
		}
		longest = max(longest, i)
		text = text[min(i+1, len(text)):]
	}
	return longest
}

func isShellScript(text string) bool {
	first, _, _ := strings.Cut(text, "\n")
	return strings.HasPrefix(first, "#!") && (strings.HasSuffix(first, "sh") || strings.Contains(first, "sh "))
}

// index returns the line index of the whole file, built once per scan.
func (s *scan) index(whole string) *lineIndex {
	if s.lines == nil {
		s.lines = newLineIndex(whole)
	}
	return s.lines
}

func (s *scan) wholeText() (string, error) {
	if s.whole == nil {
		w, err := s.frag.Whole()
		if err != nil {
			return "", fmt.Errorf("loading %s: %w", s.frag.Path, err)
		}
		s.whole = &w
	}
	return *s.whole, nil
}

// report records a finding of m at file lines start..end, unless a diff
// did not touch those lines or the rule already fired there.
func (s *scan) report(m *matcher, start, end, col int, line string) {
	added := false
	for l := start; l <= end && !added; l++ {
		added = s.frag.IsAdded(l)
	}
	key := fmt.Sprintf("%s\x00%d", m.rule.ID, start)
	if !added || s.seen[key] {
		return
	}
	s.seen[key] = true
	r := m.rule
	tags := append([]string{}, r.CWE...)
	s.out = append(s.out, finding.Finding{
		RuleID:      r.ID,
		Title:       r.Title,
		Detector:    "code",
		Category:    finding.CodeVulnerability,
		Class:       r.Class,
		Path:        s.frag.Path,
		StartLine:   start,
		EndLine:     end,
		StartColumn: col,
		Commit:      s.frag.Commit,
		Message:     r.Message,
		Redacted:    excerpt(line),
		Fingerprint: finding.Fingerprint(r.ID, s.frag.Path, normalise(line)),
		Confidence:  r.Confidence,
		Tags:        tags,
		Fix:         r.Fix,
	})
}

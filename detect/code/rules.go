package code

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	"gopkg.in/yaml.v3"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/finding"
)

//go:embed rules/*.yml
var ruleFiles embed.FS

// Rule is a rule's metadata, for report writers and documentation.
type Rule struct {
	ID         string
	Title      string
	CWE        []string
	Impact     string // high, standard or low
	Class      string // the finding class the impact maps to
	Confidence finding.Confidence
	Message    string
	Fix        string
	Languages  []string
}

// rule is a compiled rule.
type rule struct {
	Rule
	matchers []*matcher
	tests    []config.CodeRuleTest
}

// matcher is one compiled way of finding a rule in some languages.
type matcher struct {
	rule     *rule
	langs    []string
	keywords []string
	// query is a tree-sitter query for the grammars of langs. The detector
	// runs all its queries for a grammar as one combined query (one pass
	// over the tree instead of one per rule), compiled on first use.
	query string
	// needsTaint is set when every pattern of query requires request input
	// (#tainted?), so files without any can skip it before parsing.
	needsTaint bool
	// needsDynamic is set when every pattern requires built text
	// (#dynamic?): a keyword line whose statement shows no sign of it
	// (no operator, interpolation, formatting call or variable argument)
	// cannot match.
	needsDynamic bool
	// trigger must match a keyword line for it to count.
	trigger *regexp.Regexp
	// Line matching.
	pattern, not, context, notContext *regexp.Regexp
	window                            int
}

// combinedQuery is every query of a detector for one grammar.
type combinedQuery struct {
	once  sync.Once
	g     *sitter.Language
	parts []*matcher
	cq    *compiledQuery
	// owner maps a pattern index to the matcher it came from.
	owner []*matcher
	err   error
}

func (c *combinedQuery) get() (*compiledQuery, error) {
	c.once.Do(func() {
		var src strings.Builder
		var ends []uint
		for _, m := range c.parts {
			src.WriteString(m.query)
			src.WriteString("\n")
			ends = append(ends, uint(src.Len()))
		}
		c.cq, c.err = compileQuery(c.g, src.String())
		if c.err != nil {
			return
		}
		for i := uint(0); i < c.cq.q.PatternCount(); i++ {
			start := c.cq.q.StartByteForPattern(i)
			j := sort.Search(len(ends), func(j int) bool { return ends[j] > start })
			c.owner = append(c.owner, c.parts[j])
		}
	})
	return c.cq, c.err
}

type compiledQuery struct {
	q    *sitter.Query
	sink uint
	// hasSink is false when the query has no @sink capture: the whole
	// match (its first capture) is reported.
	hasSink bool
	// checks are the custom predicates of each pattern.
	checks [][]check
	// needs are the conditions on a window's text of each pattern.
	needs [][]need
}

// check is one custom predicate: op applied to a capture, with a regular
// expression for the predicates that take one.
type check struct {
	op      string
	capture uint
	re      *regexp.Regexp
}

// customPredicates maps each predicate the detector evaluates itself to
// whether it takes a regular expression after its capture.
var customPredicates = map[string]bool{
	"dynamic?": false, "nonconst?": false, "tainted?": false,
	"context?": true, "file-has?": true, "file-lacks?": true,
}

var cwePattern = regexp.MustCompile(`^CWE-\d+$`)

var impactClass = map[string]string{"high": "high-impact", "standard": "standard", "low": "low-impact"}

var confidences = map[string]finding.Confidence{"": finding.High, "high": finding.High, "medium": finding.Medium, "low": finding.Low}

var grammars = map[string][]*sitter.Language{
	"python":     {langPython.grammar},
	"javascript": {langJS.grammar},
	"typescript": {langTS.grammar, langTSX.grammar},
	"tsx":        {langTSX.grammar},
	"go":         {langGo.grammar},
	"java":       {langJava.grammar},
}

var (
	builtinOnce  sync.Once
	builtinRules []*rule
	builtinErr   error
)

// builtins loads and compiles the embedded rules once per process: query
// compilation is the expensive part of setting up a detector.
func builtins() ([]*rule, error) {
	builtinOnce.Do(func() {
		var defs []config.CodeRule
		defs, builtinErr = loadRuleFiles(ruleFiles)
		if builtinErr != nil {
			return
		}
		builtinRules, builtinErr = compileRules(defs)
	})
	return builtinRules, builtinErr
}

func loadRuleFiles(fsys fs.FS) ([]config.CodeRule, error) {
	names, err := fs.Glob(fsys, "rules/*.yml")
	if err != nil {
		return nil, err
	}
	var all []config.CodeRule
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var defs []config.CodeRule
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&defs); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, defs...)
	}
	return all, nil
}

func compileRules(defs []config.CodeRule) ([]*rule, error) {
	seen := map[string]bool{}
	out := make([]*rule, 0, len(defs))
	for i := range defs {
		r, err := compileRule(&defs[i])
		if err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("rule %s: duplicate id", r.ID)
		}
		seen[r.ID] = true
		out = append(out, r)
	}
	return out, nil
}

func compileRule(def *config.CodeRule) (*rule, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("rule %s: %s", def.ID, fmt.Sprintf(format, args...))
	}
	impact := strings.ToLower(def.Impact)
	if impact == "" {
		impact = "standard"
	}
	r := &rule{
		Rule: Rule{
			ID: def.ID, Title: def.Title, Impact: impact, Class: impactClass[impact],
			Confidence: confidences[strings.ToLower(def.Confidence)],
			Message:    def.Message, Fix: def.Fix,
		},
		tests: def.Tests,
	}
	if r.Title == "" {
		r.Title = def.ID
	}
	if r.Message == "" {
		r.Message = r.Title
	}
	for _, c := range strings.Split(def.CWE, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			if !cwePattern.MatchString(c) {
				return nil, fail("cwe %q is not of the form CWE-<number>", c)
			}
			r.CWE = append(r.CWE, c)
		}
	}
	matchers := def.Match
	if def.Pattern != "" {
		matchers = append([]config.CodeMatcher{{Languages: def.Languages, Pattern: def.Pattern}}, matchers...)
	}
	langs := map[string]bool{}
	for _, l := range def.Languages {
		langs[strings.ToLower(l)] = true
	}
	for i, md := range matchers {
		m, err := compileMatcher(r, md)
		if err != nil {
			return nil, fail("match[%d]: %v", i, err)
		}
		for _, l := range m.langs {
			langs[l] = true
		}
		r.matchers = append(r.matchers, m)
	}
	for l := range langs {
		if !languageNames[l] {
			return nil, fail("unknown language %q", l)
		}
		r.Languages = append(r.Languages, l)
	}
	sort.Strings(r.Languages)
	return r, nil
}

func compileMatcher(r *rule, md config.CodeMatcher) (*matcher, error) {
	m := &matcher{rule: r, keywords: md.Keywords, window: md.Window}
	for _, l := range md.Languages {
		l = strings.ToLower(l)
		if !languageNames[l] {
			return nil, fmt.Errorf("unknown language %q", l)
		}
		m.langs = append(m.langs, l)
	}
	if md.Query != "" {
		m.query = md.Query
		n := topLevelPatterns(md.Query)
		m.needsTaint = strings.Count(md.Query, "#tainted?") == n
		m.needsDynamic = strings.Count(md.Query, "#dynamic?") == n
		if md.Trigger != "" {
			t, err := regexp.Compile(md.Trigger)
			if err != nil {
				return nil, fmt.Errorf("trigger %q: %v", md.Trigger, err)
			}
			m.trigger = t
		}
		for _, l := range m.langs {
			if len(grammars[l]) == 0 {
				return nil, fmt.Errorf("language %s has no grammar for queries; use a pattern", l)
			}
		}
		return m, nil
	}
	var err error
	re := func(s string) *regexp.Regexp {
		if s == "" || err != nil {
			return nil
		}
		var x *regexp.Regexp
		if x, err = regexp.Compile(s); err != nil {
			err = fmt.Errorf("pattern %q: %v", s, err)
		}
		return x
	}
	m.pattern, m.not, m.context, m.notContext = re(md.Pattern), re(md.Not), re(md.Context), re(md.NotContext)
	if m.window <= 0 {
		m.window = 10
	}
	return m, err
}

// compileAll compiles every query of rs on its own, to report a rule's
// mistakes with its id when the detector is built rather than mid-scan.
func compileAll(rs []*rule) error {
	for _, r := range rs {
		for i, m := range r.matchers {
			if m.query == "" {
				continue
			}
			for _, l := range m.langs {
				for _, g := range grammars[l] {
					cq, err := compileQuery(g, m.query)
					if err != nil {
						return fmt.Errorf("rule %s: match[%d]: %s query: %v", r.ID, i, l, err)
					}
					cq.q.Close()
				}
			}
		}
	}
	return nil
}

// topLevelPatterns counts the patterns of a query: the groups that open at
// nesting depth zero, outside strings and comments.
func topLevelPatterns(src string) int {
	n, depth := 0, 0
	inString, escaped, comment := false, false, false
	for _, r := range src {
		switch {
		case comment:
			comment = r != '\n'
		case inString:
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
		case r == '"':
			inString = true
		case r == ';':
			comment = true
		case r == '(' || r == '[':
			if depth == 0 {
				n++
			}
			depth++
		case r == ')' || r == ']':
			depth--
		}
	}
	return n
}

func compileQuery(g *sitter.Language, src string) (*compiledQuery, error) {
	q, qerr := sitter.NewQuery(g, src)
	if qerr != nil {
		return nil, qerr
	}
	cq := &compiledQuery{q: q}
	cq.sink, cq.hasSink = q.CaptureIndexForName("sink")
	if len(q.CaptureNames()) == 0 {
		q.Close()
		return nil, fmt.Errorf("query has no capture to report")
	}
	for i := uint(0); i < q.PatternCount(); i++ {
		var checks []check
		for _, p := range q.GeneralPredicates(i) {
			c, err := compileCheck(p)
			if err != nil {
				q.Close()
				return nil, err
			}
			checks = append(checks, c)
		}
		cq.checks = append(cq.checks, checks)
		cq.needs = append(cq.needs, needsOf(q, i, checks))
	}
	return cq, nil
}

func compileCheck(p sitter.QueryPredicate) (check, error) {
	takesRegexp, ok := customPredicates[p.Operator]
	if !ok {
		return check{}, fmt.Errorf("unknown predicate #%s", p.Operator)
	}
	want := 1
	if takesRegexp {
		want = 2
	}
	if len(p.Args) != want || p.Args[0].CaptureId == nil {
		return check{}, fmt.Errorf("#%s takes a capture%s", p.Operator, map[bool]string{true: " and a regular expression"}[takesRegexp])
	}
	c := check{op: p.Operator, capture: *p.Args[0].CaptureId}
	if takesRegexp {
		if p.Args[1].String == nil {
			return check{}, fmt.Errorf("#%s needs a regular expression after the capture", p.Operator)
		}
		re, err := regexp.Compile(*p.Args[1].String)
		if err != nil {
			return check{}, fmt.Errorf("#%s: %v", p.Operator, err)
		}
		c.re = re
	}
	return c, nil
}

// Rules returns the metadata of the built-in rules, sorted by id.
func Rules() []Rule {
	rs, err := builtins()
	if err != nil {
		// The embedded rules are compiled by every test run; failing here
		// means a broken build, not bad input.
		panic(err)
	}
	return metadata(rs)
}

func metadata(rs []*rule) []Rule {
	out := make([]Rule, len(rs))
	for i, r := range rs {
		out[i] = r.Rule
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

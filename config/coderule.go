package config

import (
	"fmt"
	"strings"
)

// CodeRule is a risky-code rule, in the schema shared by the CV detector's
// built-in rules (detect/code/rules/*.yml) and the rules a team adds in
// .aiguard.yml, so that a team rule can do anything a built-in one can.
type CodeRule struct {
	ID     string `yaml:"id"`
	Title  string `yaml:"title"`
	CWE    string `yaml:"cwe"`    // e.g. "CWE-89"; several separated by commas
	Impact string `yaml:"impact"` // high, standard or low
	// Confidence is high (the default), medium or low.
	Confidence string `yaml:"confidence"`
	Message    string `yaml:"message"`
	// Fix says how to remediate, with a safe example.
	Fix string `yaml:"fix"`
	// Languages the rule applies to; for Pattern-only rules it is required,
	// otherwise it defaults to the union of the matchers' languages.
	Languages []string `yaml:"languages"`
	// Pattern is a shorthand for one line matcher over Languages.
	Pattern string `yaml:"pattern"`
	// Match lists the matchers; the rule fires when any of them matches.
	Match []CodeMatcher `yaml:"match"`
	// Tests are snippets every build checks the rule against.
	Tests []CodeRuleTest `yaml:"tests"`
}

// CodeMatcher is one way of recognising a rule in some languages: either a
// tree-sitter query (structural) or a line regular expression.
type CodeMatcher struct {
	Languages []string `yaml:"languages"`
	// Keywords pre-filter files cheaply: the matcher only runs on content
	// whose changed text holds one of them. Required for queries, which
	// need a parse.
	Keywords []string `yaml:"keywords"`
	// Query is a tree-sitter query. The capture @sink (or, without one, the
	// whole match) is reported. Besides the standard #eq?/#match?/#any-of?
	// predicates it may use #dynamic? @x (text built by concatenation,
	// formatting or interpolation of non-constant values, directly or via a
	// local variable), #nonconst? @x (anything but a constant) and
	// #tainted? @x (derived from request input).
	Query string `yaml:"query"`
	// Trigger, for a query, is a regular expression a line holding one of
	// the keywords must also match before the file is parsed: stronger
	// evidence where a keyword alone is common (debug, open(, -c).
	Trigger string `yaml:"trigger"`
	// Pattern is a regular expression matched against each line.
	Pattern string `yaml:"pattern"`
	// Not vetoes a line the pattern matched.
	Not string `yaml:"not"`
	// Context must match one of the Window lines above the match (the
	// line itself counts), nearer than any line matching NotContext (for
	// block-scoped settings, or a function named for a token). NotContext
	// alone vetoes a match with such a line in the window.
	Context    string `yaml:"context"`
	NotContext string `yaml:"not-context"`
	Window     int    `yaml:"window"`
}

// CodeRuleTest holds snippets in one language that the rule must find
// (Positive) and must not find (Negative).
type CodeRuleTest struct {
	Language string   `yaml:"language"`
	Positive []string `yaml:"positive"`
	Negative []string `yaml:"negative"`
}

// Validate checks what can be checked without compiling patterns; the CV
// detector compiles them and reports their errors with the rule id.
func (r *CodeRule) Validate() error {
	if r.ID == "" {
		return fmt.Errorf("a rule needs an id")
	}
	if r.Pattern == "" && len(r.Match) == 0 {
		return fmt.Errorf("rule %s needs a pattern or a match list", r.ID)
	}
	if r.Pattern != "" && len(r.Languages) == 0 {
		return fmt.Errorf("rule %s: a pattern needs languages", r.ID)
	}
	switch strings.ToLower(r.Impact) {
	case "", "high", "standard", "low":
	default:
		return fmt.Errorf("rule %s: impact %q must be high, standard or low", r.ID, r.Impact)
	}
	switch strings.ToLower(r.Confidence) {
	case "", "high", "medium", "low":
	default:
		return fmt.Errorf("rule %s: confidence %q must be high, medium or low", r.ID, r.Confidence)
	}
	for i, m := range r.Match {
		if (m.Query == "") == (m.Pattern == "") {
			return fmt.Errorf("rule %s: match[%d] needs exactly one of query and pattern", r.ID, i)
		}
		if len(m.Languages) == 0 {
			return fmt.Errorf("rule %s: match[%d] needs languages", r.ID, i)
		}
		if m.Trigger != "" && m.Query == "" {
			return fmt.Errorf("rule %s: match[%d]: a trigger needs a query", r.ID, i)
		}
		if m.Query != "" && len(m.Keywords) == 0 {
			return fmt.Errorf("rule %s: match[%d] is a query and needs keywords", r.ID, i)
		}
	}
	return nil
}

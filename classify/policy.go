// Package classify holds the playbook's policy as data: the categories and
// severities, the rules that turn a finding plus the context of the scan into
// a severity, and the playbook's timing and escalation tables.
package classify

import (
	"fmt"
	"path"
	"strings"

	"github.com/aiguard/aiguard/finding"
)

// Stage is where in the delivery flow the scanned content was caught.
type Stage string

// Stages, from least to most exposed.
const (
	// PreCommit: stopped on the developer's machine; a near miss.
	PreCommit Stage = "pre-commit"
	// Review: in a pull request or on a feature branch; shared, not deployed.
	Review Stage = "review"
	// Production: on the default branch or a branch the team names.
	Production Stage = "production"
	// Audit: a scheduled or whole-history scan of what is already shared.
	Audit Stage = "audit"
)

// ParseStage validates a stage name.
func ParseStage(s string) (Stage, error) {
	switch st := Stage(strings.ToLower(strings.TrimSpace(s))); st {
	case PreCommit, Review, Production, Audit:
		return st, nil
	}
	return "", fmt.Errorf("unknown stage %q (want pre-commit, review, production or audit)", s)
}

// Context describes the scan a finding came from.
type Context struct {
	Stage Stage
	// Branch is the branch the content is on or is heading to, if known.
	Branch string
	// PublicRepo is true when the repository is public.
	PublicRepo bool
}

// Rule is one row of the severity table: the first rule whose non-empty
// fields all match a finding gives its severity.
type Rule struct {
	Category finding.Category `yaml:"category" json:"category,omitempty"`
	// Class matches the finding's class; "" matches any. Several classes may
	// be given separated by "|".
	Class string `yaml:"class" json:"class,omitempty"`
	// Stage matches the scan's stage; "" matches any. "|" separates several.
	Stage string `yaml:"stage" json:"stage,omitempty"`
	// Rule matches the detector rule id, with path.Match wildcards.
	Rule     string           `yaml:"rule" json:"rule,omitempty"`
	Severity finding.Severity `yaml:"severity" json:"severity"`
	// Why is the playbook basis, shown in the README and reports.
	Why string `yaml:"why" json:"why,omitempty"`
}

func (r Rule) matches(f *finding.Finding, ctx Context) bool {
	if r.Category != "" && r.Category != f.Category {
		return false
	}
	if r.Class != "" && !oneOf(r.Class, f.Class) {
		return false
	}
	if r.Stage != "" && !oneOf(r.Stage, string(ctx.Stage)) {
		return false
	}
	if r.Rule != "" {
		if ok, _ := path.Match(r.Rule, f.RuleID); !ok {
			return false
		}
	}
	return true
}

func oneOf(alternatives, value string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.EqualFold(strings.TrimSpace(a), value) {
			return true
		}
	}
	return false
}

// Validate checks a rule read from configuration.
func (r Rule) Validate() error {
	if r.Severity == finding.Unclassified {
		return fmt.Errorf("severity rule needs a severity (P1-P4)")
	}
	if r.Category != "" {
		if _, err := finding.ParseCategory(string(r.Category)); err != nil {
			return err
		}
	}
	if r.Stage != "" {
		for _, s := range strings.Split(r.Stage, "|") {
			if _, err := ParseStage(s); err != nil {
				return err
			}
		}
	}
	if r.Rule != "" {
		if _, err := path.Match(r.Rule, ""); err != nil {
			return fmt.Errorf("bad rule pattern %q: %v", r.Rule, err)
		}
	}
	return nil
}

// Policy is an ordered severity table.
type Policy struct {
	Rules []Rule
}

// DefaultRules is the playbook's default severity table (see
// design/severity-policy.md and the README). Classes are the detectors'
// vocabulary: CL specific|generic; DE classified-secret|official-sensitive|
// bulk|special-category|single-record|official; CV high-impact|standard|
// low-impact; SC hidden-instruction|planted-instruction|suspicious-instruction|agent-power.
var DefaultRules = []Rule{
	{Stage: string(PreCommit), Severity: finding.P4, Why: "stopped before it left the developer's machine: near miss"},

	{Category: finding.CredentialLeak, Class: "specific", Severity: finding.P1, Why: "credential compromise; Playbook C: assume compromised"},
	{Category: finding.CredentialLeak, Severity: finding.P2, Why: "generic or low-confidence credential: significant risk"},

	{Category: finding.DataExposure, Class: "classified-secret", Severity: finding.P1, Why: "SECRET data exposed"},
	{Category: finding.DataExposure, Class: "official-sensitive|bulk|special-category", Severity: finding.P2, Why: "OFFICIAL-SENSITIVE data exposed; bulk PII exposure"},
	{Category: finding.DataExposure, Severity: finding.P3, Why: "OFFICIAL data inadvertently shared; single PII record exposed"},

	{Category: finding.CodeVulnerability, Class: "low-impact", Severity: finding.P4, Why: "minor pattern"},
	{Category: finding.CodeVulnerability, Class: "high-impact", Stage: string(Production) + "|" + string(Audit), Severity: finding.P2, Why: "security vulnerability in production"},
	{Category: finding.CodeVulnerability, Severity: finding.P3, Why: "vulnerability detected pre-deployment"},

	{Category: finding.ServiceCompromise, Class: "hidden-instruction|planted-instruction", Severity: finding.P2, Why: "suspected compromise of the team's AI tooling (Playbook D)"},
	{Category: finding.ServiceCompromise, Severity: finding.P3, Why: "suspicious instruction or new agent power"},

	{Severity: finding.P3, Why: "notable incident requiring prompt response"},
}

// Default returns the playbook's default policy.
func Default() Policy { return Policy{Rules: append([]Rule(nil), DefaultRules...)} }

// WithOverrides puts a team's rules ahead of the defaults, so they win.
func (p Policy) WithOverrides(rules []Rule) Policy {
	return Policy{Rules: append(append([]Rule(nil), rules...), p.Rules...)}
}

// Severity returns the severity of f in ctx. CV findings never become P1
// from code alone: the playbook keeps P1 for active exploitation.
func (p Policy) Severity(f *finding.Finding, ctx Context) finding.Severity {
	for _, r := range p.Rules {
		if r.matches(f, ctx) {
			s := r.Severity
			if f.Category == finding.CodeVulnerability && s == finding.P1 {
				s = finding.P2
			}
			return s
		}
	}
	return finding.P3
}

// Apply sets the severity of every finding.
func (p Policy) Apply(fs []finding.Finding, ctx Context) {
	for i := range fs {
		fs[i].Severity = p.Severity(&fs[i], ctx)
	}
}

// StageFor picks the stage for a scan of branch given the team's production
// branches (path.Match patterns); fallback is used when the branch is unknown.
func StageFor(branch string, productionBranches []string, fallback Stage) Stage {
	if branch == "" {
		return fallback
	}
	b := strings.TrimPrefix(branch, "refs/heads/")
	for _, pat := range productionBranches {
		if ok, _ := path.Match(pat, b); ok {
			return Production
		}
	}
	return Review
}

// Package finding holds the plain data types every detector produces and every
// output consumes. It has no behaviour beyond formatting, redaction and
// fingerprinting, so that detectors, the policy and the writers stay decoupled.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Category is a playbook incident category code.
type Category string

// The playbook's incident categories.
const (
	DataExposure      Category = "DE"
	CodeVulnerability Category = "CV"
	CredentialLeak    Category = "CL"
	ServiceCompromise Category = "SC"
	PolicyViolation   Category = "PV"
	IPLicence         Category = "IP"
	Availability      Category = "AV"
	Other             Category = "OT"
)

// Categories lists every playbook category in the playbook's order.
var Categories = []Category{DataExposure, CodeVulnerability, CredentialLeak, ServiceCompromise, PolicyViolation, IPLicence, Availability, Other}

var categoryNames = map[Category]string{
	DataExposure:      "Data exposure",
	CodeVulnerability: "Code vulnerability",
	CredentialLeak:    "Credential leak",
	ServiceCompromise: "Service compromise",
	PolicyViolation:   "Policy violation",
	IPLicence:         "IP/Licence issue",
	Availability:      "Availability",
	Other:             "Other",
}

// Name is the playbook's name for the category.
func (c Category) Name() string {
	if n, ok := categoryNames[c]; ok {
		return n
	}
	return string(c)
}

// ParseCategory accepts a category code in any case.
func ParseCategory(s string) (Category, error) {
	c := Category(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := categoryNames[c]; ok {
		return c, nil
	}
	return "", fmt.Errorf("unknown category %q (want one of CL, DE, CV, SC, PV, IP, AV, OT)", s)
}

// Severity is a playbook severity, P1 (critical) to P4 (low). The zero value
// means "not yet classified"; a lower number is more severe.
type Severity int

// The playbook's severities.
const (
	Unclassified Severity = 0
	P1           Severity = 1
	P2           Severity = 2
	P3           Severity = 3
	P4           Severity = 4
)

func (s Severity) String() string {
	if s >= P1 && s <= P4 {
		return fmt.Sprintf("P%d", int(s))
	}
	return "unclassified"
}

// AtLeast reports whether s is as severe as, or more severe than, t.
func (s Severity) AtLeast(t Severity) bool { return s != Unclassified && s <= t }

// MarshalText lets severities appear as "P1".."P4" in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses "P1".."P4".
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity accepts P1..P4 in any case.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "P1":
		return P1, nil
	case "P2":
		return P2, nil
	case "P3":
		return P3, nil
	case "P4":
		return P4, nil
	}
	return Unclassified, fmt.Errorf("unknown severity %q (want P1, P2, P3 or P4)", s)
}

// Commit describes the commit that introduced a finding.
type Commit struct {
	SHA         string    `json:"sha"`
	Parents     []string  `json:"parents,omitempty"`
	Author      string    `json:"author"`
	AuthorEmail string    `json:"author_email"`
	Date        time.Time `json:"date"`
	Committer   string    `json:"committer,omitempty"`
	// CommitterEmail identifies bot committers such as AI coding agents.
	CommitterEmail string `json:"committer_email,omitempty"`
	Subject        string `json:"subject"`
	// Message is the full message; kept for AI-tool attribution, never
	// written to outputs because a message may quote what it committed.
	Message  string    `json:"-"`
	Trailers []Trailer `json:"trailers,omitempty"`
}

// Trailer is one "Key: value" line of a commit message's trailer block.
type Trailer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Confidence says how sure a detector is that a finding is real.
type Confidence string

// Confidence levels.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Finding is one thing a detector found. It never holds the found value in
// an exported, serialised field: Redacted is the only form outputs may show.
type Finding struct {
	RuleID   string   `json:"rule_id"`
	Title    string   `json:"title"`
	Detector string   `json:"detector"`
	Category Category `json:"category"`
	// Class is the detector's severity-relevant kind of finding (for example
	// "specific" or "generic" for credentials, "bulk" for personal data). The
	// policy in package classify maps category, class and context to a severity.
	Class    string   `json:"class"`
	Severity Severity `json:"severity"`

	Path        string  `json:"path"`
	StartLine   int     `json:"start_line"`
	EndLine     int     `json:"end_line"`
	StartColumn int     `json:"start_column,omitempty"`
	EndColumn   int     `json:"end_column,omitempty"`
	Commit      *Commit `json:"commit,omitempty"`

	// Message says what was found in words safe to publish.
	Message     string     `json:"message"`
	Redacted    string     `json:"redacted"`
	Fingerprint string     `json:"fingerprint"`
	Confidence  Confidence `json:"confidence"`
	Tags        []string   `json:"tags,omitempty"`
	// Fix is a remediation hint, for detectors that have one.
	Fix string `json:"fix,omitempty"`

	// DataKinds and Subjects describe personal data for the incident report.
	DataKinds []string `json:"data_kinds,omitempty"`
	Subjects  int      `json:"subjects,omitempty"`
	// AITool names the AI assistant declared by the commit, or "not declared".
	AITool string `json:"ai_tool,omitempty"`

	// Secret is the matched value, kept in memory only so the scanner can
	// tell whether it was already present before a range. It must never be
	// serialised or printed; tests check every output for it.
	Secret string `json:"-"`
}

// Fingerprint returns a stable identifier for a finding of rule at path whose
// identity is key. Detectors choose key: the matched value where it has enough
// entropy that its hash cannot be reversed by guessing, otherwise a position.
// The result never contains key.
func Fingerprint(ruleID, path, key string) string {
	h := sha256.New()
	h.Write([]byte("aiguard/1\x00"))
	h.Write([]byte(ruleID))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Redact returns a form of value safe to show: its length and at most a
// quarter of its characters (never more than four) from the start, which for
// provider tokens is the non-secret type prefix.
func Redact(value string) string {
	r := []rune(value)
	show := len(r) / 4
	if show > 4 {
		show = 4
	}
	if len(r) < 8 {
		show = 0
	}
	out := fmt.Sprintf("%s****(%d chars)", string(r[:show]), len(r))
	if len(r) >= 8 && strings.Contains(out, value) {
		// Only a value that itself reads like this form can hide in it;
		// a second form sharing no eight characters with the first cannot.
		return fmt.Sprintf("[redacted, %d chars]", len(r))
	}
	return out
}

// Location formats path:line for messages.
func (f *Finding) Location() string {
	if f.StartLine > 0 {
		return fmt.Sprintf("%s:%d", f.Path, f.StartLine)
	}
	return f.Path
}

// ShortSHA returns the abbreviated commit id, or "" for non-commit findings.
func (f *Finding) ShortSHA() string {
	if f.Commit == nil {
		return ""
	}
	if len(f.Commit.SHA) > 12 {
		return f.Commit.SHA[:12]
	}
	return f.Commit.SHA
}

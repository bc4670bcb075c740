// Package incident turns the classified findings of one scanned event into
// playbook incidents (one per category, with the playbook's deadlines,
// checklists and escalation) and tracks each as a GitHub issue that is
// created once and then kept up to date, never closed.
package incident

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/finding"
)

// Event is the scanned event the incidents belong to. Key identifies it
// across reruns and pushes ("pr:42", "push:refs/heads/main"): incidents are
// deduplicated on Key and category, so a new push to a pull request updates
// the pull request's incidents.
type Event struct {
	// Kind is "pull_request", "push", "merge_group", "schedule",
	// "workflow_dispatch", "staged" or "scan".
	Kind       string
	Key        string
	Repository string // "owner/name"
	PRNumber   int
	Ref        string
	BaseSHA    string
	HeadSHA    string
	// ServerURL is the web root, e.g. https://github.com, for links.
	ServerURL string
	RunURL    string
	// Actor triggered the run; Author wrote the pull request or commit.
	Actor      string
	Author     string
	DetectedAt time.Time
}

// NotDeclared stands for an AI tool no commit declared.
const NotDeclared = "not declared"

// Reporter is who reports every incident, as the playbook asks.
const Reporter = "aiguard automated scanning"

// DueAction is a containment action with its deadline for one incident.
type DueAction struct {
	classify.Action
	Due time.Time
}

// Incident is one playbook incident: every finding of one category in one
// event. It never holds a found value: findings carry only redacted forms.
type Incident struct {
	// ID is "AIENG-YYYY-NNNN"; empty until the tracker assigns it.
	ID       string
	Category finding.Category
	Severity finding.Severity
	Findings []finding.Finding
	Event    Event

	DetectedAt time.Time
	// OccurredAt is the earliest commit date of the findings (zero when
	// nothing was committed yet), for time-to-detect.
	OccurredAt time.Time

	AITools         []string
	Paths           []string
	DataKinds       []string
	Subjects        int
	CredentialTypes []string
	// Authors are the commit authors and the pull request author, by name.
	Authors []string

	ResponseDue time.Time
	Actions     []DueAction
	// NextUpdate is when the next status update is due: the response
	// deadline, the first moment someone must have acted.
	NextUpdate time.Time
	// ReportDue is zero for P4, whose report goes in the monthly summary.
	ReportDue time.Time

	Config config.Incidents

	// firstDetected is set when a later scan re-renders the incident: the
	// ID's year and the timeline keep the first detection.
	firstDetected time.Time
}

// Build groups findings into one incident per category for ev. Findings
// without a category go to OT, unclassified ones count as P4.
func Build(findings []finding.Finding, ev Event, cfg config.Incidents) []Incident {
	if cfg.Prefix == "" {
		cfg.Prefix = "AIENG"
	}
	if ev.DetectedAt.IsZero() {
		ev.DetectedAt = time.Now()
	}
	ev.DetectedAt = ev.DetectedAt.UTC()
	groups := map[finding.Category][]finding.Finding{}
	for _, f := range findings {
		c := f.Category
		if c == "" {
			c = finding.Other
		}
		f.Category = c
		f.Secret = "" // an incident is published; it must not carry the value even in memory
		if f.Commit != nil {
			cm := *f.Commit
			cm.Message = ""
			f.Commit = &cm
		}
		groups[c] = append(groups[c], f)
	}
	var out []Incident
	for _, c := range finding.Categories {
		if fs, ok := groups[c]; ok {
			out = append(out, newIncident(c, fs, ev, cfg))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity < out[j].Severity })
	return out
}

func effective(s finding.Severity) finding.Severity {
	if s < finding.P1 || s > finding.P4 {
		return finding.P4
	}
	return s
}

func newIncident(c finding.Category, fs []finding.Finding, ev Event, cfg config.Incidents) Incident {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if effective(a.Severity) != effective(b.Severity) {
			return effective(a.Severity) < effective(b.Severity)
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.StartLine < b.StartLine
	})
	inc := Incident{Category: c, Findings: fs, Event: ev, DetectedAt: ev.DetectedAt, Severity: finding.P4, Config: cfg}
	tools, paths, kinds, creds, authors := set{}, set{}, set{}, set{}, set{}
	for _, f := range fs {
		if s := effective(f.Severity); s < inc.Severity {
			inc.Severity = s
		}
		tool := f.AITool
		if tool == "" {
			tool = NotDeclared
		}
		tools.add(tool)
		paths.add(f.Path)
		for _, k := range f.DataKinds {
			kinds.add(k)
		}
		inc.Subjects += f.Subjects
		if c == finding.CredentialLeak {
			creds.add(f.Title)
		}
		if f.Commit != nil {
			authors.add(f.Commit.Author)
			if d := f.Commit.Date; !d.IsZero() && (inc.OccurredAt.IsZero() || d.Before(inc.OccurredAt)) {
				inc.OccurredAt = d.UTC()
			}
		}
	}
	authors.add(ev.Author)
	inc.AITools, inc.Paths, inc.DataKinds, inc.CredentialTypes, inc.Authors = tools.list(), paths.list(), kinds.list(), creds.list(), authors.list()
	inc.setDeadlines()
	return inc
}

// setDeadlines derives every due time from DetectedAt and Severity.
func (inc *Incident) setDeadlines() {
	info := classify.InfoFor(inc.Severity)
	inc.ResponseDue = inc.DetectedAt.Add(info.Response)
	inc.NextUpdate = inc.ResponseDue
	inc.ReportDue = time.Time{}
	if info.ReportWorkingDays > 0 {
		inc.ReportDue = classify.AddWorkingDays(inc.DetectedAt, info.ReportWorkingDays)
	}
	inc.Actions = nil
	for _, a := range classify.Containment[inc.Category] {
		if a.AppliesTo(inc.Severity) {
			inc.Actions = append(inc.Actions, DueAction{a, inc.DetectedAt.Add(a.Within)})
		}
	}
}

// PersonalData reports whether the incident involves personal data, which
// brings the DPO into the escalation.
func (inc *Incident) PersonalData() bool {
	return inc.Category == finding.DataExposure || len(inc.DataKinds) > 0 || inc.Subjects > 0
}

// DedupeKey identifies the incident of this category for this event in this
// repository; it is what later scans look for.
func (inc *Incident) DedupeKey() string {
	return hash("incident", inc.Event.Repository, inc.Event.Key, string(inc.Category))
}

func eventKey(ev Event) string { return hash("event", ev.Repository, ev.Key) }

func hash(parts ...string) string {
	h := sha256.New()
	h.Write([]byte("aiguard-incident/1"))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// FormatID formats an incident ID; n is the tracking issue's number, which
// GitHub assigns atomically, so IDs are unique in a repository.
func FormatID(prefix string, year, n int) string {
	return fmt.Sprintf("%s-%04d-%04d", prefix, year, n)
}

// shortFingerprint is the form kept in the tracking issue's state, enough to
// tell findings apart and short enough for thousands to fit in a comment.
func shortFingerprint(f *finding.Finding) string {
	fp := f.Fingerprint
	if fp == "" {
		fp = finding.Fingerprint(f.RuleID, f.Path, strconv.Itoa(f.StartLine))
	}
	if len(fp) > 16 {
		fp = fp[:16]
	}
	if !tokenRE.MatchString(fp) {
		fp = hash("fingerprint", fp)[:16]
	}
	return fp
}

type set map[string]struct{}

func (s set) add(v string) {
	if v != "" {
		s[v] = struct{}{}
	}
}

func (s set) list() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

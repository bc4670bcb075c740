package classify

import (
	"time"

	"github.com/aiguard/aiguard/finding"
)

// The tables below transcribe the AI Engineering Lab incident response
// playbook. They are the single source for SARIF help text, incident
// deadlines, checklists and escalation; change them here only when the
// playbook changes.

// SeverityInfo is a row of the playbook's severity table.
type SeverityInfo struct {
	Severity    finding.Severity
	Name        string
	Description string
	Response    time.Duration
	// SecuritySeverity is the CVSS-like score GitHub code scanning uses to
	// rank alerts ("security-severity").
	SecuritySeverity string
	// ReportWorkingDays is when the post-incident report is due; 0 means it
	// is included in the monthly summary instead.
	ReportWorkingDays int
	// RecoveryApproval names who must approve recovery.
	RecoveryApproval string
	// Escalation lists the roles to notify, by deadline.
	Escalation []Escalation
}

// Escalation is one cell of the escalation matrix.
type Escalation struct {
	When  string // "Immediate", "Within 4 hours", "Within 24 hours"
	After time.Duration
	Roles []string // may carry a condition, e.g. "DPO (if personal data)"
}

// Severities is the playbook's severity table, P1 first.
var Severities = []SeverityInfo{
	{finding.P1, "Critical", "Immediate threat to data, systems, or operations", time.Hour, "9.5", 5, "SIRO and Security Lead", []Escalation{
		{"Immediate", 0, []string{"SIRO", "Security Lead", "SRO", "IT Director"}},
		{"Within 4 hours", 4 * time.Hour, []string{"CISO", "DPO (if personal data)"}},
		{"Within 24 hours", 24 * time.Hour, []string{"Permanent Secretary (if required)"}},
	}},
	{finding.P2, "High", "Significant risk requiring urgent attention", 4 * time.Hour, "8.0", 10, "Security Lead", []Escalation{
		{"Immediate", 0, []string{"Security Lead", "SRO"}},
		{"Within 4 hours", 4 * time.Hour, []string{"SIRO", "DPO (if personal data)"}},
		{"Within 24 hours", 24 * time.Hour, []string{"Programme Board"}},
	}},
	{finding.P3, "Medium", "Notable incident requiring prompt response", 24 * time.Hour, "5.5", 15, "Incident Owner", []Escalation{
		{"Immediate", 0, []string{"Security Lead"}},
		{"Within 4 hours", 4 * time.Hour, []string{"SRO"}},
		{"Within 24 hours", 24 * time.Hour, []string{"Included in weekly report"}},
	}},
	{finding.P4, "Low", "Minor incident for awareness and tracking", 72 * time.Hour, "2.0", 0, "Incident Owner", []Escalation{
		{"Within 4 hours", 4 * time.Hour, []string{"Security Lead"}},
		{"Within 24 hours", 24 * time.Hour, []string{"Included in monthly report"}},
	}},
}

// InfoFor returns the playbook row for a severity (P4's for unclassified).
func InfoFor(s finding.Severity) SeverityInfo {
	for _, i := range Severities {
		if i.Severity == s {
			return i
		}
	}
	return Severities[len(Severities)-1]
}

// Action is one containment action of the playbook. Immediate actions have
// Within zero; OnlyFor limits an action to some severities.
type Action struct {
	Action         string
	Responsibility string
	Timeframe      string
	Within         time.Duration
	OnlyFor        []finding.Severity
}

// AppliesTo reports whether the action is due for an incident of severity s.
func (a Action) AppliesTo(s finding.Severity) bool {
	if len(a.OnlyFor) == 0 {
		return true
	}
	for _, o := range a.OnlyFor {
		if o == s {
			return true
		}
	}
	return false
}

// Containment is the playbook's immediate containment table per category.
var Containment = map[finding.Category][]Action{
	finding.DataExposure: {
		{"Terminate active AI session", "User/Security", "Immediate", 0, nil},
		{"Revoke user's AI tool access (if serious)", "IT Admin", "Within 1 hour", time.Hour, nil},
		{"Contact vendor to request data deletion", "Security Lead", "Within 4 hours", 4 * time.Hour, nil},
		{"Document what was shared (from memory/logs)", "User", "Within 2 hours", 2 * time.Hour, nil},
		{"Assess if data persists", "Security Lead", "Within 24 hours", 24 * time.Hour, nil},
	},
	finding.CodeVulnerability: {
		{"Identify all locations of vulnerable code", "Development team", "Within 2 hours", 2 * time.Hour, nil},
		{"Remove or disable affected code in production", "DevOps", "Immediate (P1/P2)", 0, []finding.Severity{finding.P1, finding.P2}},
		{"Block deployment pipeline if pre-production", "DevOps", "Immediate", 0, nil},
		{"Create hotfix branch", "Development team", "Within 4 hours", 4 * time.Hour, nil},
		{"Scan for exploitation evidence", "Security team", "Within 4 hours", 4 * time.Hour, nil},
	},
	finding.CredentialLeak: {
		{"Rotate affected credentials immediately", "IT Admin/DevOps", "Within 30 minutes", 30 * time.Minute, nil},
		{"Revoke old credentials", "IT Admin", "Within 1 hour", time.Hour, nil},
		{"Audit usage of compromised credentials", "Security team", "Within 4 hours", 4 * time.Hour, nil},
		{"Update all systems using the credentials", "DevOps", "Within 24 hours", 24 * time.Hour, nil},
		{"Scan repositories for credential exposure", "Security team", "Within 4 hours", 4 * time.Hour, nil},
	},
	finding.ServiceCompromise: {
		{"Isolate affected systems", "IT/Security", "Immediate", 0, nil},
		{"Disable AI tool integration", "IT Admin", "Within 30 minutes", 30 * time.Minute, nil},
		{"Preserve logs and forensic evidence", "Security team", "Immediate", 0, nil},
		{"Engage vendor security team", "Security Lead", "Within 1 hour", time.Hour, nil},
		{"Notify NCSC if significant", "SIRO", "Within 24 hours", 24 * time.Hour, nil},
	},
}

// ContainmentVerification is the playbook's checklist before eradication.
var ContainmentVerification = []string{
	"Immediate threat has been neutralised",
	"Affected systems/data have been isolated",
	"Evidence has been preserved",
	"Spread has been prevented",
	"Stakeholders have been notified",
}

// SpecificPlaybook is one of the playbook's scenario playbooks (A-D).
type SpecificPlaybook struct {
	Letter    string
	Title     string
	Immediate []string
	Assess    []string
	Contain   []string
}

// Playbooks maps categories to their specific playbook.
var Playbooks = map[finding.Category]SpecificPlaybook{
	finding.DataExposure: {"A", "Personal data exposed to AI tool",
		[]string{"End the AI session immediately", "Do not attempt to \"undo\" by asking AI to forget", "Document exactly what was shared", "Report to Security and DPO within 1 hour"},
		[]string{"How many data subjects affected?", "What categories of personal data?", "Is the AI tool provider a processor under GDPR?", "What does the vendor's DPA say about data retention?"},
		[]string{"Request vendor delete session data (reference DPA terms)", "Assess notification requirements (ICO within 72 hours if high risk to individuals; otherwise document in the breach register or record the decision not to notify)"}},
	finding.CodeVulnerability: {"B", "Security vulnerability deployed to production",
		[]string{"Assess if vulnerability is being exploited (check logs)", "If exploited: invoke major security incident process", "If not exploited: implement emergency change to disable/fix"},
		[]string{"What data could be accessed via the vulnerability?", "How long has the vulnerability been in production?", "Is there evidence of exploitation?", "What compensating controls exist (WAF, input validation)?"},
		[]string{"Deploy hotfix or disable affected functionality", "Implement WAF rule if available", "Increase monitoring on affected endpoints"}},
	finding.CredentialLeak: {"C", "API key committed to repository",
		[]string{"Rotate the API key immediately - assume compromised", "Check if repository is public or has been cloned", "Remove from repository history (not just current version)"},
		[]string{"What does the API key provide access to?", "Has the key been used since exposure?", "Who has had access to the repository?"},
		[]string{"Remove the file from git history, for example `git filter-repo --invert-paths --path <file>`, then force-push and ask collaborators to re-clone"}},
	finding.ServiceCompromise: {"D", "Suspected prompt injection attack",
		[]string{"Stop using the affected AI session", "Do not execute any suggested commands or code", "Screenshot/document the suspicious output", "Report to Security"},
		[]string{"What triggered the unusual behaviour?", "Was user input involved that could contain injection?", "Is this a vulnerability in our application or the AI tool?"},
		[]string{"Review application for prompt injection vulnerabilities", "Implement input sanitisation", "Consider rate limiting AI interactions", "Report to the AI tool vendor if it appears to be a tool vulnerability"}},
}

// AddWorkingDays returns t plus n working days (Monday to Friday).
func AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

package incident

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/finding"
)

// Limits that keep a body under GitHub's 65,536 characters.
const (
	maxTableRows    = 100
	maxBodyBytes    = 60000 // GitHub refuses bodies over 65,536 characters
	trailerBytes    = 2000  // room left after the findings table for links and the footer
	maxStateFPs     = 1000
	maxListedPaths  = 20
	maxCell         = 160
	maxTitleRunes   = 250
	timeLayout      = "2006-01-02 15:04 UTC"
	pendingIDSuffix = "pending"
)

// Title is the playbook's initial notification subject.
func (inc *Incident) Title() string {
	return plainText(fmt.Sprintf("[%s] AI Engineering Lab Security Incident - %s - %s", inc.Severity, inc.displayID(), inc.Brief()), maxTitleRunes)
}

func (inc *Incident) displayID() string {
	if inc.ID != "" {
		return inc.ID
	}
	return fmt.Sprintf("%s-%04d-%s", inc.Config.Prefix, inc.idYear(), pendingIDSuffix)
}

// Brief is the brief description of the playbook templates, as plain text.
func (inc *Incident) Brief() string {
	n := len(inc.Findings)
	s := "s"
	if n == 1 {
		s = ""
	}
	return fmt.Sprintf("%s: %d finding%s in %s", inc.Category.Name(), n, s, describeEvent(inc.Event))
}

func describeEvent(ev Event) string {
	branch := strings.TrimPrefix(strings.TrimPrefix(ev.Ref, "refs/heads/"), "refs/tags/")
	on := ""
	if branch != "" {
		on = " of " + branch
	}
	switch ev.Kind {
	case "pull_request":
		return fmt.Sprintf("pull request #%d", ev.PRNumber)
	case "push":
		return "push to " + orDefault(branch, "a branch")
	case "merge_group":
		return "merge queue" + on
	case "schedule":
		return "scheduled scan" + on
	case "workflow_dispatch":
		return "manual scan" + on
	case "staged":
		return "staged changes"
	}
	return "repository scan" + on
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// span writes a duration the way the playbook does ("4 hours").
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return fmt.Sprintf("%dh %02dm", d/time.Hour, (d%time.Hour)/time.Minute)
}

func when(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(timeLayout)
}

// Body is the tracking issue's body: the playbook's initial notification,
// then what a responder needs to act without opening the CI log.
func (inc *Incident) Body() string {
	info := classify.InfoFor(inc.Severity)
	var b strings.Builder
	b.WriteString(inc.marker() + "\n")
	b.WriteString(inc.stateMarker(0) + "\n\n")
	b.WriteString("An incident involving AI Engineering Lab usage has been reported.\n\n")
	fmt.Fprintf(&b, "**Incident ID:** %s\n", inc.displayID())
	fmt.Fprintf(&b, "**Severity:** %s - %s (%s)\n", inc.Severity, info.Name, info.Description)
	fmt.Fprintf(&b, "**Category:** %s (%s)\n", inc.Category.Name(), inc.Category)
	b.WriteString("**Status:** Investigating\n\n")
	fmt.Fprintf(&b, "**Summary:** %s\n\n", inc.summary())
	fmt.Fprintf(&b, "**Affected:** %s\n\n", inc.affected())
	fmt.Fprintf(&b, "**Current actions:** the pipeline for this change is blocked; the containment checklist below is due from %s; responders tick each item as it is done.\n\n", when(inc.DetectedAt))
	fmt.Fprintf(&b, "**Incident Owner:** %s\n", inc.owner())
	fmt.Fprintf(&b, "**Next update:** %s\n\n", when(inc.NextUpdate))
	fmt.Fprintf(&b, "Please direct questions to %s.\n\n", inc.contact())

	inc.writeTimeline(&b, info)
	inc.writePlaybook(&b)
	inc.writeContainment(&b)
	inc.writeEscalation(&b, info)
	writeFindings(&b, "Findings", inc.Findings, maxBodyBytes-trailerBytes)
	inc.writeLinks(&b)
	fmt.Fprintf(&b, "\n---\naiguard never closes an incident: recovery needs the approval of %s (playbook recovery approval for %s).\n", info.RecoveryApproval, inc.Severity)
	return b.String()
}

func (inc *Incident) summary() string {
	s := fmt.Sprintf("%s reported %d finding(s) of category %s in %s of %s.", Reporter, len(inc.Findings), inc.Category.Name(), describeEventMD(inc.Event), EscapeMarkdown(inc.Event.Repository))
	s += " AI tools involved: " + escapeList(inc.AITools, 5) + "."
	if len(inc.CredentialTypes) > 0 {
		s += " Credential types: " + escapeList(inc.CredentialTypes, 10) + "; the values are not repeated here."
	}
	return s
}

func describeEventMD(ev Event) string { return EscapeMarkdown(describeEvent(ev)) }

func (inc *Incident) affected() string {
	parts := []string{fmt.Sprintf("%d file(s): %s", len(inc.Paths), escapeList(inc.Paths, maxListedPaths))}
	if len(inc.DataKinds) > 0 {
		parts = append(parts, "data kinds: "+escapeList(inc.DataKinds, 20))
	}
	if inc.Subjects > 0 {
		parts = append(parts, fmt.Sprintf("about %d data subject(s)", inc.Subjects))
	}
	if len(inc.CredentialTypes) > 0 {
		parts = append(parts, "credentials: "+escapeList(inc.CredentialTypes, 10))
	}
	return strings.Join(parts, "; ")
}

func escapeList(items []string, max int) string {
	if len(items) == 0 {
		return "none"
	}
	var out []string
	for i, s := range items {
		if i == max {
			out = append(out, fmt.Sprintf("and %d more", len(items)-max))
			break
		}
		out = append(out, EscapeMarkdown(truncate(s, maxCell)))
	}
	return strings.Join(out, ", ")
}

func (inc *Incident) owner() string {
	if inc.Config.Owner != "" {
		return EscapeMarkdown(inc.Config.Owner)
	}
	return "to be assigned by the Security Lead"
}

func (inc *Incident) contact() string {
	if inc.Config.Contact != "" {
		return EscapeMarkdown(inc.Config.Contact)
	}
	return "the Security Lead"
}

func (inc *Incident) writeTimeline(b *strings.Builder, info classify.SeverityInfo) {
	b.WriteString("### Timeline\n\n| Event | Time |\n|---|---|\n")
	fmt.Fprintf(b, "| Occurred (earliest commit) | %s |\n", when(inc.OccurredAt))
	if !inc.firstDetected.IsZero() && !inc.firstDetected.Equal(inc.DetectedAt) {
		fmt.Fprintf(b, "| First detected | %s |\n", when(inc.firstDetected))
		fmt.Fprintf(b, "| Severity raised to %s | %s |\n", inc.Severity, when(inc.DetectedAt))
	} else {
		fmt.Fprintf(b, "| Detected | %s |\n", when(inc.DetectedAt))
	}
	if !inc.OccurredAt.IsZero() && inc.DetectedAt.After(inc.OccurredAt) {
		fmt.Fprintf(b, "| Time to detect | %s |\n", span(inc.DetectedAt.Sub(inc.OccurredAt)))
	}
	fmt.Fprintf(b, "| Response due (%s: within %s) | %s |\n", inc.Severity, span(info.Response), when(inc.ResponseDue))
	fmt.Fprintf(b, "| Next update | %s |\n", when(inc.NextUpdate))
	if inc.ReportDue.IsZero() {
		b.WriteString("| Post-incident report | Included in monthly summary |\n")
	} else {
		fmt.Fprintf(b, "| Post-incident report due (%d working days) | %s |\n", info.ReportWorkingDays, when(inc.ReportDue))
	}
	fmt.Fprintf(b, "\n**Reporter:** %s", Reporter)
	if len(inc.Authors) > 0 {
		fmt.Fprintf(b, "; commit or pull request author(s): %s", escapeList(inc.Authors, 10))
	}
	if inc.Event.Actor != "" {
		fmt.Fprintf(b, "; scan triggered by %s", EscapeMarkdown(truncate(inc.Event.Actor, 60)))
	}
	b.WriteString("\n\n")
}

func (inc *Incident) writePlaybook(b *strings.Builder) {
	p, ok := classify.Playbooks[inc.Category]
	if !ok {
		return
	}
	fmt.Fprintf(b, "### Immediate actions (Playbook %s: %s)\n\n", p.Letter, p.Title)
	for i, a := range p.Immediate {
		fmt.Fprintf(b, "%d. %s\n", i+1, a)
	}
	b.WriteString("\n**Assessment:**\n\n")
	for _, a := range p.Assess {
		fmt.Fprintf(b, "- %s\n", a)
	}
	b.WriteString("\n**Containment:**\n\n")
	for _, a := range p.Contain {
		fmt.Fprintf(b, "- %s\n", a)
	}
	b.WriteString("\n")
}

func (inc *Incident) writeContainment(b *strings.Builder) {
	if len(inc.Actions) > 0 {
		b.WriteString("### Containment checklist\n\n")
		for _, a := range inc.Actions {
			fmt.Fprintf(b, "- [ ] %s — %s — due %s (%s)\n", a.Action.Action, a.Responsibility, when(a.Due), strings.ToLower(a.Timeframe))
		}
		b.WriteString("\n")
	}
	b.WriteString("### Containment verification\n\nBefore proceeding to eradication, confirm:\n\n")
	for _, v := range classify.ContainmentVerification {
		fmt.Fprintf(b, "- [ ] %s\n", v)
	}
	b.WriteString("\n")
}

func (inc *Incident) writeEscalation(b *strings.Builder, info classify.SeverityInfo) {
	fmt.Fprintf(b, "### Escalation (%s)\n\n| When | Notify | Due |\n|---|---|---|\n", inc.Severity)
	for _, e := range info.Escalation {
		var who []string
		for _, r := range e.Roles {
			who = append(who, inc.roleCell(r))
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", e.When, strings.Join(who, "; "), when(inc.DetectedAt.Add(e.After)))
	}
	b.WriteString("\n")
}

// roleCell names a playbook role and who fills it. People are @-mentioned
// only when the role applies without a judgement call, so GitHub notifies
// exactly the people the matrix says must be told.
func (inc *Incident) roleCell(role string) string {
	name, cond := config.SplitRole(role)
	handles := inc.Config.Roles[name]
	if len(handles) == 0 {
		return role
	}
	mention := cond == "" || (cond == "if personal data" && inc.PersonalData())
	var hs []string
	for _, h := range handles {
		handle, ok := config.ParseHandle(h)
		switch {
		case !ok:
			hs = append(hs, EscapeMarkdown(h))
		case mention:
			hs = append(hs, "@"+handle)
		default:
			hs = append(hs, "`"+handle+"`")
		}
	}
	return fmt.Sprintf("%s: %s", role, strings.Join(hs, ", "))
}

// writeFindings writes the findings table, stopping at maxTableRows rows or
// when the text reaches budget bytes, whichever comes first.
func writeFindings(b *strings.Builder, heading string, fs []finding.Finding, budget int) {
	fmt.Fprintf(b, "### %s\n\n| Severity | Rule | Location | Commit | Redacted | Fingerprint | AI tool |\n|---|---|---|---|---|---|---|\n", heading)
	for i := range fs {
		if i == maxTableRows || b.Len() >= budget {
			fmt.Fprintf(b, "\n%d more finding(s) are in the SARIF report and the job summary of the workflow run.\n", len(fs)-i)
			break
		}
		f := &fs[i]
		commit := ""
		if f.Commit != nil {
			commit = EscapeMarkdown(f.ShortSHA())
			if f.Commit.Subject != "" {
				commit += " " + EscapeMarkdown(truncate(f.Commit.Subject, 60))
			}
		}
		tool := f.AITool
		if tool == "" {
			tool = NotDeclared
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			effective(f.Severity),
			EscapeMarkdown(truncate(f.RuleID+": "+f.Title, maxCell)),
			EscapeMarkdown(truncate(f.Location(), maxCell)),
			commit,
			EscapeMarkdown(truncate(f.Redacted, 60)),
			EscapeMarkdown(shortFingerprint(f)),
			EscapeMarkdown(truncate(tool, 40)))
	}
	b.WriteString("\n")
}

var shaRE = regexp.MustCompile(`^[0-9a-fA-F]{7,64}$`)

func (inc *Incident) writeLinks(b *strings.Builder) {
	ev := inc.Event
	base := strings.TrimRight(ev.ServerURL, "/")
	if base == "" {
		base = "https://github.com"
	}
	repo := ""
	if repoRE.MatchString(ev.Repository) {
		repo = base + "/" + ev.Repository
	}
	var links []string
	if repo != "" && shaRE.MatchString(ev.HeadSHA) {
		links = append(links, fmt.Sprintf("- Commit: [%s](%s/commit/%s)", ev.HeadSHA[:min(12, len(ev.HeadSHA))], repo, ev.HeadSHA))
	}
	if repo != "" && ev.PRNumber > 0 {
		links = append(links, fmt.Sprintf("- Pull request: %s/pull/%d", repo, ev.PRNumber))
	}
	if safeURL(ev.RunURL) {
		links = append(links, fmt.Sprintf("- Workflow run: [%s](%s)", "run", ev.RunURL))
	}
	if len(links) == 0 {
		return
	}
	b.WriteString("### Links\n\n" + strings.Join(links, "\n") + "\n")
}

var (
	repoRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	urlRE  = regexp.MustCompile(`^https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~/%-]*)?$`)
)

// safeURL accepts only plain http(s) URLs, so an event field cannot smuggle
// markdown or javascript into a link target.
func safeURL(u string) bool { return urlRE.MatchString(u) }

// Markers are hidden HTML comments holding only hex, digits and fixed words;
// user text is escaped everywhere else, so it can never forge one.
func (inc *Incident) marker() string {
	id := inc.ID
	if id == "" {
		id = pendingIDSuffix
	}
	detected := inc.DetectedAt
	if !inc.firstDetected.IsZero() {
		detected = inc.firstDetected
	}
	return fmt.Sprintf("<!-- aiguard:incident v=1 key=%s event=%s category=%s severity=%s id=%s detected=%s -->",
		inc.DedupeKey(), eventKey(inc.Event), inc.Category, inc.Severity, id, detected.UTC().Format(time.RFC3339))
}

func (inc *Incident) stateMarker(seq int) string {
	fps := make([]string, 0, len(inc.Findings))
	for i := range inc.Findings {
		if i == maxStateFPs {
			break
		}
		fps = append(fps, shortFingerprint(&inc.Findings[i]))
	}
	return fmt.Sprintf("<!-- aiguard:state seq=%d head=%s fps=%s -->", seq, safeToken(inc.Event.HeadSHA), strings.Join(fps, ","))
}

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func safeToken(s string) string {
	if tokenRE.MatchString(s) {
		return s
	}
	return "none"
}

// idYear is the year in the incident's ID: that of its first detection.
func (inc *Incident) idYear() int {
	if !inc.firstDetected.IsZero() {
		return inc.firstDetected.Year()
	}
	return inc.DetectedAt.Year()
}

package incident

import (
	"fmt"
	"strings"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/finding"
)

// statusUpdate is one status update comment on a tracking issue, in the
// playbook's status update template.
type statusUpdate struct {
	id       string
	seq      int
	ev       Event
	category finding.Category
	// inc is this scan's incident, nil when the scan found nothing more in
	// the category.
	inc *Incident
	// severity is the severity after the update: never lower than
	// before.
	severity   finding.Severity
	raisedFrom finding.Severity
	added      []finding.Finding
	gone       []string
	now        time.Time
}

func (u *statusUpdate) brief() string {
	if u.inc != nil {
		return u.inc.Brief()
	}
	return fmt.Sprintf("%s: no findings in the latest scan of %s", u.category.Name(), describeEvent(u.ev))
}

func (u *statusUpdate) marker(key string) string {
	return fmt.Sprintf("<!-- aiguard:update key=%s seq=%d head=%s -->", key, u.seq, safeToken(u.ev.HeadSHA))
}

func (u *statusUpdate) body(key string) string {
	info := classify.InfoFor(u.severity)
	var b strings.Builder
	b.WriteString(u.marker(key) + "\n")
	if u.inc != nil {
		b.WriteString(u.inc.stateMarker(u.seq) + "\n\n")
	} else {
		fmt.Fprintf(&b, "<!-- aiguard:state seq=%d head=%s fps= -->\n\n", u.seq, safeToken(u.ev.HeadSHA))
	}
	fmt.Fprintf(&b, "**UPDATE [#%d] - %s - %s**\n\n", u.seq, u.id, EscapeMarkdown(u.brief()))
	b.WriteString("**Status:** Investigating\n\n**Progress since last update:**\n\n")
	at := ""
	if shaRE.MatchString(u.ev.HeadSHA) {
		at = " at commit " + u.ev.HeadSHA[:min(12, len(u.ev.HeadSHA))]
	}
	fmt.Fprintf(&b, "- %s re-scanned %s%s on %s.\n", Reporter, describeEventMD(u.ev), at, when(u.now))
	switch n := len(u.added); {
	case n > 0:
		fmt.Fprintf(&b, "- %d new finding(s), listed below.\n", n)
	case u.inc != nil:
		fmt.Fprintf(&b, "- No new findings; %d finding(s) still present.\n", len(u.inc.Findings))
	}
	if len(u.gone) > 0 {
		shown := u.gone
		more := ""
		if len(shown) > 30 {
			more = fmt.Sprintf(" and %d more", len(shown)-30)
			shown = shown[:30]
		}
		fmt.Fprintf(&b, "- %d finding(s) no longer present in this scan (fingerprints %s%s). What was exposed stays exposed: it remains in the git history and in any copy taken, so containment still applies.\n",
			len(u.gone), EscapeMarkdown(strings.Join(shown, ", ")), more)
	}
	if u.raisedFrom != finding.Unclassified {
		fmt.Fprintf(&b, "- **Severity raised from %s to %s.** Title and labels are updated; the response is now due by %s (within %s).\n",
			u.raisedFrom, u.severity, when(u.now.Add(info.Response)), span(info.Response))
	}
	b.WriteString("\n**Current focus:**\n\n")
	fmt.Fprintf(&b, "- The containment checklist in the issue description (%s %s).\n", u.category.Name(), u.severity)
	if u.raisedFrom != finding.Unclassified && u.inc != nil {
		// Mentions added by editing the description notify nobody; these do.
		for _, e := range info.Escalation {
			if e.After == 0 {
				var who []string
				for _, r := range e.Roles {
					who = append(who, u.inc.roleCell(r))
				}
				fmt.Fprintf(&b, "- Notify now, as the %s escalation requires: %s.\n", u.severity, strings.Join(who, "; "))
			}
		}
	}
	b.WriteString("\n**Blockers/risks:**\n\n")
	fmt.Fprintf(&b, "- aiguard never closes incidents: recovery needs the approval of %s (playbook recovery approval for %s).\n", info.RecoveryApproval, u.severity)
	fmt.Fprintf(&b, "\n**Next update:** %s\n\n", when(u.now.Add(info.Response)))
	if len(u.added) > 0 {
		writeFindings(&b, "New findings", u.added, maxBodyBytes)
	}
	return b.String()
}

// prLink is one incident listed in the pull request comment.
type prLink struct {
	id       string
	url      string
	severity finding.Severity
	category finding.Category
	findings int
}

func prCommentMarker(ev Event) string {
	return fmt.Sprintf("<!-- aiguard:pr event=%s -->", eventKey(ev))
}

func prCommentBody(ev Event, links []prLink, now time.Time) string {
	var b strings.Builder
	b.WriteString(prCommentMarker(ev) + "\n")
	b.WriteString("**aiguard** is tracking security incidents for this pull request; its check stays failed until they are handled.\n\n")
	b.WriteString("| Incident | Severity | Category | Findings in latest scan |\n|---|---|---|---|\n")
	for _, l := range links {
		id := l.id
		if safeURL(l.url) {
			id = fmt.Sprintf("[%s](%s)", l.id, l.url)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", id, l.severity, l.category.Name(), l.findings)
	}
	at := ""
	if shaRE.MatchString(ev.HeadSHA) {
		at = " of commit " + ev.HeadSHA[:min(12, len(ev.HeadSHA))]
	}
	fmt.Fprintf(&b, "\nLatest scan%s: %s. Found values are never shown; see the incidents for what to do.\n", at, when(now))
	return b.String()
}

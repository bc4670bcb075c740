package action

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/incident"
	"github.com/aiguard/aiguard/report"
)

// maxSummaryRows keeps the job summary far below GitHub's 1 MiB limit; the
// SARIF file and code scanning have every finding.
const maxSummaryRows = 200

// SummaryInput is what the job summary shows.
type SummaryInput struct {
	Report     *report.Report
	Plan       *Plan
	Repository string
	ServerURL  string
	RunURL     string
	// Notes are plain sentences of our own (not repository content).
	Notes []string
}

var md = incident.EscapeMarkdown

// Summary renders the job summary in GitHub-flavoured markdown. Everything
// that comes from the repository or the event is escaped.
func Summary(in SummaryInput) string {
	r := in.Report
	var b strings.Builder
	status := "✅ passed"
	if r.Summary.Blocked {
		status = "❌ blocked"
	}
	fmt.Fprintf(&b, "## aiguard: %s\n\n", status)
	what := "the tree"
	if in.Plan.Range != "" {
		what = md(in.Plan.Range)
	}
	fmt.Fprintf(&b, "Scanned %s (stage %s): %d finding(s)%s, fail-on %s, %d commit(s), %d file fragment(s).\n\n",
		what, md(r.Scan.Stage), r.Summary.Findings, report.SeverityCounts(r.Summary.BySeverity), md(r.Summary.FailOn), r.Scan.Commits, r.Scan.Fragments)
	for _, n := range append(append([]string(nil), in.Plan.Notes...), in.Notes...) {
		fmt.Fprintf(&b, "> %s\n\n", md(n))
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "> **Error:** %s\n\n", md(e))
	}
	if len(r.Incidents) > 0 {
		b.WriteString("### Incidents\n\n| Incident | Severity | Category | Findings | Tracking issue |\n|---|---|---|---|---|\n")
		for _, inc := range r.Incidents {
			verb := "updated"
			if inc.Created {
				verb = "opened"
			}
			link := verb
			if u := safeURL(inc.URL); u != "" {
				link = fmt.Sprintf("[%s](%s)", verb, u)
			}
			fmt.Fprintf(&b, "| %s | %s | %s — %s | %d | %s |\n", md(inc.ID), inc.Severity, inc.Category, md(inc.Category.Name()), inc.Findings, link)
		}
		b.WriteString("\n")
	}
	if len(r.Findings) > 0 {
		b.WriteString("### Findings\n\n| Severity | Category | Finding | Location | Redacted | Fingerprint |\n|---|---|---|---|---|---|\n")
		fs := append([]finding.Finding(nil), r.Findings...)
		sort.SliceStable(fs, func(i, j int) bool { return rank(fs[i].Severity) < rank(fs[j].Severity) })
		for i := range fs[:min(len(fs), maxSummaryRows)] {
			f := &fs[i]
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | `%s` |\n", f.Severity, md(string(f.Category)), md(f.Title)+" ("+md(f.RuleID)+")",
				location(in, f), md(f.Redacted), hexOnly(f.Fingerprint, 12))
		}
		if len(fs) > maxSummaryRows {
			fmt.Fprintf(&b, "\n%d more finding(s) are in the SARIF file and code scanning.\n", len(fs)-maxSummaryRows)
		}
		b.WriteString("\n")
	}
	if in.RunURL != "" {
		fmt.Fprintf(&b, "[Workflow run](%s)\n", safeURL(in.RunURL))
	}
	return b.String()
}

// location is path:line, linked to the line at the commit that has it.
func location(in SummaryInput, f *finding.Finding) string {
	text := md(f.Location())
	commit := in.Plan.Head
	if f.Commit != nil {
		commit = f.Commit.SHA
	}
	if !shaRE.MatchString(commit) || in.ServerURL == "" || !validRepo(in.Repository) {
		return text
	}
	segs := strings.Split(strings.TrimPrefix(f.Path, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := fmt.Sprintf("%s/%s/blob/%s/%s", in.ServerURL, in.Repository, commit, strings.Join(segs, "/"))
	if f.StartLine > 0 {
		u += fmt.Sprintf("#L%d", f.StartLine)
	}
	if u = safeURL(u); u == "" {
		return text
	}
	return fmt.Sprintf("[%s](%s)", text, u)
}

// safeURL returns u if it is an http(s) URL that cannot break out of a
// markdown link, else "".
func safeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	if strings.ContainsAny(u, " ()<>[]\"'`\\\n\r\t") {
		return ""
	}
	return u
}

func validRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	valid := func(p string) bool {
		return p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == ""
	}
	return ok && valid(owner) && valid(name)
}

func hexOnly(s string, n int) string {
	if strings.Trim(s, "0123456789abcdef") != "" {
		return ""
	}
	return s[:min(n, len(s))]
}

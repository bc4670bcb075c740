package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/aiguard/aiguard/finding"
)

// TextOptions control the human-readable report.
type TextOptions struct {
	// Colour adds ANSI colours; callers enable it only for terminals.
	Colour bool
}

const (
	reset = "\x1b[0m"
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
)

var severityColour = map[finding.Severity]string{
	finding.P1: "\x1b[1;31m", finding.P2: "\x1b[31m", finding.P3: "\x1b[33m", finding.P4: "\x1b[36m",
}

// WriteText writes findings grouped by incident category and severity.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	paint := func(code, s string) string {
		if !opt.Colour {
			return s
		}
		return code + s + reset
	}
	ew := &errWriter{w: w}
	type group struct {
		cat finding.Category
		sev finding.Severity
	}
	groups := map[group][]*finding.Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		groups[group{f.Category, f.Severity}] = append(groups[group{f.Category, f.Severity}], f)
	}
	keys := make([]group, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sev != keys[j].sev {
			return keys[i].sev < keys[j].sev
		}
		return keys[i].cat < keys[j].cat
	})
	for _, k := range keys {
		fs := groups[k]
		ew.printf("%s\n", paint(severityColour[k.sev], fmt.Sprintf("%s %s — %s (%d)", k.sev, k.cat, k.cat.Name(), len(fs))))
		for _, f := range fs {
			ew.printf("  %s %s\n", paint(bold, Sanitize(f.Location())), Sanitize(f.Title))
			ew.printf("      rule %s · %s · fingerprint %s\n", Sanitize(f.RuleID), Sanitize(f.Redacted), f.Fingerprint[:min(12, len(f.Fingerprint))])
			if f.Commit != nil {
				tool := f.AITool
				if tool == "" {
					tool = "not declared"
				}
				ew.printf("      %s\n", paint(dim, fmt.Sprintf("commit %s by %s on %s · AI tool: %s", f.ShortSHA(), Sanitize(f.Commit.Author), f.Commit.Date.UTC().Format("2006-01-02"), Sanitize(tool))))
			}
			if len(f.DataKinds) > 0 {
				ew.printf("      data: %s; about %d data subject(s)\n", strings.Join(f.DataKinds, ", "), f.Subjects)
			}
			if f.Fix != "" {
				for i, line := range strings.Split(strings.TrimSpace(f.Fix), "\n") {
					prefix := "      fix: "
					if i > 0 {
						prefix = "           "
					}
					ew.printf("%s%s\n", prefix, Sanitize(line))
				}
			}
		}
		ew.printf("\n")
	}
	for _, inc := range r.Incidents {
		verb := "updated"
		if inc.Created {
			verb = "opened"
		}
		ew.printf("Incident %s (%s %s, %d findings) %s %s\n", inc.ID, inc.Severity, inc.Category, inc.Findings, verb, inc.URL)
	}
	for _, s := range r.Skipped {
		where := Sanitize(s.Path)
		if s.Commit != "" {
			where += " @ " + s.Commit[:min(12, len(s.Commit))]
		}
		ew.printf("%s\n", paint(dim, fmt.Sprintf("skipped %s: %s", where, Sanitize(s.Reason))))
	}
	for _, e := range r.Errors {
		ew.printf("%s\n", paint(severityColour[finding.P1], "error: "+Sanitize(e)))
	}
	sum := r.Summary
	status := "pass"
	if sum.Blocked {
		status = "BLOCKED"
	}
	ew.printf("%s\n", paint(bold, fmt.Sprintf("aiguard: %d finding(s)%s in %d file fragment(s), %d commit(s), %s; fail-on %s: %s",
		sum.Findings, SeverityCounts(sum.BySeverity), r.Scan.Fragments, r.Scan.Commits, humanBytes(r.Scan.Bytes), sum.FailOn, status)))
	return ew.err
}

// SeverityCounts formats per-severity counts as " (P1 2, P3 1)", or "".
func SeverityCounts(m map[string]int) string {
	var parts []string
	for _, s := range []string{"P1", "P2", "P3", "P4"} {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, m[s]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Sanitize makes repository-controlled text safe for a terminal or a log:
// control characters (ANSI escapes, newlines that could forge lines) are
// replaced, and workflow commands are defused, because the Actions runner
// executes "::command::" at the start of a line (after spaces) and the
// legacy "##[command]" anywhere in a line. A zero-width space keeps the
// text readable while breaking the command.
func Sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return '?'
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "##[", "##\u200b[")
	if rest := strings.TrimLeftFunc(s, unicode.IsSpace); strings.HasPrefix(rest, "::") {
		s = s[:len(s)-len(rest)] + ":\u200b" + rest[1:]
	}
	return s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

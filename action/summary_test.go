package action

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/report"
)

// unescapedPipes counts table cell separators: pipes not preceded by a
// backslash.
var unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)

func TestSummaryEscapesRepositoryContent(t *testing.T) {
	hostile := "<img src=x onerror=alert(1)> @org/security #12 [click](https://evil.example) | cell ::set-output name=a::b\n# heading"
	rep := &report.Report{
		Scan: report.Scan{Stage: "review"},
		Findings: []finding.Finding{{
			RuleID: "rule|x", Title: hostile, Path: "dir/a|b (1)/@x.go", StartLine: 5, Severity: finding.P2,
			Category: finding.CredentialLeak, Redacted: "ab****(20 chars)", Fingerprint: "0123456789abcdef0123",
			Commit: &finding.Commit{SHA: shaB},
		}},
		Incidents: []report.Incident{{ID: "AIENG-2026-0001", Category: finding.CredentialLeak, Severity: finding.P2, Findings: 1,
			URL: "https://github.com/acme/app/issues/3", Created: true}},
		Errors: []string{"git failed on <script>"},
	}
	rep.Summarise(finding.P4, 0)
	out := Summary(SummaryInput{Report: rep, Plan: &Plan{Range: shaA + ".." + shaB, Notes: []string{"force push: see @dev"}},
		Repository: "acme/app", ServerURL: "https://github.com", RunURL: "https://github.com/acme/app/actions/runs/9"})

	for _, bad := range []string{"<img", "<script", "@org/security", "@dev", "](https://evil", "\n# heading", "#12"} {
		if strings.Contains(out, bad) {
			t.Errorf("summary contains unescaped %q:\n%s", bad, out)
		}
	}
	want := "[dir/a\\|b \\(1\\)/@\u200dx.go:5](https://github.com/acme/app/blob/" + shaB + "/dir/a%7Cb%20%281%29/@x.go#L5)"
	if !strings.Contains(out, want) {
		t.Errorf("summary lacks the escaped, linked location %q:\n%s", want, out)
	}
	if !strings.Contains(out, "[opened](https://github.com/acme/app/issues/3)") || !strings.Contains(out, "[Workflow run](https://github.com/acme/app/actions/runs/9)") {
		t.Errorf("summary lacks the issue or run link:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		header := strings.HasPrefix(line, "| Severity") || strings.HasPrefix(line, "|---|---|---|---|---|---|")
		if n := len(unescapedPipe.FindAllString(line, -1)); strings.Contains(line, "rule") && !header && n != 7 {
			t.Errorf("finding row has %d cell separators, want 7: %q", n, line)
		}
	}
}

func TestSummaryDoesNotLinkUnsafeURLs(t *testing.T) {
	rep := &report.Report{Incidents: []report.Incident{{ID: "AIENG-1", URL: "javascript:alert(1)"}}}
	rep.Summarise(finding.P4, 0)
	out := Summary(SummaryInput{Report: rep, Plan: &Plan{}, Repository: "acme/app", ServerURL: "https://github.com", RunURL: "https://x/(y)"})
	if strings.Contains(out, "javascript:") || strings.Contains(out, "(y)") {
		t.Errorf("unsafe URL linked:\n%s", out)
	}
}

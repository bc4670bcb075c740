package incident

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/finding"
)

func TestBuildGroupsByCategoryWithPlaybookDeadlines(t *testing.T) {
	fs := []finding.Finding{
		credFinding("b.go", 3, finding.P2),
		credFinding("a.go", 9, finding.P1),
		piiFinding("people.csv", finding.P2),
		{RuleID: "sql", Title: "SQL injection", Category: finding.CodeVulnerability, Severity: finding.P3, Path: "db.go", StartLine: 1},
		{RuleID: "odd", Title: "unclassified", Path: "x"},
	}
	fs[1].AITool = ""
	incs := Build(fs, prEvent(7, "abcdef1234567"), testConfig())
	if len(incs) != 4 {
		t.Fatalf("got %d incidents, want CL, DE, CV, OT", len(incs))
	}
	byCat := map[finding.Category]Incident{}
	for _, inc := range incs {
		byCat[inc.Category] = inc
	}
	cl := byCat[finding.CredentialLeak]
	if cl.Severity != finding.P1 || len(cl.Findings) != 2 || incs[0].Category != finding.CredentialLeak {
		t.Fatalf("CL incident: severity %v, %d findings, first %v", cl.Severity, len(cl.Findings), incs[0].Category)
	}
	if cl.Findings[0].Path != "a.go" {
		t.Errorf("most severe finding should come first, got %s", cl.Findings[0].Path)
	}
	for _, f := range cl.Findings {
		if f.Secret != "" || f.Commit.Message != "" {
			t.Fatal("incident kept a found value in memory")
		}
	}
	if fs[0].Secret == "" {
		t.Fatal("Build must not modify the caller's findings")
	}
	if got := strings.Join(cl.AITools, ","); got != "Claude Code,not declared" {
		t.Errorf("AI tools = %q", got)
	}
	if got := strings.Join(cl.CredentialTypes, ","); got != "GitHub personal access token" {
		t.Errorf("credential types = %q", got)
	}
	if !cl.OccurredAt.Equal(detected.Add(-3*time.Hour)) || !cl.DetectedAt.Equal(detected) {
		t.Errorf("occurred %v detected %v", cl.OccurredAt, cl.DetectedAt)
	}
	if !cl.ResponseDue.Equal(detected.Add(time.Hour)) || !cl.NextUpdate.Equal(cl.ResponseDue) {
		t.Errorf("P1 response due %v next update %v", cl.ResponseDue, cl.NextUpdate)
	}
	// Monday + 5 working days = next Monday.
	if want := time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC); !cl.ReportDue.Equal(want) {
		t.Errorf("report due %v, want %v", cl.ReportDue, want)
	}
	if len(cl.Actions) != 5 || cl.Actions[0].Action.Action != "Rotate affected credentials immediately" || !cl.Actions[0].Due.Equal(detected.Add(30*time.Minute)) {
		t.Errorf("CL actions %+v", cl.Actions)
	}
	de := byCat[finding.DataExposure]
	if de.Subjects != 120 || strings.Join(de.DataKinds, ",") != "email,national insurance number" || !de.PersonalData() {
		t.Errorf("DE context: %d subjects, kinds %v", de.Subjects, de.DataKinds)
	}
	// Monday + 10 working days = Monday two weeks later.
	if want := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC); !de.ReportDue.Equal(want) {
		t.Errorf("P2 report due %v, want %v", de.ReportDue, want)
	}
	cv := byCat[finding.CodeVulnerability]
	for _, a := range cv.Actions {
		if strings.HasPrefix(a.Action.Action, "Remove or disable affected code in production") {
			t.Error("a P3 CV incident must not get the P1/P2-only action")
		}
	}
	if len(cv.Actions) != 4 || !cv.ResponseDue.Equal(detected.Add(24*time.Hour)) {
		t.Errorf("CV P3: %d actions, response due %v", len(cv.Actions), cv.ResponseDue)
	}
	ot := byCat[finding.Other]
	if ot.Severity != finding.P4 || !ot.ReportDue.IsZero() || !ot.ResponseDue.Equal(detected.Add(72*time.Hour)) {
		t.Errorf("OT: severity %v report due %v", ot.Severity, ot.ReportDue)
	}
	if ot.DedupeKey() == cl.DedupeKey() || len(cl.DedupeKey()) != 24 {
		t.Error("dedupe keys must differ per category")
	}
}

func TestEscapeMarkdownNeutralisesInjection(t *testing.T) {
	cases := map[string][]string{
		"@acme/security-team ping @everyone":             {"@acme", "@everyone"},
		"[x](http://evil.example)":                       {"](", "[x]", "http://"},
		"![img](http://evil.example/a.png)":              {"![", "]("},
		"<img src=x onerror=alert(1)><script>x</script>": {"<img", "<script"},
		"a | b || c":                 {" | ", "||"},
		"see #12 and acme/widgets#3": {"#12", "#3"},
		"visit www.evil.example or https://evil.example/x":  {"www.", "https://"},
		"<!-- aiguard:incident v=1 key=abc -->":             {"<!--"},
		"line1\n# heading\n- [ ] task":                      {"\n"},
		"`code` *bold* _it_ ~~s~~":                          {"`code`", "*bold*"},
		"rtl \u202eevil\u202c and nul \x00 and bell \a end": {"\u202e", "\x00", "\a"},
	}
	for in, forbidden := range cases {
		out := EscapeMarkdown(in)
		for _, f := range forbidden {
			if strings.Contains(out, f) {
				t.Errorf("EscapeMarkdown(%q) = %q still contains %q", in, out, f)
			}
		}
		// Every pipe must be escaped so a table cell cannot be split.
		if regexp.MustCompile(`(^|[^\\])\|`).MatchString(out) {
			t.Errorf("EscapeMarkdown(%q) = %q has an unescaped pipe", in, out)
		}
	}
	// Readers still see the text: only invisible characters are added.
	visible := strings.NewReplacer("\\", "", zwj, "", zwsp, "", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(EscapeMarkdown("a @b [c](d) <e> #1 f|g"))
	if visible != "a @b [c](d) <e> #1 f|g" {
		t.Errorf("escaped text reads %q", visible)
	}
}

func TestTitleAndBodyFollowThePlaybookTemplates(t *testing.T) {
	incs := Build([]finding.Finding{credFinding(hostilePath, 12, finding.P1), piiFinding("people.csv", finding.P2)}, prEvent(42, "0123456789abcdef0123456789abcdef01234567"), testConfig())
	cl, de := &incs[0], &incs[1]
	cl.ID = FormatID("AIENG", 2026, 42)
	if got, want := cl.Title(), "[P1] AI Engineering Lab Security Incident - AIENG-2026-0042 - Credential leak: 1 finding in pull request #"+zwj+"42"; got != want {
		t.Errorf("title\n got %q\nwant %q", got, want)
	}
	body := cl.Body()
	for _, want := range []string{
		"An incident involving AI Engineering Lab usage has been reported.",
		"**Incident ID:** AIENG-2026-0042",
		"**Severity:** P1 - Critical",
		"**Category:** Credential leak (CL)",
		"**Status:** Investigating",
		`**Incident Owner:** Security on\-call`,
		"**Next update:** 2026-03-02 10:00 UTC",
		"Please direct questions to security@" + zwj + "department.example.",
		"### Immediate actions (Playbook C: API key committed to repository)",
		"1. Rotate the API key immediately - assume compromised",
		"- [ ] Rotate affected credentials immediately — IT Admin/DevOps — due 2026-03-02 09:30 UTC (within 30 minutes)",
		"- [ ] Revoke old credentials — IT Admin — due 2026-03-02 10:00 UTC",
		"- [ ] Update all systems using the credentials — DevOps — due 2026-03-03 09:00 UTC",
		"- [ ] Evidence has been preserved",
		"| Immediate | SIRO: @siro-person; Security Lead: @acme/security; SRO: @sro-person; IT Director | 2026-03-02 09:00 UTC |",
		"| Within 4 hours | CISO; DPO (if personal data): `dpo-person` |",
		"| Post-incident report due (5 working days) | 2026-03-09 09:00 UTC |",
		"| Time to detect | 3 hours |",
		"- Commit: [0123456789ab](https://github.com/acme/widgets/commit/0123456789abcdef0123456789abcdef01234567)",
		"- Pull request: https://github.com/acme/widgets/pull/42",
		"- Workflow run: [run](https://github.com/acme/widgets/actions/runs/42)",
		"Credential types: GitHub personal access token",
		"AI tools involved: Claude Code",
		"approval of SIRO and Security Lead",
		"**Reporter:** aiguard automated scanning; commit or pull request author(s): Mallory @" + zwj + "acme/security\\-team; scan triggered by mallory",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if !strings.Contains(de.Body(), "DPO (if personal data): @dpo-person") {
		t.Error("a personal-data incident must mention the DPO")
	}
	if !strings.Contains(de.Body(), "Playbook A") || !strings.Contains(de.Body(), "about 120 data subject(s)") {
		t.Error("DE body lacks playbook A or the subject count")
	}
	checkNoInjection(t, "body", body)
}

// checkNoInjection fails if hostile text survived into markdown unescaped.
func checkNoInjection(t *testing.T, what, md string) {
	t.Helper()
	for _, bad := range []string{"@acme/security-team", "@everyone", "](http://evil", "](javascript", "<img", "<script", "![i]", "http://evil", "#12 "} {
		if strings.Contains(md, bad) {
			t.Errorf("%s contains unescaped %q", what, bad)
		}
	}
	cols := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := len(unescapedPipe.FindAllString(line, -1))
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("%s: table row has %d cells, header %d: %q", what, n, cols, line)
		}
	}
}

var unescapedPipe = regexp.MustCompile(`(?:^|[^\\])\|`)

func TestKeepTicksCarriesCheckedItems(t *testing.T) {
	old := "- [x] Rotate affected credentials immediately — IT Admin/DevOps — due 2026-03-02 09:30 UTC (within 30 minutes)\n- [ ] Revoke old credentials — IT Admin — due x\n- [X] Evidence has been preserved\n"
	fresh := "- [ ] Rotate affected credentials immediately — IT Admin/DevOps — due 2026-03-05 09:30 UTC (within 30 minutes)\n- [ ] Revoke old credentials — IT Admin — due y\n- [ ] Evidence has been preserved\n"
	got := keepTicks(old, fresh)
	want := "- [x] Rotate affected credentials immediately — IT Admin/DevOps — due 2026-03-05 09:30 UTC (within 30 minutes)\n- [ ] Revoke old credentials — IT Admin — due y\n- [x] Evidence has been preserved\n"
	if got != want {
		t.Errorf("keepTicks:\n%s\nwant\n%s", got, want)
	}
}

func TestPlaybookTablesDriveTheChecklist(t *testing.T) {
	// Every containment action of the playbook shows up for a P1 of its
	// category: the body is generated from classify's tables, not a copy.
	for cat, actions := range classify.Containment {
		inc := Build([]finding.Finding{{Category: cat, Severity: finding.P1, Path: "f"}}, prEvent(1, ""), testConfig())[0]
		body := inc.Body()
		for _, a := range actions {
			if !strings.Contains(body, "- [ ] "+a.Action+" — "+a.Responsibility) {
				t.Errorf("%s body lacks action %q", cat, a.Action)
			}
		}
	}
}

func TestConfigRejectsUnknownRolesAndBadHandles(t *testing.T) {
	for in, want := range map[string]string{
		"incidents: {roles: {\"Securty Lead\": [\"@a\"]}}\n":      "not a playbook role",
		"incidents: {roles: {\"DPO\": [\"[x](http://evil)\"]}}\n": "not a GitHub user or team",
		"incidents: {assignees: [\"@alice\"]}\n":                  "without @",
	} {
		if _, err := config.Parse(".aiguard.yml", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
	c, err := config.Parse(".aiguard.yml", []byte("incidents: {roles: {\"DPO\": [\"@acme/privacy\"], \"Permanent Secretary\": [\"ps\"]}, assignees: [alice]}\n"))
	if err != nil || c.Incidents.Roles["DPO"][0] != "@acme/privacy" {
		t.Fatalf("valid incidents config refused: %v", err)
	}
}

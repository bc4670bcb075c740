package classify

import (
	"testing"
	"time"

	"github.com/aiguard/aiguard/finding"
)

func TestDefaultPolicyFollowsThePlaybook(t *testing.T) {
	p := Default()
	cases := []struct {
		cat   finding.Category
		class string
		stage Stage
		want  finding.Severity
	}{
		{finding.CredentialLeak, "specific", Review, finding.P1},
		{finding.CredentialLeak, "specific", Production, finding.P1},
		{finding.CredentialLeak, "generic", Review, finding.P2},
		{finding.CredentialLeak, "specific", PreCommit, finding.P4},
		{finding.DataExposure, "classified-secret", Audit, finding.P1},
		{finding.DataExposure, "official-sensitive", Review, finding.P2},
		{finding.DataExposure, "bulk", Review, finding.P2},
		{finding.DataExposure, "special-category", Review, finding.P2},
		{finding.DataExposure, "single-record", Review, finding.P3},
		{finding.DataExposure, "official", Production, finding.P3},
		{finding.DataExposure, "bulk", PreCommit, finding.P4},
		{finding.CodeVulnerability, "high-impact", Production, finding.P2},
		{finding.CodeVulnerability, "high-impact", Review, finding.P3},
		{finding.CodeVulnerability, "standard", Production, finding.P3},
		{finding.CodeVulnerability, "low-impact", Production, finding.P4},
		{finding.CodeVulnerability, "high-impact", PreCommit, finding.P4},
		{finding.ServiceCompromise, "hidden-instruction", Review, finding.P2},
		{finding.ServiceCompromise, "planted-instruction", Production, finding.P2},
		{finding.ServiceCompromise, "agent-power", Review, finding.P3},
		{finding.ServiceCompromise, "hidden-instruction", PreCommit, finding.P4},
	}
	for _, c := range cases {
		f := finding.Finding{Category: c.cat, Class: c.class}
		if got := p.Severity(&f, Context{Stage: c.stage}); got != c.want {
			t.Errorf("%s %s at %s: got %s, want %s", c.cat, c.class, c.stage, got, c.want)
		}
	}
}

func TestOverridesWinButCodeIsNeverP1(t *testing.T) {
	p := Default().WithOverrides([]Rule{
		{Category: finding.CredentialLeak, Class: "generic", Severity: finding.P3},
		{Category: finding.CodeVulnerability, Rule: "py-*", Severity: finding.P1},
	})
	gen := finding.Finding{Category: finding.CredentialLeak, Class: "generic"}
	if got := p.Severity(&gen, Context{Stage: Review}); got != finding.P3 {
		t.Errorf("override ignored: %s", got)
	}
	cv := finding.Finding{Category: finding.CodeVulnerability, RuleID: "py-eval", Class: "high-impact"}
	if got := p.Severity(&cv, Context{Stage: Production}); got != finding.P2 {
		t.Errorf("code finding became %s; P1 needs active exploitation", got)
	}
}

func TestStageFor(t *testing.T) {
	prod := []string{"main", "release/*"}
	for branch, want := range map[string]Stage{"main": Production, "refs/heads/release/1.2": Production, "feature/x": Review, "": Audit} {
		if got := StageFor(branch, prod, Audit); got != want {
			t.Errorf("StageFor(%q) = %s, want %s", branch, got, want)
		}
	}
}

func TestRuleValidation(t *testing.T) {
	bad := []Rule{{}, {Severity: finding.P1, Category: "XX"}, {Severity: finding.P1, Stage: "prod"}, {Severity: finding.P1, Rule: "["}}
	for _, r := range bad {
		if r.Validate() == nil {
			t.Errorf("rule %+v accepted", r)
		}
	}
}

func TestPlaybookTables(t *testing.T) {
	if InfoFor(finding.P1).Response != time.Hour || InfoFor(finding.P4).Response != 72*time.Hour {
		t.Error("response times do not match the playbook")
	}
	for _, c := range []finding.Category{finding.DataExposure, finding.CodeVulnerability, finding.CredentialLeak, finding.ServiceCompromise} {
		if len(Containment[c]) != 5 || Playbooks[c].Letter == "" {
			t.Errorf("%s lacks its containment table or specific playbook", c)
		}
	}
	// Friday 27 Nov 2026 + 5 working days is Friday 4 Dec.
	fri := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	if got := AddWorkingDays(fri, 5); got.Day() != 4 || got.Month() != time.December {
		t.Errorf("AddWorkingDays = %s", got)
	}
}

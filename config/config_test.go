package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/finding"
)

func TestParseGoodConfig(t *testing.T) {
	c, err := Parse(".aiguard.yml", []byte(`
fail-on: P2
production-branches: [main, release/*]
allowlist:
  paths: ['^testdata/']
  fingerprints: [abc]
severity:
  - {category: CL, class: generic, severity: P3}
detectors:
  personal-data: {bulk-threshold: 25}
  code: {enabled: false}
incidents: {prefix: SEC, roles: {"Security Lead": ["@org/sec"]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := c.FailOnSeverity(); s != finding.P2 {
		t.Errorf("fail-on %v", s)
	}
	if c.Detectors.Code.On() || !c.Detectors.Credentials.On() || c.Detectors.PersonalData.BulkThreshold != 25 {
		t.Errorf("detector options not read: %+v", c.Detectors)
	}
	if !c.Allowlist.Suppressed(&finding.Finding{Path: "testdata/x"}) || !c.Allowlist.Suppressed(&finding.Finding{Path: "a", Fingerprint: "abc"}) {
		t.Error("allowlist not applied")
	}
	gen := finding.Finding{Category: finding.CredentialLeak, Class: "generic"}
	if got := c.Policy().Severity(&gen, classify.Context{Stage: classify.Review}); got != finding.P3 {
		t.Errorf("severity override not applied: %s", got)
	}
}

func TestBadConfigNamesFileLineAndReason(t *testing.T) {
	cases := map[string]string{
		"fail-on: P2\nfial-on: P3\n":                      ".aiguard.yml:2: field fial-on not found",
		"fail-on: [P2\n":                                  ".aiguard.yml:",
		"allowlist:\n  paths: ['(']\n":                    "not a valid regular expression",
		"fail-on: P7\n":                                   "P7",
		"severity:\n  - {category: ZZ, severity: P1}\n":   "unknown category",
		"incidents: {prefix: 'x y'}\n":                    "incidents.prefix",
		"detectors: {personal-data: {bulk-threshold: 0}}": "bulk-threshold",
		"max-file-size: banana\n":                         ".aiguard.yml:1:",
		"file-timeout: banana\n":                          ".aiguard.yml:1: \"banana\" is not a duration",
	}
	for in, want := range cases {
		_, err := Parse(".aiguard.yml", []byte(in))
		var ce *Error
		if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an *Error containing %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	}
}

func TestEmptyConfigIsDefault(t *testing.T) {
	c, err := Parse("x", nil)
	if err != nil || c.FailOn != "P4" || c.Incidents.Prefix != "AIENG" {
		t.Errorf("empty config: %+v %v", c, err)
	}
}

package config

import "fmt"

// Detectors holds each detector's options. Each detector package reads only
// its own section.
type Detectors struct {
	Credentials  Credentials  `yaml:"credentials"`
	PersonalData PersonalData `yaml:"personal-data"`
	Code         Code         `yaml:"code"`
	Injection    Injection    `yaml:"injection"`
}

// Toggle is embedded by every detector section.
type Toggle struct {
	// Enabled turns the detector off when false.
	Enabled *bool `yaml:"enabled"`
}

// On reports whether the detector is enabled (the default).
func (t Toggle) On() bool { return t.Enabled == nil || *t.Enabled }

// Credentials configures the credential (CL) detector.
type Credentials struct {
	Toggle `yaml:",inline"`
	// GitleaksConfig overrides the path of a gitleaks TOML config; by default
	// the repository's .gitleaks.toml is used when present.
	GitleaksConfig string `yaml:"gitleaks-config"`
}

// PersonalData configures the personal and classified data (DE) detector.
type PersonalData struct {
	Toggle `yaml:",inline"`
	// BulkThreshold is how many records in one file make a bulk exposure.
	BulkThreshold int `yaml:"bulk-threshold"`
}

// Code configures the risky code (CV) detector.
type Code struct {
	Toggle `yaml:",inline"`
	// Disable lists rule ids to turn off.
	Disable []string `yaml:"disable"`
	// Rules are extra rules in the same schema as the built-in ones.
	Rules []CodeRule `yaml:"rules"`
}

// Injection configures the prompt injection (SC) detector.
type Injection struct {
	Toggle `yaml:",inline"`
	// AgentFiles adds path patterns (path.Match syntax, or a directory
	// prefix ending in "/") of files the team's assistants load
	// automatically, on top of the built-in AGENTS.md, CLAUDE.md, .cursorrules...
	AgentFiles []string `yaml:"agent-files"`
	// TrustedHosts are hosts whose install scripts (curl ... | sh) and
	// remote MCP servers are not reported.
	TrustedHosts []string `yaml:"trusted-hosts"`
	// AllowMCPServers lists MCP server and hook names the team has reviewed.
	AllowMCPServers []string `yaml:"allow-mcp-servers"`
}

func (d *Detectors) setDefaults() {
	d.PersonalData.BulkThreshold = 10
}

func (d *Detectors) validate() error {
	if d.PersonalData.BulkThreshold < 1 {
		return fmt.Errorf("detectors.personal-data.bulk-threshold must be at least 1")
	}
	for i := range d.Code.Rules {
		if err := d.Code.Rules[i].Validate(); err != nil {
			return fmt.Errorf("detectors.code.rules[%d]: %v", i, err)
		}
	}
	return nil
}

// Package config loads a team's .aiguard.yml: policy overrides, allowlists,
// the baseline and each detector's options. A bad file is always an error
// naming the file, line and reason; it is never silently ignored.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/finding"
)

// FileName is the configuration file aiguard looks for at a repository root.
const FileName = ".aiguard.yml"

// Config is the whole of .aiguard.yml.
type Config struct {
	// Path is where the configuration was read from ("" for defaults).
	Path string `yaml:"-"`

	// FailOn is the lowest severity that blocks ("P4" blocks on anything,
	// "none" never blocks).
	FailOn string `yaml:"fail-on"`
	// MaxFileSize in bytes: larger files are skipped, and the skip reported.
	MaxFileSize int64 `yaml:"max-file-size"`
	// FileTimeout bounds detector time per file (a Go duration, e.g. "30s");
	// a file that hits it fails the scan rather than passing unscanned.
	FileTimeout Duration `yaml:"file-timeout"`
	// ProductionBranches are path.Match patterns of branches whose findings
	// count as production (the default branch always does).
	ProductionBranches []string `yaml:"production-branches"`

	Allowlist Allowlist `yaml:"allowlist"`
	// Baseline is a JSON report (aiguard --json) of accepted findings;
	// findings whose fingerprints it lists are not reported.
	Baseline string `yaml:"baseline"`
	// Severity rules are tried before the playbook defaults.
	Severity []classify.Rule `yaml:"severity"`

	Detectors Detectors `yaml:"detectors"`
	Incidents Incidents `yaml:"incidents"`
}

// Allowlist suppresses findings a team has reviewed.
type Allowlist struct {
	// Paths are regular expressions matched against slash-separated paths.
	Paths []string `yaml:"paths"`
	// Rules are rule ids to turn off entirely.
	Rules []string `yaml:"rules"`
	// Fingerprints are finding fingerprints to accept.
	Fingerprints []string `yaml:"fingerprints"`
	// Commits are commit SHAs (or prefixes of at least 7 characters) to skip.
	Commits []string `yaml:"commits"`

	paths []*regexp.Regexp
}

// Default returns the configuration used when a repository has none.
func Default() *Config {
	c := &Config{FailOn: "P4", MaxFileSize: 10 << 20, FileTimeout: Duration(60 * time.Second), ProductionBranches: []string{"main", "master"}}
	c.Detectors.setDefaults()
	c.Incidents.setDefaults()
	return c
}

// Error is a configuration error with its position.
type Error struct {
	File   string
	Line   int
	Reason string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// Load reads the configuration at path. A missing file is an error: callers
// that want "use the file if present" call Find first.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Reason: fmt.Sprintf("cannot read: %v", errors.Unwrap(err))}
	}
	return Parse(path, data)
}

// Find returns the path of the configuration in dir, or "" if there is none.
func Find(dir string) string {
	p := filepath.Join(dir, FileName)
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}

// Parse decodes configuration data strictly: unknown keys are errors, so a
// typo cannot silently disable a setting.
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	c.Path = name
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	if err := c.validate(); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = name
			return nil, ce
		}
		return nil, &Error{File: name, Reason: err.Error()}
	}
	return c, nil
}

func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscanf(m[1], "%d", &line)
		return &Error{File: name, Line: line, Reason: m[2]}
	}
	return &Error{File: name, Reason: msg}
}

func (c *Config) validate() error {
	if _, err := c.FailOnSeverity(); err != nil {
		return err
	}
	if c.FileTimeout <= 0 {
		return fmt.Errorf("file-timeout must be a positive duration such as 30s")
	}
	if c.MaxFileSize <= 0 {
		return fmt.Errorf("max-file-size must be a positive number of bytes")
	}
	for i, r := range c.Severity {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("severity rule %d: %v", i+1, err)
		}
	}
	c.Allowlist.paths = nil
	for _, p := range c.Allowlist.Paths {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("allowlist path %q is not a valid regular expression: %v", p, err)
		}
		c.Allowlist.paths = append(c.Allowlist.paths, re)
	}
	for _, sha := range c.Allowlist.Commits {
		if len(sha) < 7 {
			return fmt.Errorf("allowlist commit %q is too short (need at least 7 characters)", sha)
		}
	}
	if err := c.Detectors.validate(); err != nil {
		return err
	}
	return c.Incidents.validate()
}

// FailOnSeverity parses FailOn; ok is false for "none".
func (c *Config) FailOnSeverity() (finding.Severity, error) {
	if strings.EqualFold(strings.TrimSpace(c.FailOn), "none") {
		return finding.Unclassified, nil
	}
	s, err := finding.ParseSeverity(c.FailOn)
	if err != nil {
		return 0, fmt.Errorf("fail-on: %v (or none)", err)
	}
	return s, nil
}

// Policy is the playbook default policy with the team's overrides first.
func (c *Config) Policy() classify.Policy {
	return classify.Default().WithOverrides(c.Severity)
}

// PathAllowed reports whether the allowlist excludes path.
func (a *Allowlist) PathAllowed(path string) bool {
	for _, re := range a.paths {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// Suppressed reports whether the allowlist accepts f.
func (a *Allowlist) Suppressed(f *finding.Finding) bool {
	if a.PathAllowed(f.Path) {
		return true
	}
	for _, r := range a.Rules {
		if r == f.RuleID {
			return true
		}
	}
	for _, fp := range a.Fingerprints {
		if fp == f.Fingerprint {
			return true
		}
	}
	if f.Commit != nil {
		for _, sha := range a.Commits {
			if strings.HasPrefix(f.Commit.SHA, sha) {
				return true
			}
		}
	}
	return false
}

// Duration is a time.Duration written as "30s" or "2m" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration such as 30s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

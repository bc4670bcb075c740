package config

import (
	"fmt"
	"regexp"
)

// Incidents configures incident records and tracking issues.
type Incidents struct {
	// Prefix of incident IDs, "AIENG" by default.
	Prefix string `yaml:"prefix"`
	// Roles maps playbook roles ("Security Lead", "SIRO", "DPO"...) to GitHub
	// users or teams ("@alice", "@org/security") to mention.
	Roles map[string][]string `yaml:"roles"`
	// Assignees are GitHub logins assigned to every tracking issue.
	Assignees []string `yaml:"assignees"`
	// Owner is the default incident owner shown in the report.
	Owner string `yaml:"owner"`
	// Contact is where questions go, as in the playbook template.
	Contact string `yaml:"contact"`
}

var prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}$`)

func (i *Incidents) setDefaults() {
	i.Prefix = "AIENG"
}

func (i *Incidents) validate() error {
	if !prefixRE.MatchString(i.Prefix) {
		return fmt.Errorf("incidents.prefix %q must be 2-16 upper-case letters or digits, starting with a letter", i.Prefix)
	}
	return nil
}

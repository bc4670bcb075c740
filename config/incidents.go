package config

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/classify"
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

var (
	prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,15}$`)
	// GitHub logins: alphanumerics and single hyphens, at most 39; a team
	// adds "/slug".
	handleRE    = regexp.MustCompile(`^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?)$`)
	loginRE     = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	conditionRE = regexp.MustCompile(`^(.*?)\s*\((if [^)]*)\)$`)
)

// ParseHandle returns a role's GitHub user or team ("alice", "org/team")
// without its "@", or false when s is not one.
func ParseHandle(s string) (string, bool) {
	m := handleRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// SplitRole splits an escalation matrix entry such as "DPO (if personal
// data)" into the role and its condition.
func SplitRole(entry string) (role, condition string) {
	if m := conditionRE.FindStringSubmatch(entry); m != nil {
		return m[1], m[2]
	}
	return entry, ""
}

// knownRoles are the roles the playbook's escalation matrix and recovery
// approval name, which are the only ones a mapping can take effect for.
func knownRoles() map[string]bool {
	roles := map[string]bool{"Incident Owner": true}
	for _, s := range classify.Severities {
		for _, e := range s.Escalation {
			for _, r := range e.Roles {
				if name, _ := SplitRole(r); !strings.HasPrefix(name, "Included in") {
					roles[name] = true
				}
			}
		}
	}
	return roles
}

func (i *Incidents) setDefaults() {
	i.Prefix = "AIENG"
}

func (i *Incidents) validate() error {
	if !prefixRE.MatchString(i.Prefix) {
		return fmt.Errorf("incidents.prefix %q must be 2-16 upper-case letters or digits, starting with a letter", i.Prefix)
	}
	known := knownRoles()
	for role, handles := range i.Roles {
		if !known[role] {
			var names []string
			for r := range known {
				names = append(names, r)
			}
			sort.Strings(names)
			return fmt.Errorf("incidents.roles: %q is not a playbook role (want one of %s)", role, strings.Join(names, ", "))
		}
		for _, h := range handles {
			if _, ok := ParseHandle(h); !ok {
				return fmt.Errorf("incidents.roles.%s: %q is not a GitHub user or team (@login or @org/team)", role, h)
			}
		}
	}
	for _, a := range i.Assignees {
		if !loginRE.MatchString(a) {
			return fmt.Errorf("incidents.assignees: %q is not a GitHub login (write it without @)", a)
		}
	}
	return nil
}

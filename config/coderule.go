package config

import "fmt"

// CodeRule is a risky-code rule written by a team, in the same schema as the
// built-in rules of the CV detector.
type CodeRule struct {
	ID        string   `yaml:"id"`
	Title     string   `yaml:"title"`
	CWE       string   `yaml:"cwe"`
	Impact    string   `yaml:"impact"` // high, standard or low
	Message   string   `yaml:"message"`
	Fix       string   `yaml:"fix"`
	Languages []string `yaml:"languages"`
	// Pattern is a regular expression matched line by line.
	Pattern string `yaml:"pattern"`
}

// Validate checks the fields every rule needs.
func (r *CodeRule) Validate() error {
	if r.ID == "" || r.Pattern == "" {
		return fmt.Errorf("a rule needs an id and a pattern")
	}
	return nil
}

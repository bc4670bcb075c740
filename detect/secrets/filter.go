package secrets

import "github.com/aiguard/aiguard/detect"

// IsPlaceholder reports whether a matched secret is a placeholder, template
// variable, documented example or obvious test value rather than a credential.
func IsPlaceholder(rule, secret, line string) bool {
	return false
}

// variants returns the texts to scan for a fragment: the text itself and,
// where credentials may be escaped (JSON strings, notebooks), an unescaped
// copy with the same line structure.
func variants(frag *detect.Fragment) []string {
	return []string{frag.Text}
}

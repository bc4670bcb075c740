package report

import (
	"strings"
	"testing"
	"unicode"
)

func TestSanitizeDefusesWorkflowCommandsAndEscapes(t *testing.T) {
	for in, bad := range map[string]string{
		"::set-output name=blocked::false": "::set-output",
		"  ::add-mask::x":                  "::add-mask",
		"\t::stop-commands::tok":           "::stop-commands",
		"a/##[add-mask]b.env":              "##[",
		"x\x1b[2Jy":                        "\x1b",
		"forged\n::error::line":            "\n",
		"bidi\u202eevil":                   "\u202e",
	} {
		out := Sanitize(in)
		if strings.HasPrefix(bad, "::") {
			out = strings.TrimLeftFunc(out, unicode.IsSpace)
			bad = "::"
		}
		if strings.Contains(out, bad) && (bad != "::" || strings.HasPrefix(out, bad)) {
			t.Errorf("Sanitize(%q) = %q still holds %q", in, out, bad)
		}
	}
	if got := Sanitize("src/a::b/c.rs"); got != "src/a::b/c.rs" {
		t.Errorf("a \"::\" inside a path was changed: %q", got)
	}
}

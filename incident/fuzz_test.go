package incident

import (
	"strings"
	"testing"
)

// FuzzEscapeMarkdown checks that text from a repository, once escaped,
// cannot mention anyone, open HTML, form a link or image, or break the line
// (a table row) it is placed in.
func FuzzEscapeMarkdown(f *testing.F) {
	for _, s := range []string{"", "@octocat", "@org/team", "<img src=x onerror=alert(1)>", "[x](https://evil.example)", "![i](http://x/y.png)",
		"#12", "GH-1", "https://evil.example", "www.evil.example", "| a | b |", "line\nbreak", "`code`", "\u202eevil", "\\@x", "@@x", "&lt;b&gt;", "<!-- x -->"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := EscapeMarkdown(s)
		for i, r := range out {
			if r == '@' && !strings.HasPrefix(out[i+1:], zwj) {
				t.Errorf("EscapeMarkdown(%q) = %q leaves a mention", s, out)
			}
		}
		for _, bad := range []string{"<", "](", "\n", "\r", "://"} {
			if strings.Contains(out, bad) {
				t.Errorf("EscapeMarkdown(%q) = %q contains %q", s, out, bad)
			}
		}
		if strings.Contains(strings.ReplaceAll(out, `\|`, ""), "|") {
			t.Errorf("EscapeMarkdown(%q) = %q can break out of a table cell", s, out)
		}
		if t2 := plainText(s, 80); strings.ContainsAny(t2, "\n\r") || len([]rune(t2)) > 80 {
			t.Errorf("plainText(%q) = %q", s, t2)
		}
	})
}

package incident

import (
	"regexp"
	"strings"
	"unicode"
)

const (
	zwj  = "\u200d" // breaks @mentions and #references without changing what a reader sees
	zwsp = "\u200b" // breaks bare-URL autolinks
)

var wwwRE = regexp.MustCompile(`(?i)www\.`)

// EscapeMarkdown makes text written by others (paths, commit subjects, branch
// and author names, redacted excerpts, messages) safe to place inline in
// GitHub-flavoured markdown, including a table cell: it cannot mention or
// notify anyone, reference or link issues, form links, images or HTML, break
// out of a table, or start a block. Newlines become spaces, so callers must not
// rely on the text to span lines.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	// Invisible characters go first, so that none can sit between the
	// characters of a sequence escaped below (":\x10//" is still "://").
	rs := []rune(strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case isInvisible(r):
			// Control and bidi-override characters can hide or reorder text
			// (trojan-source style); nothing legitimate needs them here.
			return -1
		}
		return r
	}, s))
	for i, r := range rs {
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("@" + zwj)
		case r == '#':
			b.WriteString(`\#`)
			if unicode.IsDigit(next) || unicode.IsLetter(next) {
				b.WriteString(zwj)
			}
		case r == ':' && next == '/':
			b.WriteString(":" + zwsp)
		case strings.ContainsRune("\\`*_{}[]()+-!|~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return wwwRE.ReplaceAllStringFunc(b.String(), func(m string) string { return m[:3] + zwsp + "." })
}

func isInvisible(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F:
		return true
	}
	return false
}

// plainText makes user text safe for an issue title, which GitHub renders
// without block markdown but with mentions and references in notifications.
func plainText(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case isInvisible(r):
		case r == '@':
			b.WriteString("@" + zwj)
		case r == '#':
			b.WriteString("#" + zwj)
		default:
			b.WriteRune(r)
		}
	}
	return truncate(b.String(), max)
}

// truncate cuts s to at most max runes, marking the cut.
func truncate(s string, max int) string {
	rs := []rune(s)
	if len(rs) <= max {
		return s
	}
	return string(rs[:max-1]) + "…"
}

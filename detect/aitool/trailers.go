package aitool

import (
	"strings"

	"github.com/aiguard/aiguard/finding"
)

// gitPrefixes are trailers git itself writes; their presence lets a block
// that also holds free text count as trailers, as in git interpret-trailers.
var gitPrefixes = []string{"signed-off-by: ", "(cherry picked from commit "}

// ParseTrailers returns the trailers of a commit message with git
// interpret-trailers semantics: the last paragraph (never the title) counts
// when every line is a "Key: value" trailer, or when at least a quarter are
// and one is a git-generated trailer. Indented lines continue the value
// before them. Comment lines and a "---" patch divider end the message.
func ParseTrailers(message string) []finding.Trailer {
	lines := strings.Split(strings.ReplaceAll(message, "\r\n", "\n"), "\n")
	end := len(lines)
	for i, l := range lines {
		if l == "---" || strings.HasPrefix(l, "--- ") {
			end = i
			break
		}
	}
	var body []string
	for _, l := range lines[:end] {
		if !strings.HasPrefix(l, "#") {
			body = append(body, l)
		}
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	start := len(body)
	for start > 0 && strings.TrimSpace(body[start-1]) != "" {
		start--
	}
	// The first paragraph is the title, which git never reads as trailers.
	if start == 0 {
		return nil
	}
	var out []finding.Trailer
	trailerLines, other, recognised := 0, 0, false
	for _, l := range body[start:] {
		if (l[0] == ' ' || l[0] == '\t') && len(out) > 0 {
			last := &out[len(out)-1]
			last.Value += " " + strings.TrimSpace(l)
			continue
		}
		lower := strings.ToLower(l)
		for _, p := range gitPrefixes {
			if strings.HasPrefix(lower, p) {
				recognised = true
			}
		}
		if k, v, ok := splitTrailer(l); ok {
			out = append(out, finding.Trailer{Key: k, Value: v})
			trailerLines++
		} else {
			other++
		}
	}
	if trailerLines == 0 || (other > 0 && !(recognised && trailerLines*3 >= other)) {
		return nil
	}
	return out
}

// splitTrailer parses "Key: value", where git allows letters, digits and
// '-' in the key and blanks before the colon.
func splitTrailer(l string) (key, value string, ok bool) {
	i := strings.IndexByte(l, ':')
	if i <= 0 {
		return "", "", false
	}
	key = strings.TrimRight(l[:i], " \t")
	if key == "" {
		return "", "", false
	}
	for _, r := range key {
		if r != '-' && (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return "", "", false
		}
	}
	return key, strings.TrimSpace(l[i+1:]), true
}

package action

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/report"
)

// Workflow commands are lines the runner reads from a step's output. Every
// value placed in one is escaped so that repository content (paths, titles,
// messages) cannot end the command early or start another.

// escapeData escapes a command's message, as actions/toolkit does, and breaks
// "::" so no part of it reads as a command separator.
func escapeData(s string) string {
	s = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(report.Sanitize(s))
	return breakSeparators(s)
}

// escapeProperty escapes a command property value (file, title…), where ":"
// and "," are also syntax. The value is otherwise kept as is: a file
// property must name the real path for GitHub to place the annotation.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// breakSeparators puts a zero-width space between two colons: a reader sees
// the same text, the runner sees no command.
func breakSeparators(s string) string {
	for strings.Contains(s, "::") {
		s = strings.ReplaceAll(s, "::", ":\u200b:")
	}
	return s
}

// maxAnnotations bounds annotations per run: GitHub shows at most 10 of
// each level per step and 50 per job, and the SARIF upload has them all.
const maxAnnotations = 50

// annotationLevel maps severity to GitHub's annotation levels.
func annotationLevel(s finding.Severity) string {
	switch s {
	case finding.P1, finding.P2:
		return "error"
	case finding.P3:
		return "warning"
	}
	return "notice"
}

// Annotation formats one finding as a workflow command.
func Annotation(f *finding.Finding) string {
	props := []string{"file=" + escapeProperty(f.Path)}
	if f.StartLine > 0 {
		props = append(props, fmt.Sprintf("line=%d", f.StartLine))
		if f.EndLine > f.StartLine {
			props = append(props, fmt.Sprintf("endLine=%d", f.EndLine))
		}
	}
	title := fmt.Sprintf("aiguard %s %s: %s", f.Severity, f.Category, f.Title)
	props = append(props, "title="+escapeProperty(report.Sanitize(title)))
	return "::" + annotationLevel(f.Severity) + " " + strings.Join(props, ",") + "::" + escapeData(report.ResultMessage(f))
}

// writeAnnotations writes the most severe findings first.
func writeAnnotations(w io.Writer, fs []finding.Finding) (int, error) {
	order := make([]*finding.Finding, len(fs))
	for i := range fs {
		order[i] = &fs[i]
	}
	sort.SliceStable(order, func(i, j int) bool { return rank(order[i].Severity) < rank(order[j].Severity) })
	n := min(len(order), maxAnnotations)
	for _, f := range order[:n] {
		if _, err := fmt.Fprintln(w, Annotation(f)); err != nil {
			return 0, err
		}
	}
	return len(order) - n, nil
}

// rank orders unclassified findings last.
func rank(s finding.Severity) int {
	if s == finding.Unclassified {
		return 99
	}
	return int(s)
}

// Command formats a workflow command without properties.
func Command(name, message string) string {
	return "::" + name + "::" + escapeData(message)
}

// randomToken is an unguessable marker for output delimiters and for
// stop-commands, so repository content cannot close either early.
func randomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

// Output is one step output.
type Output struct{ Name, Value string }

// FormatOutputs writes outputs in the GITHUB_OUTPUT file syntax, each in
// the multi-line form with a delimiter that does not occur in its value.
func FormatOutputs(outs []Output) string {
	var b strings.Builder
	for _, o := range outs {
		delim := "ghadelimiter_" + randomToken()
		for strings.Contains(o.Value, delim) {
			delim = "ghadelimiter_" + randomToken()
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, delim, o.Value, delim)
	}
	return b.String()
}

// appendFile appends to a runner file command path (GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY).
func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("cannot open %s: %v", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	return f.Close()
}

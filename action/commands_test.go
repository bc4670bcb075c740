package action

import (
	"bufio"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/finding"
)

// parseCommand splits a workflow command line as the runner does: "::",
// the name and properties up to the next "::", then the message.
func parseCommand(t *testing.T, line string) (name string, props map[string]string, msg string) {
	t.Helper()
	if !strings.HasPrefix(line, "::") {
		t.Fatalf("not a command: %q", line)
	}
	head, msg, ok := strings.Cut(line[2:], "::")
	if !ok {
		t.Fatalf("no message separator: %q", line)
	}
	name, rawProps, _ := strings.Cut(head, " ")
	props = map[string]string{}
	if rawProps != "" {
		for _, kv := range strings.Split(rawProps, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("property %q has no value in %q", kv, line)
			}
			props[k] = unescapeProperty(v)
		}
	}
	return name, props, unescapeData(msg)
}

func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func unescapeProperty(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestAnnotationEscaping(t *testing.T) {
	f := finding.Finding{
		Path:      "dir,x/we:ird%0A\nname.go",
		StartLine: 3, EndLine: 4,
		Severity: finding.P1, Category: finding.CredentialLeak,
		Title:   "Key, with: colons %25",
		RuleID:  "r",
		Message: "found\r\n::set-output name=pwned::1\n::stop-commands::x in 50% of ::::cases",
	}
	line := Annotation(&f)
	if strings.ContainsAny(line, "\r\n") {
		t.Fatalf("annotation spans lines: %q", line)
	}
	if n := strings.Count(line, "::"); n != 2 {
		t.Errorf("annotation has %d '::' separators, want 2: %q", n, line)
	}
	name, props, msg := parseCommand(t, line)
	if name != "error" {
		t.Errorf("level %q, want error for P1", name)
	}
	// The path survives the round trip exactly, so GitHub can place it.
	if props["file"] != f.Path || props["line"] != "3" || props["endLine"] != "4" {
		t.Errorf("properties %q", props)
	}
	if props["title"] != "aiguard P1 CL: Key, with: colons %25" {
		t.Errorf("title %q", props["title"])
	}
	if strings.Contains(msg, "::") || !strings.Contains(msg, "50%") || !strings.Contains(msg, "set-output name=pwned") {
		t.Errorf("message %q", msg)
	}
	if got := annotationLevel(finding.P3) + annotationLevel(finding.P4); got != "warningnotice" {
		t.Errorf("levels %q", got)
	}
}

func TestAnnotationsAreBoundedAndMostSevereFirst(t *testing.T) {
	var fs []finding.Finding
	for i := range 60 {
		fs = append(fs, finding.Finding{Path: "a.go", StartLine: i + 1, Severity: finding.P4, RuleID: "low"})
	}
	fs = append(fs, finding.Finding{Path: "b.go", StartLine: 1, Severity: finding.P1, RuleID: "high"})
	var b strings.Builder
	omitted, err := writeAnnotations(&b, fs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != maxAnnotations || omitted != len(fs)-maxAnnotations {
		t.Errorf("%d annotations, %d omitted", len(lines), omitted)
	}
	if !strings.HasPrefix(lines[0], "::error file=b.go") {
		t.Errorf("first annotation %q, want the P1", lines[0])
	}
}

// parseOutputs reads a GITHUB_OUTPUT file as the runner does.
func parseOutputs(t *testing.T, data string) map[string]string {
	t.Helper()
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok {
			var val []string
			closed := false
			for sc.Scan() {
				if sc.Text() == delim {
					closed = true
					break
				}
				val = append(val, sc.Text())
			}
			if !closed {
				t.Fatalf("output %s: delimiter %q never closes", name, delim)
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("bad output line %q", line)
		}
		out[name] = val
	}
	return out
}

func TestFormatOutputsRoundTrips(t *testing.T) {
	hostile := "a\nghadelimiter_x\nblocked<<EOF\nfalse\nEOF\nz"
	outs := []Output{{"incident-ids", "AIENG-2026-0001,AIENG-2026-0002"}, {"sarif-file", hostile}, {"blocked", "true"}, {"max-severity", ""}}
	got := parseOutputs(t, FormatOutputs(outs))
	for _, o := range outs {
		if got[o.Name] != o.Value {
			t.Errorf("output %s = %q, want %q", o.Name, got[o.Name], o.Value)
		}
	}
	if len(got) != len(outs) {
		t.Errorf("got %d outputs, want %d: %q", len(got), len(outs), got)
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aiguard/aiguard/finding"
)

var runnerCommand = regexp.MustCompile(`(?m)^\s*::|##\[`)

// FuzzWriters builds a report from arbitrary repository-controlled text
// (path, rule id, title, message, redacted form, fix, commit author and
// subject) and checks every writer: SARIF validates against the 2.1.0
// schema, JSON round-trips, and the text report carries no terminal escape
// or workflow command whatever the input.
func FuzzWriters(f *testing.F) {
	f.Add("src/app.py", "generic-api-key", "Title", "msg", "ab****(20 chars)", "fix it\nnow", "Dev", "subject", 3)
	f.Add("::set-output name=x::y", "##[add-mask]r", "\x1b[2J", "<img src=x>", "@admin", "\n::error::x", "::warning::a", "\u202e", -1)
	f.Add("dir with space/%41.env", "", "", "", "", "", "", "", 0)
	f.Add("../../etc/passwd", "r", "t", "m", "\xff\xfe", "", "", "", 1<<30)
	schema, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path, rule, title, msg, redacted, fix, author, subject string, line int) {
		fd := finding.Finding{RuleID: rule, Title: title, Detector: "fuzz", Category: finding.CredentialLeak, Class: "specific",
			Severity: finding.P1, Path: path, StartLine: line, EndLine: line, Message: msg, Redacted: redacted,
			Fingerprint: finding.Fingerprint(rule, path, msg), Confidence: finding.High, Fix: fix, Tags: []string{"CWE-798"},
			Commit: &finding.Commit{SHA: strings.Repeat("a", 40), Author: author, Subject: subject, Date: time.Unix(0, 0)}}
		rep := &Report{Schema: SchemaVersion, Tool: Tool{Name: "aiguard", Version: "test"}, Findings: []finding.Finding{fd},
			Skipped: nil, Errors: []string{msg}}
		rep.Summarise(finding.P4, 0)

		var sarif bytes.Buffer
		if err := WriteSARIF(&sarif, rep); err != nil {
			t.Fatalf("WriteSARIF: %v", err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(sarif.Bytes()))
		if err != nil {
			t.Fatalf("SARIF is not JSON: %v", err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("SARIF does not validate: %v", err)
		}

		var js bytes.Buffer
		if err := WriteJSON(&js, rep); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		var back Report
		if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Findings) != 1 {
			t.Errorf("JSON report does not round-trip: %v", err)
		}

		var text bytes.Buffer
		if err := WriteText(&text, rep, TextOptions{}); err != nil {
			t.Fatalf("WriteText: %v", err)
		}
		if m := runnerCommand.FindString(text.String()); m != "" {
			t.Errorf("text report carries a workflow command %q:\n%s", m, text.String())
		}
		if strings.ContainsAny(text.String(), "\x1b\r\u202e") {
			t.Errorf("text report carries control characters:\n%q", text.String())
		}
	})
}

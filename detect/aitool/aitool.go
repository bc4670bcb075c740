// Package aitool names the AI coding assistant a commit declares, for the
// playbook's first-report question "which AI tool was involved". Evidence is
// limited to what a tool itself writes and a person cannot plausibly share:
// e-mail addresses, GitHub bot accounts, fixed message markers and explicit
// Assisted-by style trailers. A display name alone ("Devin", "Claude") is
// never enough, because people carry those names too.
package aitool

import (
	"regexp"
	"strings"

	"github.com/aiguard/aiguard/finding"
)

// Display names of the tools, shared by every kind of evidence.
const (
	claudeCode   = "Claude Code"
	copilot      = "GitHub Copilot"
	copilotAgent = "GitHub Copilot coding agent"
	cursor       = "Cursor"
	aider        = "Aider"
	codex        = "OpenAI Codex"
	devin        = "Devin"
	jules        = "Jules"
	geminiAssist = "Gemini Code Assist"
	geminiCLI    = "Gemini CLI"
	gemini       = "Gemini"
	amazonQ      = "Amazon Q Developer"
	replit       = "Replit Agent"
)

// emails are fixed addresses the tools commit or co-author with.
var emails = map[string]string{
	"noreply@anthropic.com":  claudeCode,
	"cursoragent@cursor.com": cursor,
	"aider@aider.chat":       aider,
	"noreply@aider.chat":     aider,
	"noreply@openai.com":     codex,
	"codex@openai.com":       codex,
	"noreply@replit.com":     replit,
	"agent@replit.com":       replit,
	"copilot@github.com":     copilot,
	// The trailers Gemini CLI and Amazon Q Developer are told to write.
	"noreply@google.com":     gemini,
	"noreply@aws.amazon.com": amazonQ,
}

// githubLogins are GitHub accounts (bots, and the Copilot user) whose
// <id>+<login>@users.noreply.github.com address or login marks the tool.
var githubLogins = map[string]string{
	"copilot":                      copilot,
	"copilot-swe-agent[bot]":       copilotAgent,
	"claude[bot]":                  claudeCode,
	"devin-ai-integration[bot]":    devin,
	"google-labs-jules[bot]":       jules,
	"gemini-code-assist[bot]":      geminiAssist,
	"gemini-cli[bot]":              geminiCLI,
	"amazon-q-developer[bot]":      amazonQ,
	"chatgpt-codex-connector[bot]": codex,
}

// copilotAgentID is the numeric id GitHub gives the Copilot coding agent's
// commits (198982749+Copilot@users.noreply.github.com); other ids on the
// Copilot login come from chat and the CLI.
const copilotAgentID = "198982749"

// aliases map the free-text tool names people write in Assisted-by style
// trailers, which are explicit declarations and so may be matched by name.
var aliases = []struct{ prefix, name string }{
	{"claude code", claudeCode},
	{"claude", "Claude"},
	{"github copilot", copilot},
	{"copilot", copilot},
	{"cursor", cursor},
	{"aider", aider},
	{"openai codex", codex},
	{"codex", codex},
	{"chatgpt", "ChatGPT"},
	{"devin", devin},
	{"jules", jules},
	{"gemini code assist", geminiAssist},
	{"gemini cli", geminiCLI},
	{"gemini", gemini},
	{"amazon q", amazonQ},
	{"replit", replit},
}

// declareKeys are trailer keys whose value names the tool outright.
var declareKeys = map[string]bool{
	"assisted-by":    true,
	"generated-by":   true,
	"ai-assisted-by": true,
	"ai-tool":        true,
	"made-with":      true,
	"coding-agent":   true,
}

var (
	claudeMarker  = regexp.MustCompile(`(?i)generated with \[?claude code\]?`)
	amazonQMarker = regexp.MustCompile(`(?i)generated with amazon q developer`)
	devinMarker   = regexp.MustCompile(`(?i)generated with \[devin\]\(https://devin\.ai`)
	aiderSubject  = regexp.MustCompile(`^aider: `)
	// Aider appends " (aider)" to the author and committer names it uses.
	aiderName   = regexp.MustCompile(`\(aider\)\s*$`)
	angleEmail  = regexp.MustCompile(`<([^<>@\s]+@[^<>\s]+)>`)
	githubNoRep = regexp.MustCompile(`^(?:(\d+)\+)?([^@]+)@users\.noreply\.github\.com$`)
)

// Identify returns the display name of the AI tool c declares, several
// joined by ", " in the order found, or "" when nothing is declared. Callers
// report "" as "not declared": no marker does not mean no assistant.
func Identify(c *finding.Commit) string {
	if c == nil {
		return ""
	}
	var found []string
	add := func(name string) {
		if name == "" {
			return
		}
		for _, f := range found {
			if f == name {
				return
			}
		}
		found = append(found, name)
	}
	trailers := c.Trailers
	if len(trailers) == 0 {
		trailers = ParseTrailers(c.Message)
	}
	for _, t := range trailers {
		add(fromTrailer(t))
	}
	// Tools also write their lines where git would not parse a trailer
	// block (after a marker line, or mid-body); GitHub still credits them.
	for _, l := range bodyLines(c.Message) {
		if k, v, ok := splitTrailer(strings.TrimSpace(l)); ok {
			add(fromTrailer(finding.Trailer{Key: k, Value: v}))
		}
	}
	add(fromAccount(c.Author, c.AuthorEmail))
	add(fromAccount(c.Committer, c.CommitterEmail))
	msg := c.Message
	if msg == "" {
		msg = c.Subject
	}
	if claudeMarker.MatchString(msg) {
		add(claudeCode)
	}
	if amazonQMarker.MatchString(msg) {
		add(amazonQ)
	}
	if devinMarker.MatchString(msg) {
		add(devin)
	}
	if aiderSubject.MatchString(msg) {
		add(aider)
	}
	return strings.Join(found, ", ")
}

func fromTrailer(t finding.Trailer) string {
	key := strings.ToLower(t.Key)
	switch {
	case key == "co-authored-by":
		if m := angleEmail.FindStringSubmatch(t.Value); m != nil {
			return fromEmail(m[1])
		}
	case key == "replit-commit-author":
		if v := strings.ToLower(strings.TrimSpace(t.Value)); v == "agent" || v == "assistant" {
			return replit
		}
	case declareKeys[key]:
		return fromDeclared(t.Value)
	}
	return ""
}

// fromAccount reads an author or committer identity: the address, or a
// GitHub bot login used as the name (a name with "[bot]" is an account,
// never a person), or Aider's "(aider)" name suffix.
func fromAccount(name, email string) string {
	if n := fromEmail(email); n != "" {
		return n
	}
	lname := strings.ToLower(strings.TrimSpace(name))
	if strings.HasSuffix(lname, "[bot]") {
		return githubLogins[lname]
	}
	if aiderName.MatchString(lname) {
		return aider
	}
	return ""
}

func fromEmail(addr string) string {
	addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>"))
	if n, ok := emails[addr]; ok {
		return n
	}
	m := githubNoRep.FindStringSubmatch(addr)
	if m == nil {
		return ""
	}
	if m[2] == "copilot" && m[1] == copilotAgentID {
		return copilotAgent
	}
	return githubLogins[m[2]]
}

// fromDeclared names the tool in an explicit declaration such as
// "Assisted-by: Claude:claude-opus-4 [git]" or "Generated-by: Cursor".
// An address in the value is authoritative; otherwise a known name is
// normalised and an unknown one is reported as written, without any
// address, model suffix or stray punctuation.
func fromDeclared(v string) string {
	if m := angleEmail.FindStringSubmatch(v); m != nil {
		if n := fromEmail(m[1]); n != "" {
			return n
		}
	}
	if i := strings.IndexAny(v, "<(:[;,"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	lv := strings.ToLower(v)
	for _, a := range aliases {
		if strings.HasPrefix(lv, a.prefix) && (len(lv) == len(a.prefix) || !isWordByte(lv[len(a.prefix)])) {
			return a.name
		}
	}
	if v == "" || strings.Contains(v, "@") {
		return ""
	}
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40])
	}
	return v
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z'
}

// bodyLines returns the lines after the title paragraph.
func bodyLines(message string) []string {
	message = strings.ReplaceAll(message, "\r\n", "\n")
	i := strings.Index(message, "\n\n")
	if i < 0 {
		return nil
	}
	return strings.Split(message[i+2:], "\n")
}

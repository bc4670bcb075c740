package aitool

import (
	"reflect"
	"testing"

	"github.com/aiguard/aiguard/finding"
)

func TestIdentify(t *testing.T) {
	human := func(c finding.Commit) finding.Commit {
		if c.Author == "" {
			c.Author, c.AuthorEmail = "Dana Lee", "dana@example.com"
		}
		if c.Committer == "" {
			c.Committer, c.CommitterEmail = c.Author, c.AuthorEmail
		}
		return c
	}
	cases := []struct {
		name string
		c    finding.Commit
		want string
	}{
		{"claude code co-author", finding.Commit{Message: "Fix parser\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"}, "Claude Code"},
		{"claude code footer only", finding.Commit{Message: "Fix parser\n\n\U0001F916 Generated with [Claude Code](https://claude.com/claude-code)\n"}, "Claude Code"},
		{"claude github action bot", finding.Commit{Author: "claude[bot]", AuthorEmail: "209825114+claude[bot]@users.noreply.github.com", Message: "x"}, "Claude Code"},
		{"copilot coding agent author", finding.Commit{Author: "copilot-swe-agent[bot]", AuthorEmail: "198982749+Copilot@users.noreply.github.com", Message: "Initial plan"}, "GitHub Copilot coding agent"},
		{"copilot coding agent bot name only", finding.Commit{Author: "copilot-swe-agent[bot]", AuthorEmail: "unknown@example.com", Message: "x"}, "GitHub Copilot coding agent"},
		{"copilot cli co-author", finding.Commit{Message: "feat: x\n\nCo-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>"}, "GitHub Copilot"},
		{"cursor agent author", finding.Commit{Author: "Cursor Agent", AuthorEmail: "cursoragent@cursor.com", Message: "x"}, "Cursor"},
		{"cursor co-author", finding.Commit{Message: "x\n\nCo-authored-by: Cursor <cursoragent@cursor.com>"}, "Cursor"},
		{"cursor made-with", finding.Commit{Message: "x\n\nMade-with: Cursor"}, "Cursor"},
		{"aider subject prefix", finding.Commit{Message: "aider: Add login endpoint"}, "Aider"},
		{"aider co-author", finding.Commit{Message: "Add login\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>"}, "Aider"},
		{"aider noreply co-author", finding.Commit{Message: "Add login\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>"}, "Aider"},
		{"aider author suffix", finding.Commit{Author: "Dana Lee (aider)", AuthorEmail: "dana@example.com", Message: "x"}, "Aider"},
		{"codex connector bot", finding.Commit{Author: "chatgpt-codex-connector[bot]", AuthorEmail: "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", Message: "x"}, "OpenAI Codex"},
		{"codex cli co-author", finding.Commit{Message: "x\n\nCo-authored-by: Codex <noreply@openai.com>"}, "OpenAI Codex"},
		{"devin bot co-author", finding.Commit{Message: "x\n\nGenerated with [Devin](https://devin.ai)\n\nCo-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>"}, "Devin"},
		{"jules author", finding.Commit{Author: "google-labs-jules[bot]", AuthorEmail: "161369871+google-labs-jules[bot]@users.noreply.github.com", Message: "x"}, "Jules"},
		{"jules committer only", human(finding.Commit{Committer: "google-labs-jules[bot]", CommitterEmail: "161369871+google-labs-jules[bot]@users.noreply.github.com", Message: "x"}), "Jules"},
		{"gemini code assist", finding.Commit{Message: "x\n\nCo-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>"}, "Gemini Code Assist"},
		{"amazon q", finding.Commit{Author: "amazon-q-developer[bot]", AuthorEmail: "208079219+amazon-q-developer[bot]@users.noreply.github.com", Message: "x"}, "Amazon Q Developer"},
		{"gemini cli co-author", human(finding.Commit{Message: "x\n\nCo-Authored-By: Gemini <noreply@google.com>"}), "Gemini"},
		{"amazon q co-author and marker", human(finding.Commit{Message: "x\n\n\U0001F916 Generated with Amazon Q Developer\nCo-Authored-By: Amazon Q Developer <noreply@aws.amazon.com>"}), "Amazon Q Developer"},
		{"co-author outside a trailer block", human(finding.Commit{Message: "x\n\nSome text.\nCo-authored-by: Cursor <cursoragent@cursor.com>\nmore text"}), "Cursor"},
		{"amazon q marker only", human(finding.Commit{Message: "x\n\nGenerated with Amazon Q Developer"}), "Amazon Q Developer"},
		{"replit trailer", human(finding.Commit{Message: "Add page\n\nReplit-Commit-Author: Agent\nReplit-Commit-Session-Id: 1234"}), "Replit Agent"},
		{"replit address", finding.Commit{Author: "Replit Agent", AuthorEmail: "noreply@replit.com", Message: "x"}, "Replit Agent"},
		{"assisted-by kernel form", human(finding.Commit{Message: "mm: fix\n\nAssisted-by: Claude:claude-opus-4 coccinelle\nSigned-off-by: Dana Lee <dana@example.com>"}), "Claude"},
		{"assisted-by unknown tool", human(finding.Commit{Message: "fix\n\nAssisted-by: Zed Agent <bot@zed.example>"}), "Zed Agent"},
		{"generated-by", human(finding.Commit{Message: "fix\n\nGenerated-by: GitHub Copilot Chat"}), "GitHub Copilot"},
		{"pre-parsed trailers win", human(finding.Commit{Message: "no trailers here", Trailers: []finding.Trailer{{Key: "Co-authored-by", Value: "Cursor <cursoragent@cursor.com>"}}}), "Cursor"},
		{"two tools", human(finding.Commit{Message: "x\n\nCo-authored-by: Claude <noreply@anthropic.com>\nCo-authored-by: Cursor <cursoragent@cursor.com>"}), "Claude Code, Cursor"},

		// Negatives: names alone, humans, mentions outside trailers.
		{"human named Devin", finding.Commit{Author: "Devin Smith", AuthorEmail: "devin@example.com", Message: "Fix login"}, ""},
		{"human co-author named Claude", human(finding.Commit{Message: "x\n\nCo-authored-by: Claude Martin <claude.martin@example.com>"}), ""},
		{"co-author named Copilot with private address", human(finding.Commit{Message: "x\n\nCo-authored-by: Copilot <copilot@example.org>"}), ""},
		{"plain human commit", human(finding.Commit{Message: "Refactor config loader\n\nSigned-off-by: Dana Lee <dana@example.com>"}), ""},
		{"tool mentioned in body", human(finding.Commit{Message: "Document how to use Cursor and Claude Code\n\nWe mention noreply@anthropic.com in prose only."}), ""},
		{"aider word not prefix", human(finding.Commit{Message: "Add aider: config docs"}), ""},
		{"other bot", finding.Commit{Author: "dependabot[bot]", AuthorEmail: "49699333+dependabot[bot]@users.noreply.github.com", Message: "Bump x"}, ""},
		{"human github noreply", human(finding.Commit{Author: "Jules Verne", AuthorEmail: "12345+julesverne@users.noreply.github.com", Message: "x"}), ""},
		{"replit user not agent", human(finding.Commit{Message: "x\n\nReplit-Commit-Author: Deployment"}), ""},
		{"trailer-like line in title only", human(finding.Commit{Message: "Co-authored-by: Claude <noreply@anthropic.com>"}), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			if got := Identify(&c); got != tc.want {
				t.Errorf("Identify = %q, want %q", got, tc.want)
			}
		})
	}
	if got := Identify(nil); got != "" {
		t.Errorf("Identify(nil) = %q", got)
	}
}

func TestParseTrailers(t *testing.T) {
	tr := func(kv ...string) []finding.Trailer {
		var out []finding.Trailer
		for i := 0; i < len(kv); i += 2 {
			out = append(out, finding.Trailer{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	cases := []struct {
		name, msg string
		want      []finding.Trailer
	}{
		{"simple", "Subject\n\nBody text.\n\nSigned-off-by: A <a@x>\nCo-authored-by: B <b@x>\n", tr("Signed-off-by", "A <a@x>", "Co-authored-by", "B <b@x>")},
		{"title only", "Fix: the thing", nil},
		{"body not trailers", "Subject\n\nThis fixes: the bug in\nthe parser.", nil},
		{"continuation", "S\n\nKey: first\n  second\nOther: v", tr("Key", "first second", "Other", "v")},
		{"mixed with signed-off-by", "S\n\nsome note\nSigned-off-by: A <a@x>\nAcked-by: C <c@x>", tr("Signed-off-by", "A <a@x>", "Acked-by", "C <c@x>")},
		{"mixed without git trailer", "S\n\nsome note\nAcked-by: C <c@x>", nil},
		{"too much prose for git trailer", "S\n\nline one\nline two\nline three\nline four\nSigned-off-by: A <a@x>", nil},
		{"trailing blank lines and comments", "S\n\nReviewed-by: R\n\n# Please enter the commit message\n", tr("Reviewed-by", "R")},
		{"crlf", "S\r\n\r\nAssisted-by: Cursor\r\n", tr("Assisted-by", "Cursor")},
		{"space before colon", "S\n\nFixes : #12", tr("Fixes", "#12")},
		{"patch divider", "S\n\nAcked-by: C\n---\n a | 1 +", tr("Acked-by", "C")},
		{"last paragraph only", "S\n\nFirst-key: v\n\nprose at the end", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseTrailers(tc.msg); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseTrailers = %#v, want %#v", got, tc.want)
			}
		})
	}
}

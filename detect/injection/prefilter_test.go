package injection

import (
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
)

// TestScanWordsNecessary checks the promise the pre-filter makes: whenever
// a passage matches the override rule or the assistant cue, scanWords says
// so for the passage and, for prose, for the whole file it came from. The texts mix
// the rules' vocabulary with what normalise removes or folds (case,
// invisible characters, U+0130 and U+212A, typographic apostrophes) and
// with comment markers and line breaks between the words.
func TestScanWordsNecessary(t *testing.T) {
	vocab := []string{
		"ignore", "Ignore", "IGNORE", "disregard", "forget", "override", "bypass", "abandon", "follow", "following",
		"all", "any", "the", "your", "of", "these", "previous", "prior", "system", "safety", "security", "instructions",
		"guidelines", "rules", "programming", "training", "other", "everything", "above", "before", "previously",
		"do not", "don't", "don\u2019t", "stop", "you", "you've been told", "are", "now", "dan", "developer mode",
		"ai", "AI", "a.i.", "a", "i", "assistant", "agents", "llm", "language", "model", "models", "copilot",
		"claude", "cursor", "gpt-4", "gpt4", "chatgpt", "codex", "cline", "jules", "aider",
		"user", "agent", "user agent", "user-agent", "useragent", "ssh-agent", "build", "ci",
		"forget all", "ignore all the", "you are now", "results", "whitespace", "x", "error", "\u0130gnore", "ig\u200bnore", "a\u200bi", "\u212a", "ta\u212ae",
	}
	seps := []string{" ", " ", " ", "  ", "\t", "\n// ", "\n", "\n# ", "\u00a0", "\u200b", "", ".", "-", "_", "'", "\u2019", ", ", "2"}
	ignore := rules[0].re
	check := func(text string) {
		whole := scanWords(text, hasOverride|hasCue)
		for _, kind := range []fileKind{kindCode, kindProse} {
			path := map[fileKind]string{kindCode: "x.go", kindProse: "x.md"}[kind]
			frag := detect.NewTreeFragment(path, text)
			kept := map[string]bool{}
			for _, p := range passages(frag, kind, true) {
				kept[p.text] = true
			}
			for _, p := range passages(frag, kind, false) {
				override := ignore.MatchString(p.text)
				// Code files are not pre-filtered as a whole: their
				// passages are all comments, found without reading code.
				whole := whole | map[fileKind]wordFlags{kindCode: hasOverride | hasCue}[kind]
				if override && (whole&hasOverride == 0 || scanWords(p.text, hasOverride)&hasOverride == 0) {
					t.Fatalf("override %q (passage %q) not seen", text, p.text)
				}
				cue := assistantCue.MatchString(notAgents.Replace(p.text))
				if cue && (whole&hasCue == 0 || scanWords(p.text, hasCue)&hasCue == 0) {
					t.Fatalf("cue %q (passage %q) not seen", text, p.text)
				}
				if (override || cue) && !kept[p.text] {
					t.Fatalf("passage %q of %q sifted out", p.text, text)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	overrides, cues := 0, 0
	for range 30000 {
		var b strings.Builder
		b.WriteString("// ")
		for n := 1 + rng.IntN(6); n > 0; n-- {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		text := b.String()
		check(text)
		if f := scanWords(text, hasOverride|hasCue); f&hasOverride != 0 {
			overrides++
		} else if f&hasCue != 0 {
			cues++
		}
	}
	// The generator must reach both kinds of word, or the test proves nothing.
	if overrides < 100 || cues < 100 {
		t.Fatalf("generator too weak: %d overrides, %d cues", overrides, cues)
	}
	for _, tc := range cases() {
		check(tc.text)
		check("// " + strings.ReplaceAll(tc.text, "\n", "\n// "))
	}
}

// TestScanWordsQuiet keeps the pre-filter selective: ordinary code and
// prose, including the words it looks for in other senses, are ruled out.
func TestScanWordsQuiet(t *testing.T) {
	for _, text := range []string{
		"// ignore the error: the file may not exist\nfunc f() {}\n",
		"# Follow the steps below. Override the default with -o.\n",
		"The user agent header is optional.\n",
		"func (c *Cursor) Next() bool { return c.i < len(c.rows) }\n",
	} {
		want := wordFlags(0)
		if strings.Contains(strings.ToLower(text), "cursor") || strings.Contains(strings.ToLower(text), "agent") {
			want = hasCue
		}
		if got := scanWords(text, hasOverride|hasCue); got != want {
			t.Errorf("%q: got %b, want %b", text, got, want)
		}
	}
}

// TestRangesMatchNames keeps the fast isBidi/isZeroWidth in step with the
// name tables used in messages.
func TestRangesMatchNames(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		_, b := bidiNames[r]
		_, z := zeroWidthNames[r]
		if b != isBidi(r) || z != isZeroWidth(r) {
			t.Fatalf("%U: bidi %v/%v zero-width %v/%v", r, b, isBidi(r), z, isZeroWidth(r))
		}
	}
}

// TestCodeLinesSkipsOnlyCode checks the shortcut passages takes through
// code against what it stands for: every line codeLines steps over must be
// one commentText rejects and that holds no docstring quotes.
func TestCodeLinesSkipsOnlyCode(t *testing.T) {
	parts := []string{
		"x", " ", "\t", "\u00a0", "\u3000", "\v", "/", "//", "/*", "*", "#", " # ", "<", "<!--", "-", "--", ";", "%",
		"'", "'''", "\"", `"""`, "a = 1", "é", "\r", "\n", "\n", "\n",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		var b strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		text := b.String()
		c := newCodeLines(text)
		for pos := 0; pos < len(text); {
			next := c.skip(pos)
			for _, line := range strings.Split(text[pos:next], "\n") {
				if _, ok := commentText(line); ok || strings.Contains(line, `"""`) || strings.Contains(line, "'''") {
					t.Fatalf("%q: skipped line %q", text, line)
				}
			}
			// Step over the line skip stopped at, as passages does.
			i := strings.IndexByte(text[next:], '\n')
			if i < 0 {
				break
			}
			pos = next + i + 1
		}
	}
}

// TestMatchAnyPlain checks the prepared agent file patterns against
// path.Match applied to every pattern as configured.
func TestMatchAnyPlain(t *testing.T) {
	plain := func(p string, patterns []string) bool {
		for _, pat := range patterns {
			switch {
			case strings.HasSuffix(pat, "/"):
				if strings.HasPrefix(p, pat) || strings.Contains(p, "/"+pat) {
					return true
				}
			case strings.Contains(pat, "/"):
				if ok, _ := path.Match(pat, p); ok || p == pat || strings.HasSuffix(p, "/"+pat) {
					return true
				}
			default:
				if ok, _ := path.Match(pat, path.Base(p)); ok {
					return true
				}
			}
		}
		return false
	}
	extra := []string{"*.prompt", "docs/ai/*.md", "notes/", "a[b", "docs/a[b", `x\*y`, "team/RULES.md"}
	pats := slices.Concat(agentPatterns, extra)
	prepared := compilePatterns(pats)
	parts := slices.Concat(pats, []string{"src", "main.go", "a", "b", "x*y", "", ".", "ai", "rules.md", "prompt"})
	for _, p := range pats {
		parts = append(parts, strings.ToLower(p))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		var segs []string
		for n := 1 + rng.IntN(4); n > 0; n-- {
			segs = append(segs, parts[rng.IntN(len(parts))])
		}
		p := path.Clean(strings.Join(segs, "/"))
		if got, want := matchAny(p, prepared), plain(p, pats); got != want {
			t.Fatalf("%q: got %v, want %v", p, got, want)
		}
	}
}

// Package injection finds prompt injection aimed at AI coding assistants
// (playbook category SC, Playbook D): text hidden with invisible Unicode,
// instructions planted in the files assistants load automatically, and
// configuration that hands assistants new powers (hooks, MCP servers).
//
// Classes, which package classify maps to severities:
//   - hidden-instruction: Unicode tag characters anywhere; bidirectional
//     controls or zero-width runs in an agent file, where they hide text
//     from the human reviewing what the assistant will read.
//   - planted-instruction: a recognised attack instruction in an agent file.
//   - suspicious-instruction: the same instructions in comments or docs
//     elsewhere, and Trojan Source style bidi / zero-width characters in
//     code, visible to a careful reviewer but meant to mislead.
//   - agent-power: a new hook command or MCP server, or a setting that lets
//     the assistant act without asking.
package injection

import (
	"context"
	"path"
	"slices"
	"strings"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Name is the detector's name in findings and configuration.
const Name = "injection"

// Classes of finding, the policy's SC vocabulary.
const (
	ClassHidden     = "hidden-instruction"
	ClassPlanted    = "planted-instruction"
	ClassSuspicious = "suspicious-instruction"
	ClassAgentPower = "agent-power"
)

// Tags shared by findings: CWE-1427 is prompt injection into an LLM,
// CVE-2021-42574 is Trojan Source.
const (
	cwePrompt = "CWE-1427"
	cweHidden = "CWE-451"
)

// Detector implements detect.Detector. Apart from a cache behind a lock it
// holds only read-only state after New, so it is safe for concurrent use.
type Detector struct {
	agentFiles   []pathPattern
	trustedHosts map[string]bool
	allowServers map[string]bool
	quiet        *quietCache
}

var _ detect.Detector = (*Detector)(nil)

// New returns a detector configured by opts.
func New(opts config.Injection) *Detector {
	d := &Detector{
		agentFiles:   compilePatterns(slices.Concat(agentPatterns, opts.AgentFiles)),
		trustedHosts: map[string]bool{},
		allowServers: map[string]bool{},
		quiet:        &quietCache{},
	}
	for _, h := range defaultTrustedHosts {
		d.trustedHosts[h] = true
	}
	for _, h := range opts.TrustedHosts {
		d.trustedHosts[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for _, s := range opts.AllowMCPServers {
		d.allowServers[s] = true
	}
	return d
}

// Name implements detect.Detector.
func (d *Detector) Name() string { return Name }

// Detect implements detect.Detector.
func (d *Detector) Detect(ctx context.Context, frag *detect.Fragment) ([]finding.Finding, error) {
	if frag == nil || frag.Text == "" && !isPowerConfig(frag.Path) {
		return nil, nil
	}
	kind := d.kindOf(frag.Path)
	var out []finding.Finding
	if hasInvisibleLead(frag.Text) {
		out = append(out, scanUnicode(frag, kind)...)
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	found, err := d.scanInstructions(ctx, frag, kind)
	out = append(out, mergeByLine(found)...)
	if err != nil {
		return out, err
	}
	if isPowerConfig(frag.Path) {
		out = append(out, d.scanPower(frag)...)
	}
	return out, nil
}

// mergeByLine makes one finding of the instruction rules that matched the
// same line: one planted sentence is one incident item, however many things
// it tells the assistant to do. The others are named in the message.
func mergeByLine(fs []finding.Finding) []finding.Finding {
	if len(fs) < 2 {
		return fs
	}
	at := map[int]int{}
	var out []finding.Finding
	also := map[int][]string{}
	for _, f := range fs {
		i, ok := at[f.StartLine]
		if !ok {
			at[f.StartLine] = len(out)
			out = append(out, f)
			continue
		}
		also[i] = append(also[i], strings.TrimPrefix(f.RuleID, "injection/"))
	}
	for i, rules := range also {
		out[i].Message += " (also matches: " + strings.Join(rules, ", ") + ")"
	}
	return out
}

// fileKind says how a file is read: by assistants as instructions, by
// people as prose (where bidi and joiners are ordinary writing), or as code.
type fileKind int

const (
	kindCode fileKind = iota
	kindProse
	kindAgent
)

// agentPatterns are the files assistants load into their context on their
// own: a directory prefix ends in "/", anything else matches the base name
// or the whole path.
var agentPatterns = []string{
	"AGENTS.md", "AGENT.md", "CLAUDE.md", "CLAUDE.local.md", "GEMINI.md",
	".cursorrules", ".windsurfrules", ".clinerules", ".roorules", ".goosehints",
	"CONVENTIONS.md", ".github/copilot-instructions.md",
	".cursor/rules/", ".github/instructions/", ".github/prompts/", ".clinerules/",
	".roo/rules/", ".kiro/steering/", ".amazonq/rules/", ".windsurf/rules/",
	".claude/commands/", ".claude/agents/", ".gemini/",
}

func (d *Detector) kindOf(p string) fileKind {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if matchAny(p, d.agentFiles) {
		return kindAgent
	}
	if isProse(p) {
		return kindProse
	}
	return kindCode
}

// pathPattern is an agent file pattern made ready for matching: kindOf
// runs on every fragment of a history.
type pathPattern struct {
	pat string
	// slashed is "/" + pat, to match the end of a path.
	slashed string
	// dir patterns end in "/"; whole patterns hold another "/" and match
	// the whole path; the others match the base name.
	dir, whole bool
	// glob patterns use path.Match syntax; the others only match themselves.
	glob bool
}

func compilePatterns(pats []string) []pathPattern {
	out := make([]pathPattern, 0, len(pats))
	for _, p := range pats {
		out = append(out, pathPattern{
			pat: p, slashed: "/" + p,
			dir: strings.HasSuffix(p, "/"), whole: strings.Contains(p, "/"),
			glob: strings.ContainsAny(p, `*?[\`),
		})
	}
	return out
}

func (pt *pathPattern) match(name string) bool {
	if !pt.glob {
		return name == pt.pat
	}
	ok, _ := path.Match(pt.pat, name)
	return ok
}

func matchAny(p string, patterns []pathPattern) bool {
	base := path.Base(p)
	for i := range patterns {
		pt := &patterns[i]
		switch {
		case pt.dir:
			if strings.HasPrefix(p, pt.pat) || strings.Contains(p, pt.slashed) {
				return true
			}
		case pt.whole:
			if p == pt.pat || strings.HasSuffix(p, pt.slashed) || pt.match(p) {
				return true
			}
		case pt.match(base):
			return true
		}
	}
	return false
}

var proseExts = map[string]bool{
	".md": true, ".markdown": true, ".mdx": true, ".mdc": true, ".txt": true, ".rst": true,
	".adoc": true, ".asciidoc": true, ".org": true, ".tex": true, ".textile": true,
	// Web pages carry text for readers, including text hidden with CSS that
	// browsing agents still read.
	".html": true, ".htm": true, ".xhtml": true,
	// Localisation catalogues hold translated sentences, so right-to-left
	// marks and script joiners are part of the text.
	".po": true, ".pot": true, ".strings": true, ".stringsdict": true, ".xliff": true,
	".xlf": true, ".resx": true, ".arb": true, ".ftl": true, ".properties": true,
}

// localeDirs are directory names, matched anywhere in a path.
var localeDirs = []string{"/locales/", "/locale/", "/i18n/", "/l10n/", "/lang/", "/langs/", "/translations/"}

func isProse(p string) bool {
	if proseExts[strings.ToLower(path.Ext(p))] {
		return true
	}
	lp := "/" + strings.ToLower(p)
	for _, dir := range localeDirs {
		if strings.Contains(lp, dir) {
			return true
		}
	}
	return false
}

// newFinding fills the fields every finding of this detector shares.
func newFinding(frag *detect.Fragment, rule, title, class string, line, col int, key string) finding.Finding {
	return finding.Finding{
		RuleID:      rule,
		Title:       title,
		Detector:    Name,
		Category:    finding.ServiceCompromise,
		Class:       class,
		Path:        frag.Path,
		StartLine:   line,
		EndLine:     line,
		StartColumn: col,
		Commit:      frag.Commit,
		Fingerprint: finding.Fingerprint(rule, frag.Path, key),
		Confidence:  finding.High,
	}
}

// safeText makes text taken from the scanned file fit for a message: no
// control or invisible characters, collapsed blanks, at most maxWords words
// and maxLen bytes. Attack payloads are shown so responders can judge them.
func safeText(s string, maxWords, maxLen int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isInvisible(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	words := strings.Fields(b.String())
	cut := false
	if len(words) > maxWords {
		words, cut = words[:maxWords], true
	}
	out := strings.Join(words, " ")
	if len(out) > maxLen {
		out = strings.ToValidUTF8(out[:maxLen], "")
		cut = true
	}
	if cut {
		out += "…"
	}
	return out
}

package secrets

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	glconfig "github.com/zricethezav/gitleaks/v8/config"
	gldetect "github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/report"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Options configure the credential detector.
type Options struct {
	// GitleaksConfig is a gitleaks TOML config; "" uses the defaults.
	GitleaksConfig string
	// GitleaksIgnore is a .gitleaksignore file; "" for none.
	GitleaksIgnore string
}

// Detector finds credentials.
type Detector struct {
	// all runs every rule over the full text, decoding as the gitleaks CLI
	// does: for texts the window cannot narrow, or every text without one.
	all *gldetect.Detector
	// Over text with nothing to decode, whole runs the rules the window
	// cannot narrow.
	whole *gldetect.Detector
	// alone[i] runs the window's rule i alone.
	alone  []ruleDetectors
	window *window
	ignore map[string]bool
}

// ruleDetectors build, on first use (most rules are never needed alone in
// a scan, and each detector costs memory), the gitleaks detectors that run
// one rule alone: over text with nothing to decode, and with decoding,
// always or only with its keywords.
type ruleDetectors struct {
	plain, decoding, gatedDecoding func() *gldetect.Detector
}

// New builds the detector. gitleaks detector construction mutates package
// state, so build one detector per scan and share it between workers
// (Detect itself is safe for concurrent use).
func New(opts Options) (*Detector, error) {
	cfg, err := LoadConfig(opts.GitleaksConfig)
	if err != nil {
		return nil, err
	}
	d := &Detector{window: newWindow(cfg), ignore: map[string]bool{}}
	d.all = newGitleaks(cfg, decodeDepth)
	if w := d.window; w != nil {
		if w.anyWhole {
			d.whole = newGitleaks(subset(cfg, func(r glconfig.Rule) bool { return w.isWhole(r.RuleID) }), 0)
		}
		for _, rw := range w.rules {
			// Mostly the window decides the rule runs: gitleaks need not
			// look for its keywords again in text that may not hold them.
			gated, on := ruleAlone(cfg, rw.id, true), ruleAlone(cfg, rw.id, false)
			d.alone = append(d.alone, ruleDetectors{
				plain:         sync.OnceValue(func() *gldetect.Detector { return newGitleaks(on, 0) }),
				decoding:      sync.OnceValue(func() *gldetect.Detector { return newGitleaks(on, decodeDepth) }),
				gatedDecoding: sync.OnceValue(func() *gldetect.Detector { return newGitleaks(gated, decodeDepth) }),
			})
		}
	}
	if opts.GitleaksIgnore != "" {
		if err := d.loadIgnore(opts.GitleaksIgnore); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// subset returns cfg with only the rules keep says to.
func subset(cfg glconfig.Config, keep func(glconfig.Rule) bool) glconfig.Config {
	sub := cfg
	sub.Rules = map[string]glconfig.Rule{}
	sub.Keywords = map[string]struct{}{}
	sub.OrderedRules = nil
	for id, r := range cfg.Rules {
		if !keep(r) {
			continue
		}
		sub.Rules[id] = r
		sub.OrderedRules = append(sub.OrderedRules, id)
		for _, k := range r.Keywords {
			sub.Keywords[strings.ToLower(k)] = struct{}{}
		}
	}
	sort.Strings(sub.OrderedRules)
	return sub
}

// ruleAlone returns cfg with rule id alone, with its keywords or without
// (gitleaks then runs it over any text).
func ruleAlone(cfg glconfig.Config, id string, keywords bool) glconfig.Config {
	r := cfg.Rules[id]
	one := cfg
	one.Keywords = map[string]struct{}{}
	if keywords {
		for _, k := range r.Keywords {
			one.Keywords[strings.ToLower(k)] = struct{}{}
		}
	} else {
		r.Keywords = nil
	}
	one.Rules, one.OrderedRules = map[string]glconfig.Rule{id: r}, []string{id}
	return one
}

// decodeDepth is how many times the gitleaks CLI decodes base64, hex and
// percent-encoding by default; match it so encoded secrets are found as it
// finds them.
const decodeDepth = 5

func newGitleaks(cfg glconfig.Config, depth int) *gldetect.Detector {
	gl := gldetect.NewDetector(cfg)
	gl.MaxDecodeDepth = depth
	return gl
}

// loadIgnore reads .gitleaksignore ourselves because gitleaks applies it only
// in its own scan loop, which we do not use.
func (d *Detector) loadIgnore(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &ConfigError{File: path, Reason: "cannot read"}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		d.ignore[strings.ReplaceAll(line, "\\", "/")] = true
	}
	return sc.Err()
}

// Name implements detect.Detector.
func (d *Detector) Name() string { return "credentials" }

// Detect implements detect.Detector.
func (d *Detector) Detect(ctx context.Context, frag *detect.Fragment) ([]finding.Finding, error) {
	//lint:ignore SA1019 DetectContext in gitleaks v8 takes only this type.
	glf := gldetect.Fragment{Raw: frag.Text, FilePath: frag.Path}
	if frag.Commit != nil {
		glf.CommitSHA = frag.Commit.SHA
	}
	var out []finding.Finding
	// One secret on one line is one finding: when several rules (or the
	// escaped and unescaped texts) match it, keep the most specific rule.
	at := map[string]int{}
	for _, text := range variants(frag) {
		glf.Raw = text
		for _, g := range d.gitleaks(ctx, glf) {
			f, ok := d.convert(frag, g)
			if !ok {
				continue
			}
			key := strconv.Itoa(f.StartLine) + "\x00" + f.Secret
			if i, dup := at[key]; dup {
				if better(f, out[i]) {
					out[i] = f
				}
				continue
			}
			at[key] = len(out)
			out = append(out, f)
		}
	}
	return out, ctx.Err()
}

// gitleaks runs the rules over glf as the gitleaks CLI would, each over only
// the text the window says it needs.
//
//lint:ignore SA1019 DetectContext in gitleaks v8 takes only this type.
func (d *Detector) gitleaks(ctx context.Context, glf gldetect.Fragment) []report.Finding {
	if d.window == nil {
		return d.all.DetectContext(ctx, glf)
	}
	n := d.window.narrow(glf.FilePath, glf.Raw)
	if n.full {
		return d.all.DetectContext(ctx, glf)
	}
	var found []report.Finding
	if n.whole {
		found = d.whole.DetectContext(ctx, glf)
	}
	for _, rt := range n.rules {
		alone := &d.alone[rt.rule]
		gl := alone.plain
		switch {
		case rt.decode && rt.gated:
			gl = alone.gatedDecoding
		case rt.decode:
			gl = alone.decoding
		}
		found = append(found, rt.detect(ctx, gl(), glf)...)
	}
	return preferSpecific(found)
}

// detect runs gl over rt's text, with findings on the lines of the full
// text.
//
//lint:ignore SA1019 DetectContext in gitleaks v8 takes only this type.
func (rt *ruleText) detect(ctx context.Context, gl *gldetect.Detector, glf gldetect.Fragment) []report.Finding {
	glf.Raw = rt.text
	found := gl.DetectContext(ctx, glf)
	for i, g := range found {
		found[i].StartLine, found[i].EndLine = rt.fullLine(g.StartLine), rt.fullLine(g.EndLine)
	}
	return found
}

// preferSpecific drops a generic rule's finding when another rule's finding
// on the same line holds its secret, as gitleaks does within one detector:
// the rules here ran in several.
func preferSpecific(gs []report.Finding) []report.Finding {
	out := gs[:0:0]
	for _, g := range gs {
		if !strings.Contains(strings.ToLower(g.RuleID), "generic") || !hasSpecific(gs, g) {
			out = append(out, g)
		}
	}
	return out
}

func hasSpecific(gs []report.Finding, g report.Finding) bool {
	for _, o := range gs {
		if o.StartLine == g.StartLine && o.Commit == g.Commit && o.RuleID != g.RuleID &&
			strings.Contains(o.Secret, g.Secret) && !strings.Contains(strings.ToLower(o.RuleID), "generic") {
			return true
		}
	}
	return false
}

func (d *Detector) convert(frag *detect.Fragment, g report.Finding) (finding.Finding, bool) {
	if IsPlaceholder(g.RuleID, g.Secret, g.Line) {
		return finding.Finding{}, false
	}
	// gitleaks places a finding at the start of its whole match; rules with
	// context before the secret (a Kubernetes Secret's kind: line) would
	// then point at a line without it, so count from the secret instead.
	ahead := 0
	if i := strings.Index(g.Match, g.Secret); i > 0 && g.Secret != "" {
		ahead = strings.Count(g.Match[:i], "\n")
	}
	if ahead > 0 && isGeneric(g.RuleID) {
		// A weak rule whose key name and value sit on different lines has
		// paired a name with the next line's text, not with a value.
		return finding.Finding{}, false
	}
	start := frag.FileLine(g.StartLine + 1 + ahead)
	end := frag.FileLine(max(g.EndLine+1, g.StartLine+1+ahead))
	if g.StartLine == 0 && g.EndLine == 0 && g.Secret == "" {
		// A path-only rule (a key store file): it matches the file itself.
		start, end = 0, 0
	}
	if d.ignored(frag, g.RuleID, start) {
		return finding.Finding{}, false
	}
	class := "specific"
	conf := finding.High
	if isGeneric(g.RuleID) {
		class, conf = "generic", finding.Medium
	}
	key := g.Secret
	if shannon(g.Secret) < 3.0 || len(g.Secret) < 16 {
		// Hashes of short or low-entropy secrets can be reversed by guessing,
		// so such fingerprints name the place instead.
		key = "line:" + strconv.Itoa(start)
	}
	redacted := finding.Redact(g.Secret)
	if g.Secret == "" {
		redacted = "(file)"
	}
	return finding.Finding{
		RuleID:      g.RuleID,
		Title:       title(g),
		Category:    finding.CredentialLeak,
		Class:       class,
		Path:        frag.Path,
		StartLine:   start,
		EndLine:     end,
		StartColumn: g.StartColumn,
		EndColumn:   g.EndColumn,
		Message:     message(g),
		Redacted:    redacted,
		Fingerprint: finding.Fingerprint(g.RuleID, frag.Path, key),
		Confidence:  conf,
		Tags:        append([]string{"CWE-798"}, g.Tags...),
		Secret:      g.Secret,
	}, true
}

// acronyms keeps provider names readable in titles built from rule ids.
var acronyms = map[string]string{"aws": "AWS", "gcp": "GCP", "api": "API", "pat": "PAT", "jwt": "JWT", "ssh": "SSH", "url": "URL",
	"npm": "npm", "pypi": "PyPI", "ai": "AI", "openai": "OpenAI", "id": "ID", "oauth": "OAuth", "sas": "SAS", "db": "DB", "jdbc": "JDBC", "github": "GitHub", "gitlab": "GitLab"}

// title turns a rule id into a short title; gitleaks' descriptions are
// sentences, which serve better as messages.
func title(g report.Finding) string {
	words := strings.Split(g.RuleID, "-")
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		} else if i == 0 && w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func message(g report.Finding) string {
	if g.Description != "" {
		return g.Description
	}
	return title(g) + " found"
}

// ignored applies .gitleaksignore entries, "file:rule:line" or
// "commit:file:rule:line", as gitleaks does.
func (d *Detector) ignored(frag *detect.Fragment, rule string, line int) bool {
	if len(d.ignore) == 0 {
		return false
	}
	global := fmt.Sprintf("%s:%s:%d", frag.Path, rule, line)
	if d.ignore[global] {
		return true
	}
	return frag.Commit != nil && d.ignore[frag.Commit.SHA+":"+global]
}

// better reports whether f should replace o, a finding of the same secret
// on the same line: the more specific rule, then the match tighter around
// the secret, then the rule id, so that the order gitleaks runs its rules in
// (a map's) never decides.
func better(f, o finding.Finding) bool {
	if a, b := specificity(f), specificity(o); a != b {
		return a > b
	}
	if f.StartColumn != o.StartColumn {
		return f.StartColumn > o.StartColumn
	}
	return f.RuleID < o.RuleID
}

// specificity ranks rules that matched the same secret: a provider rule
// beats a named generic rule, which beats gitleaks' catch-all.
func specificity(f finding.Finding) int {
	switch {
	case f.Class != "generic":
		return 2
	case f.RuleID != "generic-api-key":
		return 1
	}
	return 0
}

func isGeneric(rule string) bool {
	return strings.Contains(rule, "generic") || strings.HasPrefix(rule, "password-") || strings.HasSuffix(rule, "-password-assignment")
}

func shannon(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	var h float64
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

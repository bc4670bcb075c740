package report

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/finding"
)

// InformationURI is where the SARIF tool entry points users.
const InformationURI = "https://github.com/aiguard/aiguard"

// WriteSARIF writes SARIF 2.1.0 following GitHub code scanning's
// conventions: one rule per rule id with markdown help built from the
// playbook, security-severity for ranking, relative URIs and partial
// fingerprints so alerts track across runs.
func WriteSARIF(w io.Writer, r *Report) error {
	doc, err := sarif.New(sarif.Version210, true)
	if err != nil {
		return err
	}
	driver := sarif.NewVersionedDriver(r.Tool.Name, r.Tool.Version).WithInformationURI(InformationURI)
	driver.WithSemanticVersion(r.Tool.Version)
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithColumnKind("unicodeCodePoints")
	run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{"%SRCROOT%": {}})

	for _, rule := range sarifRules(r.Findings) {
		driver.AddRule(rule)
	}
	run.WithResults([]*sarif.Result{})
	for i := range r.Findings {
		run.AddResult(sarifResult(&r.Findings[i]))
	}
	inv := run.AddInvocation(len(r.Errors) == 0)
	for _, e := range r.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, &sarif.Notification{
			Level:   "error",
			Message: &sarif.Message{Text: ptr(e)},
		})
	}
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

func ptr[T any](v T) *T { return &v }

// sarifRules describes each rule once, from its most severe finding.
func sarifRules(fs []finding.Finding) []*sarif.ReportingDescriptor {
	worst := map[string]*finding.Finding{}
	for i := range fs {
		f := &fs[i]
		if w, ok := worst[f.RuleID]; !ok || f.Severity < w.Severity {
			worst[f.RuleID] = f
		}
	}
	ids := make([]string, 0, len(worst))
	for id := range worst {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var rules []*sarif.ReportingDescriptor
	for _, id := range ids {
		f := worst[id]
		info := classify.InfoFor(f.Severity)
		rule := sarif.NewRule(id).
			WithName(ruleName(id)).
			WithShortDescription(sarif.NewMultiformatMessageString(f.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(fmt.Sprintf("%s (%s, playbook category %s).", f.Title, f.Category.Name(), f.Category))).
			WithHelp(sarif.NewMultiformatMessageString(helpText(f)).WithMarkdown(HelpMarkdown(f))).
			WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: level(f.Severity)})
		tags := append([]string{"security", string(f.Category), strings.ToLower(f.Category.Name())}, f.Tags...)
		pb := sarif.NewPropertyBag()
		pb.Add("tags", dedupe(tags))
		pb.Add("security-severity", info.SecuritySeverity)
		pb.Add("precision", precision(f.Confidence))
		pb.Add("category", string(f.Category))
		rule.AttachPropertyBag(pb)
		rules = append(rules, rule)
	}
	return rules
}

// ruleName makes a PascalCase name from a rule id, as SARIF viewers expect.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func precision(c finding.Confidence) string {
	switch c {
	case finding.High:
		return "high"
	case finding.Low:
		return "low"
	}
	return "medium"
}

func level(s finding.Severity) string {
	switch s {
	case finding.P1, finding.P2:
		return "error"
	case finding.P3:
		return "warning"
	}
	return "note"
}

func helpText(f *finding.Finding) string {
	return strings.TrimSpace(f.Fix + "\nFollow the playbook's containment actions for " + f.Category.Name() + ".")
}

// HelpMarkdown says what to do about a finding: the fix, then the
// playbook's immediate and containment actions for its category.
func HelpMarkdown(f *finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s, %s)\n\n", f.Title, f.Category.Name(), f.Category)
	if f.Fix != "" {
		fmt.Fprintf(&b, "**Fix:** %s\n\n", f.Fix)
	}
	if pb, ok := classify.Playbooks[f.Category]; ok {
		fmt.Fprintf(&b, "**Playbook %s — %s. Immediate actions:**\n\n", pb.Letter, pb.Title)
		for i, a := range pb.Immediate {
			fmt.Fprintf(&b, "%d. %s\n", i+1, a)
		}
		b.WriteString("\n")
	}
	if actions, ok := classify.Containment[f.Category]; ok {
		b.WriteString("**Containment:**\n\n| Action | Responsibility | Timeframe |\n|---|---|---|\n")
		for _, a := range actions {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", a.Action, a.Responsibility, a.Timeframe)
		}
	}
	return b.String()
}

func sarifResult(f *finding.Finding) *sarif.Result {
	res := sarif.NewRuleResult(f.RuleID).
		WithLevel(level(f.Severity)).
		WithMessage(sarif.NewTextMessage(ResultMessage(f)))
	loc := sarif.NewPhysicalLocation().WithArtifactLocation(
		sarif.NewSimpleArtifactLocation(uriFor(f.Path)).WithUriBaseId("%SRCROOT%"))
	if f.StartLine > 0 {
		region := sarif.NewRegion().WithStartLine(f.StartLine)
		if f.EndLine >= f.StartLine {
			region.WithEndLine(f.EndLine)
		}
		if f.StartColumn > 0 {
			region.WithStartColumn(f.StartColumn)
			if f.EndColumn > 0 && (f.EndLine > f.StartLine || f.EndColumn >= f.StartColumn) {
				region.WithEndColumn(f.EndColumn + 1)
			}
		}
		loc.WithRegion(region)
	}
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
	res.WithPartialFingerPrints(map[string]interface{}{"aiguardFingerprint/v1": f.Fingerprint})
	pb := sarif.NewPropertyBag()
	pb.Add("category", string(f.Category))
	pb.Add("severity", f.Severity.String())
	pb.Add("class", f.Class)
	pb.Add("confidence", string(f.Confidence))
	pb.Add("redacted", f.Redacted)
	if f.Commit != nil {
		pb.Add("commit", f.Commit.SHA)
		pb.Add("commitDate", f.Commit.Date.UTC().Format("2006-01-02T15:04:05Z"))
	}
	if f.AITool != "" {
		pb.Add("aiTool", f.AITool)
	}
	if len(f.DataKinds) > 0 {
		pb.Add("dataKinds", f.DataKinds)
		pb.Add("subjects", f.Subjects)
	}
	res.AttachPropertyBag(pb)
	return res
}

// ResultMessage is the one-line, redacted description of a finding used by
// SARIF, annotations and the text report.
func ResultMessage(f *finding.Finding) string {
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	s := fmt.Sprintf("[%s %s] %s", f.Severity, f.Category, msg)
	if f.Redacted != "" {
		s += " (" + f.Redacted + ")"
	}
	if f.Commit != nil {
		s += " in commit " + f.ShortSHA()
	}
	return s
}

// uriFor percent-encodes a repository path as a relative URI reference.
func uriFor(p string) string {
	u := (&url.URL{Path: strings.TrimPrefix(p, "/")}).EscapedPath()
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		// "a:b" would read as a URI with scheme "a".
		u = "./" + u
	}
	return u
}

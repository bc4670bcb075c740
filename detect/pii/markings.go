package pii

import (
	"strings"
)

// marking is a UK Government Security Classification level as this
// detector reports it, ordered from least to most severe.
type marking int

const (
	noMarking marking = iota
	markOfficial
	markOfficialSensitive
	markSecret
)

var markingInfo = [...]struct{ class, rule, title string }{
	markOfficial:          {"official", "classification-official", "OFFICIAL security classification marking"},
	markOfficialSensitive: {"official-sensitive", "classification-official-sensitive", "OFFICIAL-SENSITIVE (or legacy RESTRICTED/PROTECT/CONFIDENTIAL) marking"},
	markSecret:            {"classified-secret", "classification-secret", "SECRET or TOP SECRET classification marking"},
}

// markingWords are the upper-case words whose presence makes a fragment
// worth the line-by-line marking check.
var markingWords = wordSet{
	newWordGroup('F', "OFFICIAL", "CONFIDENTIAL"),
	newWordGroup('C', "SECRET", "RESTRICTED", "PROTECT", "Classification"),
	newWordGroup('S', "Sensitive", "Top Secret"),
	newWordGroup('Y', "EYES ONLY"),
	newWordGroup('M', "MSIP_Label"),
}

// metadataKeys name the document properties that carry a marking
// (front matter, Office custom properties, sensitivity labels).
var metadataKeys = setOf("classification", "securityclassification", "protectivemarking", "securitymarking",
	"govsclassification", "classificationlevel", "sensitivity", "sensitivitylabel", "marking", "protectivemark")

// levelOf maps the text of a marking, already upper-cased and stripped of
// decoration, to its level. It accepts only whole markings: the level word
// followed by nothing but descriptors and caveats, so prose and identifiers
// ("TOP_SECRET", "SECRET_KEY", "Official documentation") never match.
//
// Legacy GPMS markings: RESTRICTED and PROTECT became OFFICIAL-SENSITIVE
// material; CONFIDENTIAL is treated as OFFICIAL-SENSITIVE because the word is
// also the usual commercial banner, unless it carries a national caveat
// (UK CONFIDENTIAL, ... EYES ONLY), which only government material does.
// markingPrefixes maps marking words to levels, longest first so that
// "TOP SECRET" and "OFFICIAL SENSITIVE" win over their shorter prefixes.
// Legacy RESTRICTED, PROTECT and CONFIDENTIAL read as OFFICIAL-SENSITIVE.
var markingPrefixes = []struct {
	word  string
	level marking
}{
	{"TOP SECRET", markSecret},
	{"SECRET", markSecret},
	{"OFFICIAL SENSITIVE", markOfficialSensitive},
	{"OFFICIAL", markOfficial},
	{"RESTRICTED", markOfficialSensitive},
	{"PROTECT", markOfficialSensitive},
	{"CONFIDENTIAL", markOfficialSensitive},
}

func levelOf(s string) marking {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '-' || r == '–' || r == '—' || r == ':' || r == '/' || r == ',' || r == '[' || r == ']' || r == '(' || r == ')'
	}), " ")
	caveat := strings.Contains(s, "EYES ONLY") || strings.HasPrefix(s, "UK ")
	s = strings.TrimPrefix(s, "UK ")
	level, rest := noMarking, ""
	for _, p := range markingPrefixes {
		if hasWordPrefix(s, p.word) {
			level, rest = p.level, s[len(p.word):]
			break
		}
	}
	if level == noMarking {
		return noMarking
	}
	// CONFIDENTIAL is also a commercial word; only a UK caveat makes it the
	// legacy national marking, now SECRET.
	if caveat && strings.HasPrefix(s, "CONFIDENTIAL") {
		level = markSecret
	}
	for _, w := range strings.Fields(rest) {
		if !markingTail[w] {
			return noMarking
		}
	}
	if level == markOfficial && strings.Contains(rest, "SENSITIVE") {
		level = markOfficialSensitive
	}
	return level
}

// markingTail are the words allowed after a level: descriptors, caveats,
// codewords' framing and the odd label suffix.
var markingTail = setOf("SENSITIVE", "COMMERCIAL", "PERSONAL", "LOCSEN", "UK", "EYES", "ONLY", "EYES", "ONLY", "STRAP1",
	"STRAP2", "STRAP3", "STRAP", "NATO", "RELEASABLE", "REL", "TO", "USA", "AUS", "CAN", "NZL", "GBR", "FVEY", "FIVE",
	"ALL", "STAFF", "MANAGEMENT", "POLICY", "SECURITY", "PERSONNEL", "APPOINTMENTS", "MEDICAL", "CONTRACTS",
	"INVESTIGATION", "HMG", "CABINET", "UKEO", "UKIC", "RECIPIENTS", "ADDRESSEE", "INTERNAL", "NOT", "FOR",
	"PUBLICATION", "DISTRIBUTION", "AND", "&", "PLUS")

func hasWordPrefix(s, p string) bool {
	return strings.HasPrefix(s, p) && (len(s) == len(p) || s[len(p)] == ' ')
}

// codeExts are source files in which a marking counts only inside a comment.
var codeExts = setOf(".go", ".py", ".java", ".js", ".jsx", ".ts", ".tsx", ".rb", ".rs", ".c", ".h", ".cc",
	".cpp", ".hpp", ".cs", ".kt", ".kts", ".scala", ".swift", ".php", ".sh", ".bash", ".ps1", ".sql", ".lua",
	".pl", ".r", ".m", ".dart", ".ex", ".exs", ".clj", ".groovy", ".tf", ".hcl", ".proto", ".vue", ".svelte")

// fileMode says where in a file a marking may appear.
type fileMode int

const (
	// modeDoc: documents, where banners and subject-style markings count.
	modeDoc fileMode = iota
	// modeConfig: configuration, where only metadata properties and
	// comments count (keys such as SECRET: are settings, not markings).
	modeConfig
	// modeCode: source code, where only comments count.
	modeCode
)

var configExts = setOf(".yml", ".yaml", ".json", ".env", ".ini", ".toml", ".properties", ".conf", ".cfg", ".lock", ".ipynb")

// findMarkings returns the highest marking used as a marking in text and
// the 1-based text line of its first occurrence.
//
// fileLine maps a text line to its file line; whole says whether text is the
// complete file, without which only a header can be recognised in code.
func findMarkings(text string, mode fileMode, fileLine func(int) int, whole bool) (marking, int) {
	if !markingWords.in(text) {
		return noMarking, 0
	}
	best, bestLine := noMarking, 0
	total := strings.Count(text, "\n") + 1
	forEachLine(text, func(n int, line string) bool {
		m := lineMarking(line, mode)
		// In code and configuration a banner comment counts only as a
		// file header or footer, where protective markings go; elsewhere
		// "# SECRET" is a section label. Metadata properties count anywhere
		// in documents and configuration, but a source file's comment that
		// quotes one mid-file is describing the format, not marking the file.
		edge := fileLine(n) <= edgeLines || whole && n > total-edgeLines
		if m != noMarking && !edge && (mode == modeCode || mode == modeConfig && metadataMarking(strings.TrimSpace(line)) == noMarking || mode == modeDoc && heading(line)) {
			m = noMarking
		}
		if m > best {
			best, bestLine = m, n
		}
		return best < markSecret
	})
	return best, bestLine
}

// edgeLines is how near the top or bottom of a code file a banner must be.
const edgeLines = 5

// heading reports a markdown heading. A marking written as a heading is a
// banner at the top or bottom of a document; in the body it names a section
// ("## SECRET" in a page listing Kubernetes kinds).
func heading(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return strings.HasPrefix(t, "#")
}

// mailPrefixes are the header and reply prefixes before an email subject
// that starts with a marking.
var mailPrefixes = []string{"subject:", "re:", "fw:", "fwd:"}

// lineMarking classifies one line: a banner (the marking alone, perhaps in
// a comment or markdown decoration), a subject-style prefix
// ("OFFICIAL-SENSITIVE: title"), or a metadata property.
func lineMarking(line string, mode fileMode) marking {
	if !strings.ContainsAny(line, "OSRCPMc") {
		return noMarking
	}
	t := strings.TrimSpace(line)
	comment := false
	for _, p := range []string{"//", "#", "/*", "*/", "*", "<!--", "--", ";", "%", "REM ", `"""`, "'''"} {
		if strings.HasPrefix(t, p) {
			comment = true
			t = strings.TrimSpace(strings.TrimPrefix(t, p))
		}
	}
	if mode == modeCode && !comment {
		return noMarking
	}
	if m := metadataMarking(t); m != noMarking || mode == modeConfig && !comment {
		return m
	}
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "-->"), "*/"), `"""`))
	t = stripTags(t)
	t = strings.Trim(t, "*_#|>`~ \t")
	if mode == modeDoc {
		for _, p := range mailPrefixes {
			if len(t) > len(p) && strings.EqualFold(t[:len(p)], p) {
				t = strings.TrimLeft(t[len(p):], " \t")
			}
		}
	}
	if t == "" || !isUpper(t[0]) && t[0] != '[' {
		return noMarking
	}
	// A banner must be written in capitals, as the scheme requires.
	if strings.ToUpper(t) == t {
		return levelOf(t)
	}
	if mode != modeDoc {
		return noMarking
	}
	// "Official – Sensitive" on a line of its own is a marking even when not
	// in capitals; single words ("Secret", "Official") are headings.
	if up := strings.ToUpper(t); strings.Contains(up, "SENSITIVE") || strings.Contains(up, "TOP SECRET") || strings.Contains(up, "EYES ONLY") {
		if m := levelOf(up); m != noMarking {
			return m
		}
	}
	// "[SECRET] Title" is a marking; so is a subject line such as
	// "OFFICIAL-SENSITIVE: Budget", but only with a multi-word or OFFICIAL
	// marking, since "SECRET: value" is a setting.
	prefix := ""
	if strings.HasPrefix(t, "[") {
		if i := strings.Index(t, "]"); i > 0 {
			prefix = t[1:i]
		}
	} else if i := subjectEnd(t); i > 0 && (strings.Contains(t[:i], "OFFICIAL") || strings.ContainsAny(t[:i], " -")) {
		prefix = t[:i]
	}
	if prefix == "" || strings.ToUpper(prefix) != prefix {
		return noMarking
	}
	return levelOf(prefix)
}

// subjectEnd finds where a marking prefixing a title ends: at a colon or a
// spaced dash ("OFFICIAL-SENSITIVE COMMERCIAL - tender"), or -1.
func subjectEnd(t string) int {
	end := -1
	for _, sep := range []string{":", " - ", " – ", " — "} {
		if i := strings.Index(t, sep); i > 0 && (end < 0 || i < end) {
			end = i
		}
	}
	return end
}

// stripTags removes HTML tags wrapped round a banner, such as <p><b>…</b></p>.
func stripTags(t string) string {
	for strings.HasPrefix(t, "<") {
		i := strings.IndexByte(t, '>')
		if i < 0 {
			return t
		}
		t = t[i+1:]
	}
	for strings.HasSuffix(t, ">") {
		i := strings.LastIndexByte(t, '<')
		if i < 0 {
			return t
		}
		t = t[:i]
	}
	return strings.TrimSpace(t)
}

// metadataMarking handles "Classification: OFFICIAL-SENSITIVE" style
// properties and Microsoft sensitivity labels (MSIP_Label_<id>_Name=...).
func metadataMarking(t string) marking {
	if i := strings.Index(t, "MSIP_Label_"); i >= 0 {
		rest := t[i:]
		if j := strings.Index(rest, "_Name"); j >= 0 {
			return levelOf(strings.ToUpper(valueAfterKey(rest[j+5:])))
		}
		return noMarking
	}
	var v string
	// AsciiDoc attributes are written ":name: value".
	t = strings.TrimPrefix(t, ":")
	if i := strings.Index(t, "ClassificationLevel"); i >= 0 {
		// Office custom property: name="ClassificationLevel"><vt:lpwstr>SECRET<...
		v = valueAfterKey(t[i+len("ClassificationLevel"):])
	} else {
		sep := strings.IndexAny(t, ":=")
		if sep <= 0 || sep > 40 || !metadataKeys[normKey(t[:sep])] {
			return noMarking
		}
		v = valueAfterKey(t[sep+1:])
	}
	// Values in code and configuration are usually tags ("confidential",
	// "Secret"); a marking in metadata is written in capitals.
	if v == "" || strings.ToUpper(v) != v {
		return noMarking
	}
	return levelOf(v)
}

// valueAfterKey strips separators, quotes and markup from the start of a
// property value and cuts it at the next quote or tag.
func valueAfterKey(s string) string {
	s = strings.TrimLeft(s, " \t=:\"'>")
	for strings.HasPrefix(s, "<") {
		if i := strings.IndexByte(s, '>'); i >= 0 {
			s = strings.TrimLeft(s[i+1:], " \t")
		} else {
			return ""
		}
	}
	if i := strings.IndexAny(s, "\"'<,;}"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// forEachLine calls fn with each 1-based line number and line of text until
// fn returns false.
func forEachLine(text string, fn func(n int, line string) bool) {
	n := 0
	for len(text) > 0 {
		n++
		i := strings.IndexByte(text, '\n')
		var line string
		if i < 0 {
			line, text = text, ""
		} else {
			line, text = text[:i], text[i+1:]
		}
		if !fn(n, strings.TrimSuffix(line, "\r")) {
			return
		}
	}
}

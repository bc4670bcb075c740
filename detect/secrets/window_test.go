package secrets

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/zricethezav/gitleaks/v8/detect/codec"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// unwindowed runs every rule over the full text, as gitleaks itself does.
func unwindowed(t testing.TB) *Detector {
	t.Helper()
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	return &Detector{all: newGitleaks(cfg, decodeDepth), ignore: map[string]bool{}}
}

func findingKeys(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %d-%d %d-%d %s %s", f.RuleID, f.StartLine, f.EndLine, f.StartColumn, f.EndColumn, f.Fingerprint, f.Redacted))
	}
	slices.Sort(out)
	return out
}

// code is filler that holds no keyword of any rule, so that the window has
// lines to empty around what is embedded in it.
var code = []string{
	"func helper(n int) int {", "\tfor i := 0; i < n; i++ {", "\t\tcount += weight(i)", "\t}",
	"\treturn count", "}", "", "// helper sums the weights of the first n items.", "\tif err != nil {",
	"\t\treturn nil, err", "type item struct {", "\tname string", "\tsize int64",
}

// TestWindowKeepsFindings checks that the window changes no finding: the
// labelled corpora, each file set in filler at a random place, give the
// same findings (rule, lines, columns, fingerprint) with and without it, and
// most of them were actually narrowed.
func TestWindowKeepsFindings(t *testing.T) {
	d, full := defaultDetector(t), unwindowed(t)
	r := rand.New(rand.NewSource(11))
	var texts []string
	for _, f := range buildCorpus(5, 60) {
		texts = append(texts, f.text)
	}
	for _, f := range buildHeldout(8, 2) {
		texts = append(texts, f.text())
	}
	g := newGen(3)
	// Built in pieces so that this file holds no key block.
	key := "-----BEGIN RSA PRIVATE" + " KEY-----\n" + strings.Repeat(g.s(b64set, 64)+"\n", 12) + "-----END RSA PRIVATE" + " KEY-----"
	texts = append(texts,
		key,
		// A credential only decoding reveals.
		"config = \""+b64("aws_secret_access_key = "+g.s(b64set, 40))+"\"",
		// Case folding outside ASCII: the Kelvin sign lower-cases to k.
		"\u212aey = \""+g.s(alnum, 32)+"\"\nname = \"ünïcode\"",
		// A Unicode escape sequence goes to the decoder whole.
		"token = \"\\u0067\\u0068\\u0070\\u005f"+g.s(alnum, 36)+"\"",
		// Rules without literals, found by their token runs.
		"// the bot logs in with\nDISCORD = \"M"+g.s(alnum, 23)+"."+g.s(alnum, 6)+"."+g.s(alnum, 30)+"\"",
		"facebook_token = \""+g.s(digits, 15)+"|"+g.s(lower+digits, 30)+"\"",
		// A key name and its value on different lines.
		"password:\n\n  \""+g.password()+"\"",
	)
	// Mostly outside ASCII, where case folding can make keywords.
	var wide strings.Builder
	for range 30 {
		wide.WriteString("// café crème brûlée, naïve façade, \u212aelvin\n")
	}
	wide.WriteString("token = \"ghp_" + g.s(alnum, 36) + "\"\n")
	texts = append(texts, wide.String())
	// Texts gitleaks decodes: each is narrowed around its encoded lines.
	decoded := len(texts)
	texts = append(texts,
		// Encoded twice, with the rule's keyword only in the decoded value.
		"blob = \""+b64(b64("token: ghp_"+g.s(alnum, 36)))+"\"",
		// Hex, next to a plain keyword elsewhere that gates the same rule.
		"// github token rotation\n"+strings.Repeat("x := 1\n", 40)+"t = \""+fmt.Sprintf("%x", "ghp_"+g.s(alnum, 36))+"\"",
		// Percent-encoding in a URL, and a \\u escape on another line.
		"url = \"https://api.example.com/?token=%67%68%70%5f"+g.s(alnum, 36)+"\"\nname = \"caf\\u00e9\"",
		// Code points (mid-line) spelling a token.
		"// token: "+codePoints("ghp_"+g.s(alnum, 36)),
		// A value that decodes to several lines.
		"data = \""+b64("user = admin\npassword = \""+g.password()+"\"\nport = 5432")+"\"",
	)
	narrowed := 0
	for i, text := range texts {
		var b strings.Builder
		for range 100 + r.Intn(200) {
			b.WriteString(code[r.Intn(len(code))] + "\n")
		}
		b.WriteString(text)
		for range r.Intn(200) {
			b.WriteString("\n" + code[r.Intn(len(code))])
		}
		frag := detect.NewTreeFragment(fmt.Sprintf("src/f%d.go", i), b.String())
		n := d.window.narrow(frag.Path, frag.Text)
		if !n.full {
			narrowed++
		}
		if i >= decoded && !slices.ContainsFunc(n.rules, func(rt ruleText) bool { return rt.decode }) {
			t.Errorf("text %d: not narrowed around its encoded lines (full %v)", i-decoded, n.full)
		}
		if want := sameFindings(t, d, full, frag); i >= decoded && len(want) == 0 {
			t.Errorf("text %d: nothing found to compare", i)
		}
	}
	if narrowed < len(texts)/4 {
		t.Errorf("only %d of %d texts narrowed", narrowed, len(texts))
	}
}

// codePoints spells s in U+ code points.
func codePoints(s string) string {
	var out []string
	for _, r := range s {
		out = append(out, fmt.Sprintf("U+%04X", r))
	}
	return strings.Join(out, " ")
}

// FuzzWindow checks the window against gitleaks itself on any text: the
// same findings with and without it.
func FuzzWindow(f *testing.F) {
	g := newGen(21)
	for _, s := range []string{
		"token = \"ghp_" + g.s(alnum, 36) + "\"",
		"x := 1\nblob = \"" + b64("aws_secret_access_key = "+g.s(b64set, 40)) + "\"\ny := 2",
		"t = \"" + fmt.Sprintf("%x", "ghp_"+g.s(alnum, 36)) + "\"\n// github",
		"url = \"https://h/?token=%67%68%70%5f" + g.s(alnum, 36) + "\"\nname = \"caf\\u00e9\"",
		"// token: " + codePoints("ghp_"+g.s(alnum, 36)),
		"\u212aey = \"" + g.s(alnum, 32) + "\"\ncafé",
		"password:\n\n  \"" + g.password() + "\"",
		"kind: Secret\ndata:\n  key: " + b64(g.s(alnum, 24)),
		"s.x = 1\nvault = \"s." + g.s(alnum, 24) + "\"",
	} {
		f.Add(s)
	}
	d, full := defaultDetector(f), unwindowed(f)
	f.Fuzz(func(t *testing.T, text string) {
		sameFindings(t, d, full, detect.NewTreeFragment("deploy/app.yaml", text))
	})
}

// sameFindings checks that d finds in frag what full, which runs gitleaks
// over whole texts, finds, and returns that.
func sameFindings(t *testing.T, d, full *Detector, frag *detect.Fragment) []finding.Finding {
	t.Helper()
	got, err := d.Detect(context.Background(), frag)
	if err != nil {
		t.Fatal(err)
	}
	want, err := full.Detect(context.Background(), frag)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := findingKeys(got), findingKeys(want); !slices.Equal(g, w) {
		t.Errorf("%s: with the window %q, without %q", frag.Path, g, w)
	}
	return want
}

// TestEncodedAgreesWithDecoder checks the shortcut that decides whether
// gitleaks would decode anything against its decoder.
func TestEncodedAgreesWithDecoder(t *testing.T) {
	w := defaultDetector(t).window
	g := newGen(9)
	lines := []string{
		"import \"cmd/compile/internal/ssa\"",
		"x := TestSomethingRatherLong_2(a)",
		"sum = " + g.s(hexset, 64),
		"sum = " + strings.Repeat("ab", 20),
		"s := \"" + codePoints("token") + "\"",
		"url = \"https://example.com/a%20b\"",
		"fmt.Printf(\"%02x\", b)",
		"U+0041 U+0042",
		"s := \"\\u0041\\u0042\"",
		"token = " + b64("printable secret text here"),
		"token = " + b64("printable secret text here") + "=",
		"x = " + g.s(urlset, 24),
		"plain words only here",
	}
	for range 200 {
		lines = append(lines, g.s(b64set+"=_- \"%", 8+g.r.Intn(40)))
	}
	for i, line := range lines {
		_, segs := codec.NewDecoder().Decode(line, nil)
		lines, all := w.scan(line).encodedLines(line)
		if got, want := len(lines) > 0 || all, len(segs) > 0; got != want {
			t.Errorf("line %d %q: encoded %v, decoder finds %d segments", i, line, got, len(segs))
		}
	}
}

func TestAnalyseRun(t *testing.T) {
	for _, c := range []struct {
		re      string
		run, nl int
		ok      bool
	}{
		{`\b([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})(?:[\s;]|$)`, 27, 1, true},
		{`(?i)\b(\d{15,16}(\||%)[0-9a-z\-_]{27,40})`, 15, 0, true},
		{`(?i)(sgp_[a-f0-9]{40}|[a-f0-9]{40})`, 40, 0, true},
		{`[a-z]{4}\.[a-z]{4}`, 4, 0, false},
		{`(?i)[a-z]{20}`, 0, 0, false},
	} {
		run, nl, ok := analyseRun(c.re)
		if ok != c.ok || ok && (run != c.run || nl != c.nl) {
			t.Errorf("analyseRun(%q) = %d %d %v, want %d %d %v", c.re, run, nl, ok, c.run, c.nl, c.ok)
		}
	}
}

func TestLiteralRun(t *testing.T) {
	for _, c := range []struct {
		re  string
		run int
	}{
		// Case folding reaches K and ſ, which no line all in ASCII holds.
		{`\b((?:hvs\.[\w-]{90,120}|s\.(?i:[a-z0-9]{24})))(?:[\x60'"\s;]|\\[nr]|$)`, 24},
		{`ghp_[0-9a-zA-Z]{36}`, 40},
		{`(?i)key\s*=\s*[a-z0-9.=]{32}`, 0},
		{`token=[a-z0-9]{8}`, 0},
	} {
		if got := literalRun(c.re); got != c.run {
			t.Errorf("literalRun(%q) = %d, want %d", c.re, got, c.run)
		}
	}
}

func TestAnalyse(t *testing.T) {
	for _, c := range []struct {
		re            string
		lits          []string
		before, after int
		ok            bool
	}{
		{`\b(AKIA[A-Z2-7]{16})\b`, []string{"akia"}, 0, 0, true},
		{`(?i)[\w.-]{0,50}?(?:key|token)[ \t]*[\s'"]{0,3}=([a-z0-9]{16})`, []string{"key", "token"}, 0, 3, true},
		{`(?s:.){0,4}secret`, []string{"secret"}, 4, 0, true},
		{`passw(?:or)?d\s*=`, []string{"passwd", "password"}, 0, unbounded, true},
		{`-----BEGIN[ A-Z]*KEY-----[\s\S]*?-----END`, []string{"-----begin"}, 0, unbounded, true},
		{`[a-f0-9]{40}`, nil, 0, 0, false},
		{`x|yz`, nil, 0, 0, false},
	} {
		lits, before, after, ok := analyse(c.re)
		slices.Sort(lits)
		slices.Sort(c.lits)
		if ok != c.ok || !slices.Equal(lits, c.lits) || ok && (before != c.before || after != c.after) {
			t.Errorf("analyse(%q) = %q -%d +%d %v, want %q -%d +%d %v", c.re, lits, before, after, ok, c.lits, c.before, c.after, c.ok)
		}
	}
}

// TestWindowTeamConfigs checks rules the analysis must not narrow away: a
// path rule that gitleaks runs only with its keyword in the text, and
// composite rules (whose auxiliary matches may sit anywhere), which turn the
// window off.
func TestWindowTeamConfigs(t *testing.T) {
	dir := t.TempDir()
	filler := strings.Repeat("\treturn count\n", 300)
	pathRule := writeFile(t, dir, "path.toml", `
[[rules]]
id = "vault-file"
path = '''(?i)\.vault$'''
keywords = ["ansible"]
`)
	d, err := New(Options{GitleaksConfig: pathRule})
	if err != nil {
		t.Fatal(err)
	}
	if d.window == nil {
		t.Fatal("no window for a plain config")
	}
	if fs := scan(t, d, "group_vars/prod.vault", filler+"# ansible\n"+filler); !hasRule(fs, "vault-file") {
		t.Errorf("path rule with its keyword: got %v", rulesOf(fs))
	}
	composite := writeFile(t, dir, "composite.toml", `
[[rules]]
id = "acme-secret"
regex = '''acme_secret\s*=\s*"([a-z0-9]{20})"'''
keywords = ["acme_secret"]
[[rules.required]]
id = "acme-id"
withinLines = 400

[[rules]]
id = "acme-id"
regex = '''acme_id\s*=\s*"([a-z0-9]{8})"'''
keywords = ["acme_id"]
`)
	d, err = New(Options{GitleaksConfig: composite})
	if err != nil {
		t.Fatal(err)
	}
	if d.window != nil {
		t.Fatal("window on for composite rules")
	}
	g := newGen(12)
	text := "acme_id = \"" + g.s(lower+digits, 8) + "\"\n" + filler + "acme_secret = \"" + g.s(lower+digits, 20) + "\"\n"
	if fs := scan(t, d, "app.env", text); !hasRule(fs, "acme-secret") {
		t.Errorf("composite rule: got %v", rulesOf(fs))
	}
}

package code

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aiguard/aiguard/config"
)

func TestUnanchoredMatchesWhereCapturesMatch(t *testing.T) {
	for _, c := range []struct{ re, capture, window string }{
		{`^(Int|Read)$`, "Intn", "x := rand.Intn(10)"},
		{`\bpassw`, "password", "h := md5.Sum([]byte(userpassword))"},
		{`^["` + "`" + `](/usr)?(/bin/)?(ba|z|da)?sh["` + "`" + `]$`, `"sh"`, `exec.Command("sh", "-c", cmd)`},
	} {
		u := unanchored(regexp.MustCompile(c.re))
		if u == nil || !u.MatchString(c.window) {
			t.Errorf("%s: unanchored %v does not match %q", c.re, u, c.window)
		}
	}
}

func TestLiteralsOf(t *testing.T) {
	for _, c := range []struct {
		re   string
		want []string
	}{
		{`(?i)passw|pwd`, []string{"passw", "pwd"}},
		{`api_?key|Token`, []string{"api", "token"}},
		{`[Ss]ignature`, []string{"signature"}},
		{`\w+`, nil},
		{`(?i)ſ`, []string{"s"}}, // ſ folds to s
		{`ab[0-9]`, []string{"ab"}},
		{`a|.`, nil},
	} {
		got := literalsOf(regexp.MustCompile(c.re))
		if !slices.Equal(got, c.want) {
			t.Errorf("literalsOf(%s) = %q, want %q", c.re, got, c.want)
		}
	}
}

func TestMatchesNewline(t *testing.T) {
	for re, want := range map[string]bool{
		`(?i)token|secret`: false, `a.b`: false, `(?s)a.b`: true, `a\sb`: true, `[^x]`: true, `a\nb`: true,
	} {
		if got := matchesNewline(regexp.MustCompile(re)); got != want {
			t.Errorf("matchesNewline(%s) = %v, want %v", re, got, want)
		}
	}
}

// A window that cannot match is not parsed, and one that can is.
func TestNeedsSkipWindows(t *testing.T) {
	cq, err := compileQuery(langGo.grammar, `(call_expression function: (selector_expression operand: (identifier) @o field: (field_identifier) @f)
  (#eq? @o "rand")
  (#match? @f "^(Intn|Int63)$")
  (#context? @f "(?i)token|secret")) @sink`)
	if err != nil {
		t.Fatal(err)
	}
	defer cq.q.Close()
	for src, want := range map[string]bool{
		"func newToken() int {\n\treturn rand.Intn(10)\n}\n":     true,
		"func roll() int {\n\treturn rand.Intn(6)\n}\n":          false, // no context
		"func newToken() int {\n\treturn rand.Perm(10)\n}\n":     false, // no Intn or Int63
		"func newToken() int {\n\treturn rnd.Intn(10)\n}\n":      false, // no rand
		"func newToken() int {\n\treturn rand.Intn(6) // é\n}\n": true,
	} {
		wt := &windowText{lang: langGo, src: []byte(src), file: &wholeFile{text: src, matched: map[*regexp.Regexp]bool{}}}
		if got := wt.meets(cq.needs[0]); got != want {
			t.Errorf("%q: meets = %v, want %v", src, got, want)
		}
	}
}

// Every line that a need's expression matches holds one of its literals:
// checked over each built-in query's needs and the languages' input
// expressions, on the rules' own snippets and the benchmark corpus.
func TestLiteralsAreNecessary(t *testing.T) {
	d := newDetector(t, config.Code{})
	var ns []need
	for _, c := range d.combined {
		cq, err := c.get()
		if err != nil {
			t.Fatal(err)
		}
		for _, pattern := range cq.needs {
			ns = append(ns, pattern...)
		}
	}
	for _, l := range []*language{langPython, langJS, langGo, langJava} {
		for _, n := range l.inputNeeds() {
			ns = append(ns, *n)
		}
	}
	// The claim is about ASCII text; each distinct line once.
	lines := map[string]bool{}
	add := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			if !strings.ContainsFunc(line, func(r rune) bool { return r >= utf8.RuneSelf }) {
				lines[line] = true
			}
		}
	}
	for _, r := range d.rules {
		for _, tc := range r.tests {
			for _, src := range append(tc.Positive, tc.Negative...) {
				add(src)
			}
		}
	}
	for _, src := range benchCorpus(t) {
		add(src)
	}
	checked := 0
	for _, n := range ns {
		if n.lits == nil {
			continue
		}
		for line := range lines {
			if !n.re.MatchString(line) {
				continue
			}
			checked++
			lower := strings.ToLower(line)
			if !slices.ContainsFunc(n.lits, func(l string) bool { return strings.Contains(lower, l) }) {
				t.Errorf("%s matches %q, which holds none of %q", n.re, line, n.lits)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d matching lines checked", checked)
	}
}

func TestOverlapping(t *testing.T) {
	const n = 7
	overlaps := func(r0, r1, a, b int) bool { return r1 > a && r0 < b }
	for a := 0; a < n; a++ {
		for b := a + 1; b <= n; b++ {
			for c := 0; c < n; c++ {
				for d := c + 1; d <= n; d++ {
					lo, hi := overlapping(a, b, c, d)
					for r0 := 0; r0 < n; r0++ {
						for r1 := r0 + 1; r1 <= n; r1++ {
							if overlaps(r0, r1, a, b) && overlaps(r0, r1, c, d) && !overlaps(r0, r1, lo, hi) {
								t.Fatalf("[%d,%d) overlaps [%d,%d) and [%d,%d) but not [%d,%d)", r0, r1, a, b, c, d, lo, hi)
							}
						}
					}
				}
			}
		}
	}
}

func TestASCIIFolding(t *testing.T) {
	var got []string
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				got = append(got, string(r))
				break
			}
		}
	}
	if !slices.Equal(got, asciiFolding) {
		t.Errorf("runes folding to ASCII: %q, want %q", got, asciiFolding)
	}
}

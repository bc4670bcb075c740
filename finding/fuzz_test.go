package finding

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRedact checks the redactor's promise: it shows the length and at most
// a quarter of the value's characters (never more than four), from its start.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "a", "short", "ghp_0123456789abcdefghijklmnopqrstuvwxyz", "ünïcødé-sëcrét-välüé", "****(3 chars)", "\x00\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		out := Redact(v)
		if out == "[redacted, "+strconv.Itoa(utf8.RuneCountInString(v))+" chars]" {
			if strings.Contains(out, v) {
				t.Errorf("Redact(%q) = %q contains the value", v, out)
			}
			return
		}
		shown, rest, ok := strings.Cut(out, "****(")
		if !ok || rest != strconv.Itoa(utf8.RuneCountInString(v))+" chars)" {
			t.Fatalf("Redact(%q) = %q: not <prefix>****(<n> chars)", v, out)
		}
		n := utf8.RuneCountInString(shown)
		if n > 4 || n > utf8.RuneCountInString(v)/4 {
			t.Errorf("Redact shows %d of %d characters", n, utf8.RuneCountInString(v))
		}
		if !strings.HasPrefix(string([]rune(v)), shown) && shown != string([]rune(v)[:n]) {
			t.Errorf("Redact shows %q, not the start of the value", shown)
		}
		if len(v) >= 8 && strings.Contains(out, v) {
			t.Errorf("Redact output contains the value")
		}
		if fp := Fingerprint("r", "p", v); len(v) >= 4 && strings.Contains(fp, v) {
			t.Errorf("fingerprint contains the key")
		}
	})
}

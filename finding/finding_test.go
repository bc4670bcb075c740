package finding

import (
	"strings"
	"testing"
)

func TestRedactShowsAtMostAFewCharacters(t *testing.T) {
	for _, v := range []string{"ghp_" + strings.Repeat("Ab3", 12), "hunter2!", "short", "p@ssw0rd-with-punctuation"} {
		r := Redact(v)
		shown := strings.SplitN(r, "****", 2)[0]
		if len(shown) > 4 || len(shown) > len(v)/4 {
			t.Errorf("Redact(%d chars) shows %q", len(v), shown)
		}
		if strings.Contains(r, v[len(v)/2:]) {
			t.Errorf("Redact leaks the tail of the value: %q", r)
		}
	}
}

func TestFingerprintIsStableAndHidesTheKey(t *testing.T) {
	key := "AKIA" + strings.Repeat("Q7", 8)
	a := Fingerprint("aws", "x/y.env", key)
	if a != Fingerprint("aws", "x/y.env", key) || len(a) != 32 {
		t.Errorf("fingerprint not stable: %s", a)
	}
	if a == Fingerprint("aws", "x/z.env", key) || a == Fingerprint("gcp", "x/y.env", key) {
		t.Error("fingerprint ignores path or rule")
	}
	if strings.Contains(a, key) {
		t.Error("fingerprint contains the key")
	}
}

func TestSeverityOrderAndParsing(t *testing.T) {
	if !P1.AtLeast(P2) || P3.AtLeast(P2) || Unclassified.AtLeast(P4) {
		t.Error("AtLeast is wrong")
	}
	for _, s := range []string{"p1", " P4 "} {
		if _, err := ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := ParseSeverity("P5"); err == nil {
		t.Error("P5 accepted")
	}
	if c, err := ParseCategory("cl"); err != nil || c != CredentialLeak || c.Name() != "Credential leak" {
		t.Errorf("ParseCategory: %v %v", c, err)
	}
}

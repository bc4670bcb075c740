package testkit

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// recorder counts failures instead of failing, to test the checker itself.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }

func TestAssertNoLeakSeesThroughTrivialForms(t *testing.T) {
	v := NewFakes(7).GitHubPAT()
	md := strings.NewReplacer("_", `\_`, "-", `\-`).Replace(v)
	leaks := map[string]string{
		"clear":            "token " + v,
		"base64":           base64.StdEncoding.EncodeToString([]byte(v)),
		"hex":              hex.EncodeToString([]byte(v)),
		"split over lines": v[:20] + "\n" + v[20:],
		"markdown escaped": md,
		"zero-width":       v[:10] + "\u200b" + v[10:],
		"json escaped":     strings.Replace(v, "_", `\u005f`, 1),
		"html entities":    v[:5] + "&#95;" + v[5:],
		"middle piece":     "…" + v[len(v)/2-8:len(v)/2+8] + "…",
	}
	for name, out := range leaks {
		r := &recorder{TB: t}
		AssertNoLeak(r, name, out, v)
		if r.errors == 0 {
			t.Errorf("%s form not caught", name)
		}
	}
	r := &recorder{TB: t}
	AssertNoLeak(r, "redacted", "ghp_****(40 chars) fingerprint 0f3c9a", v)
	if r.errors != 0 {
		t.Errorf("a redacted form was reported as a leak")
	}
}

package secrets

import (
	"context"
	"encoding/base64"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Every credential in these tests is generated at run time from a seeded
// source, so the repository never holds one and runs are reproducible.

const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits = "0123456789"
	hexset = "0123456789abcdef"
	alnum  = lower + upper + digits
	b64set = alnum + "+/"
	urlset = alnum + "_-"
	punct  = "!%^*-_+=?~"
)

type gen struct{ r *rand.Rand }

func newGen(seed int64) *gen { return &gen{rand.New(rand.NewSource(seed))} }

// s returns n characters drawn from set, redrawn until the value does not
// look hand-made to the placeholder filter (runs like "abcdef" can occur by
// chance in short alphabets).
func (g *gen) s(set string, n int) string {
	for {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[g.r.Intn(len(set))]
		}
		if n < 8 || !obviousFake(string(b)) {
			return string(b)
		}
	}
}

// password returns a password with letters, digits and punctuation.
func (g *gen) password() string {
	return g.s(upper, 1) + g.s(lower, 5) + g.s(punct, 1) + g.s(digits, 2) + g.s(lower+digits, 3) + g.s(punct, 1)
}

func (g *gen) uuid() string {
	return g.s(hexset, 8) + "-" + g.s(hexset, 4) + "-" + g.s(hexset, 4) + "-" + g.s(hexset, 4) + "-" + g.s(hexset, 12)
}

func (g *gen) awsKeyID() string { return "AKIA" + g.s(upper+"234567", 16) }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

var (
	sharedOnce sync.Once
	shared     *Detector
	sharedErr  error
)

func defaultDetector(t testing.TB) *Detector {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = New(Options{}) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

func scan(t testing.TB, d *Detector, path, text string) []finding.Finding {
	t.Helper()
	fs, err := d.Detect(context.Background(), detect.NewTreeFragment(path, text))
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func rulesOf(fs []finding.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

func hasRule(fs []finding.Finding, rule string) bool {
	for _, f := range fs {
		if f.RuleID == rule {
			return true
		}
	}
	return false
}

// assertSafe checks that nothing publishable about a finding carries the secret.
func assertSafe(t *testing.T, f finding.Finding) {
	t.Helper()
	if f.Secret == "" {
		return
	}
	for name, v := range map[string]string{"Redacted": f.Redacted, "Message": f.Message, "Fingerprint": f.Fingerprint, "Title": f.Title} {
		if len(f.Secret) >= 6 && strings.Contains(v, f.Secret) {
			t.Errorf("%s of %s finding contains the secret", name, f.RuleID)
		}
	}
}

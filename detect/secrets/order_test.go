package secrets

import (
	"math/rand"
	"slices"
	"testing"
)

// TestSameSecretSameRuleEveryRun checks that when two rules of the same rank
// match one secret, the finding kept does not depend on the order gitleaks
// happens to run its rules in (it ranges over a map).
func TestSameSecretSameRuleEveryRun(t *testing.T) {
	d := defaultDetector(t)
	g := &hg{rand.New(rand.NewSource(4))}
	text := "curl -H \"x-api-key: " + g.anthropic() + "\" https://api.anthropic.com/v1/messages\n"
	var first []string
	for i := range 30 {
		got := rulesOf(scan(t, d, "deploy.sh", text))
		slices.Sort(got)
		if i == 0 {
			first = got
			if len(got) == 0 {
				t.Fatal("no finding")
			}
			continue
		}
		if !slices.Equal(got, first) {
			t.Fatalf("run %d found %q, run 0 %q", i, got, first)
		}
	}
}

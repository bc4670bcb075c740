package incident

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/internal/githubtest"
)

const testRepo = "acme/widgets"

// detected is a Monday, so working-day arithmetic is easy to check by hand.
var detected = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *fakeClock) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var t time.Duration
	for _, d := range c.slept {
		t += d
	}
	return t
}

// planted values: built at run time so the repository stays clean under its
// own scanner. No output may contain them in any form.
var (
	plantedToken = "ghp_" + strings.Repeat("Zq7R", 9)
	plantedEmail = "jane.doe" + "@" + "personal-mail.example"
	plantedNINO  = "QQ" + "123456" + "C"
)

const (
	hostileAuthor  = "Mallory @acme/security-team"
	hostileSubject = "fix [x](http://evil.example) <img src=x onerror=alert(1)> | ![i](http://evil.example/p.png) #12"
	hostilePath    = "src/<script>alert(1)</script>|@everyone/[a](javascript:alert(1)).go"
)

func testConfig() config.Incidents {
	return config.Incidents{
		Prefix:    "AIENG",
		Owner:     "Security on-call",
		Contact:   "security@department.example",
		Assignees: []string{"alice"},
		Roles: map[string][]string{
			"Security Lead": {"@acme/security"},
			"SIRO":          {"@siro-person"},
			"DPO":           {"@dpo-person"},
			"SRO":           {"sro-person"},
		},
	}
}

func commit(sha string, at time.Time) *finding.Commit {
	return &finding.Commit{
		SHA: sha, Author: hostileAuthor, AuthorEmail: plantedEmail, Date: at,
		Subject: hostileSubject, Message: hostileSubject + "\n\nadded " + plantedToken,
	}
}

func credFinding(path string, line int, sev finding.Severity) finding.Finding {
	return finding.Finding{
		RuleID: "github-pat", Title: "GitHub personal access token", Detector: "secrets",
		Category: finding.CredentialLeak, Class: "specific", Severity: sev,
		Path: path, StartLine: line, EndLine: line,
		Commit:   commit("0123456789abcdef0123456789abcdef01234567", detected.Add(-3*time.Hour)),
		Message:  "GitHub personal access token committed",
		Redacted: finding.Redact(plantedToken), Secret: plantedToken,
		Fingerprint: finding.Fingerprint("github-pat", path, plantedToken),
		Confidence:  finding.High, AITool: "Claude Code",
	}
}

func piiFinding(path string, sev finding.Severity) finding.Finding {
	return finding.Finding{
		RuleID: "uk-nino", Title: "National Insurance number", Detector: "pii",
		Category: finding.DataExposure, Class: "bulk", Severity: sev,
		Path: path, StartLine: 4, Commit: commit("fedcba9876543210fedcba9876543210fedcba98", detected.Add(-30*time.Minute)),
		Message: "120 National Insurance numbers", Redacted: finding.Redact(plantedNINO), Secret: plantedNINO,
		Fingerprint: finding.Fingerprint("uk-nino", path, "4"), DataKinds: []string{"national insurance number", "email"}, Subjects: 120,
	}
}

func prEvent(pr int, head string) Event {
	return Event{
		Kind: "pull_request", Key: "pr:" + strconv.Itoa(pr), Repository: testRepo, PRNumber: pr,
		Ref: "refs/pull/" + strconv.Itoa(pr) + "/merge", BaseSHA: "1111111111111111111111111111111111111111", HeadSHA: head,
		ServerURL: "https://github.com", RunURL: "https://github.com/acme/widgets/actions/runs/42",
		Actor: "mallory", Author: hostileAuthor, DetectedAt: detected,
	}
}

func newTracker(t *testing.T, srv *githubtest.Server, clock *fakeClock, opts ...Option) *Tracker {
	t.Helper()
	opts = append([]Option{WithClock(clock), WithRequestTimeout(2 * time.Second), WithLogf(t.Logf)}, opts...)
	tr, err := NewTracker(srv.URL, "test-token", testRepo, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func openIncidents(srv *githubtest.Server) []githubtest.Issue {
	var out []githubtest.Issue
	for _, is := range srv.Issues(testRepo) {
		if is.State == "open" && hasLabel(is.Labels, LabelIncident) {
			out = append(out, is)
		}
	}
	return out
}

func hasLabel(labels []string, want string) bool {
	for _, l := range labels {
		if l == want {
			return true
		}
	}
	return false
}

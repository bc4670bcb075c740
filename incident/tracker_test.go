package incident

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/internal/githubtest"
)

func sync1(t *testing.T, tr *Tracker, fs []finding.Finding, ev Event) []Result {
	t.Helper()
	res, err := tr.Sync(context.Background(), Build(fs, ev, testConfig()), ev)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return res
}

func TestSyncOpensIssueWithIDLabelsChecklistAndPRComment(t *testing.T) {
	srv := githubtest.NewServer(t)
	pr := srv.AddPullRequest(testRepo, "Add widgets", "mallory")
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := prEvent(pr, "0123456789abcdef0123456789abcdef01234567")
	res := sync1(t, tr, []finding.Finding{credFinding("config.py", 3, finding.P1)}, ev)

	if len(res) != 1 || !res[0].Created || res[0].ID != "AIENG-2026-0002" || res[0].Number != 2 {
		t.Fatalf("results %+v", res)
	}
	issues := srv.Issues(testRepo)
	if len(issues) != 1 {
		t.Fatalf("%d issues", len(issues))
	}
	is := issues[0]
	if want := "[P1] AI Engineering Lab Security Incident - AIENG-2026-0002 - Credential leak: 1 finding in pull request #" + zwj + "1"; is.Title != want {
		t.Errorf("title %q, want %q", is.Title, want)
	}
	for _, l := range []string{"incident", "severity:P1", "category:CL", "status:investigating"} {
		if !hasLabel(is.Labels, l) {
			t.Errorf("issue lacks label %s (has %v)", l, is.Labels)
		}
	}
	if strings.Join(is.Assignees, ",") != "alice" {
		t.Errorf("assignees %v", is.Assignees)
	}
	for _, want := range []string{"**Incident ID:** AIENG-2026-0002", "- [ ] Rotate affected credentials immediately — IT Admin/DevOps — due 2026-03-02 09:30 UTC", "**Next update:** 2026-03-02 10:00 UTC", "id=AIENG-2026-0002"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	labels := map[string]string{}
	for _, l := range srv.Labels(testRepo) {
		labels[l.Name] = l.Color
	}
	if labels["severity:P1"] != "b60205" || labels["category:CL"] == "" {
		t.Errorf("labels not created with colours: %v", labels)
	}
	cs := srv.Comments(testRepo, pr)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "[AIENG-2026-0002](") {
		t.Fatalf("PR comments %+v", cs)
	}
}

func TestRerunAndNewPushUpdateTheSameIncident(t *testing.T) {
	srv := githubtest.NewServer(t)
	pr := srv.AddPullRequest(testRepo, "Add widgets", "mallory")
	tr := newTracker(t, srv, &fakeClock{now: detected})
	head1 := "0123456789abcdef0123456789abcdef01234567"
	first := []finding.Finding{credFinding("a.py", 1, finding.P2), credFinding("b.py", 2, finding.P2)}
	r1 := sync1(t, tr, first, prEvent(pr, head1))

	// A rerun of the same scan changes nothing and says nothing.
	r2 := sync1(t, tr, first, prEvent(pr, head1))
	if len(srv.Issues(testRepo)) != 1 || r2[0].ID != r1[0].ID || r2[0].Created || r2[0].Updated {
		t.Fatalf("rerun: %d issues, results %+v", len(srv.Issues(testRepo)), r2)
	}
	if n := len(srv.Comments(testRepo, r1[0].Number)); n != 0 {
		t.Fatalf("rerun posted %d update comments", n)
	}

	// A new push: b.py fixed, c.py added. Same incident, one update.
	ev := prEvent(pr, "89abcdef0123456789abcdef0123456789abcdef")
	ev.DetectedAt = detected.Add(2 * time.Hour)
	r3 := sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P2), credFinding("c.py", 9, finding.P2)}, ev)
	if len(srv.Issues(testRepo)) != 1 || r3[0].ID != r1[0].ID || !r3[0].Updated {
		t.Fatalf("new push: results %+v", r3)
	}
	cs := srv.Comments(testRepo, r1[0].Number)
	if len(cs) != 1 {
		t.Fatalf("%d update comments", len(cs))
	}
	body := cs[0].Body
	goneFP := shortFingerprint(&first[1])
	for _, want := range []string{
		"**UPDATE [#1] - " + r1[0].ID + " - Credential leak: 2 findings in pull request",
		"**Status:** Investigating", "**Progress since last update:**", "**Current focus:**", "**Blockers/risks:**", "**Next update:** 2026-03-02 15:00 UTC",
		"1 new finding(s)", "c.py:9", "1 finding(s) no longer present in this scan (fingerprints " + goneFP,
		"aiguard never closes incidents: recovery needs the approval of Security Lead",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("update lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "a.py:1") {
		t.Error("update lists an old finding as new")
	}
	if pcs := srv.Comments(testRepo, pr); len(pcs) != 1 || !strings.Contains(pcs[0].Body, "89abcdef0123") {
		t.Errorf("PR comment must be one, edited in place: %+v", pcs)
	}

	// The next push fixes everything: the incident is told, not closed.
	ev.HeadSHA, ev.DetectedAt = "fedcba9876543210fedcba9876543210fedcba98", detected.Add(3*time.Hour)
	if _, err := tr.Sync(context.Background(), nil, ev); err != nil {
		t.Fatal(err)
	}
	cs = srv.Comments(testRepo, r1[0].Number)
	if len(cs) != 2 || !strings.Contains(cs[1].Body, "UPDATE [#2]") || !strings.Contains(cs[1].Body, "2 finding(s) no longer present") {
		t.Fatalf("all-fixed update missing: %+v", cs)
	}
	if is := srv.Issues(testRepo)[0]; is.State != "open" {
		t.Error("aiguard closed an incident")
	}
}

func TestSeverityRaisedUpdatesTitleLabelsAndKeepsTicks(t *testing.T) {
	srv := githubtest.NewServer(t)
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := Event{Kind: "push", Key: "push:refs/heads/main", Repository: testRepo, Ref: "refs/heads/main", HeadSHA: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", DetectedAt: detected}
	r1 := sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P3)}, ev)
	n := r1[0].Number

	// A responder ticks the first action and adds a label of their own.
	tickFirstAction(t, srv, n)

	ev.HeadSHA, ev.DetectedAt = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", detected.Add(time.Hour)
	r2 := sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P3), credFinding("b.py", 1, finding.P1)}, ev)
	if r2[0].Severity != finding.P1 || !r2[0].Updated || r2[0].ID != r1[0].ID {
		t.Fatalf("results %+v", r2)
	}
	is := srv.Issues(testRepo)[0]
	if !strings.HasPrefix(is.Title, "[P1] AI Engineering Lab Security Incident - "+r1[0].ID) {
		t.Errorf("title not raised: %q", is.Title)
	}
	if !hasLabel(is.Labels, "severity:P1") || hasLabel(is.Labels, "severity:P3") || !hasLabel(is.Labels, "triaged") {
		t.Errorf("labels %v", is.Labels)
	}
	if !strings.Contains(is.Body, "- [x] Rotate affected credentials immediately") || !strings.Contains(is.Body, "| First detected | 2026-03-02 09:00 UTC |") {
		t.Errorf("raised body lost the tick or the first detection:\n%s", is.Body)
	}
	cs := srv.Comments(testRepo, n)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "Severity raised from P3 to P1") || !strings.Contains(cs[0].Body, "Security Lead: @acme/security") {
		t.Fatalf("comments %+v", cs)
	}

	// Severity never goes down.
	ev.HeadSHA = "cccccccccccccccccccccccccccccccccccccccc"
	r3 := sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P3)}, ev)
	is = srv.Issues(testRepo)[0]
	if r3[0].Severity != finding.P1 || !strings.HasPrefix(is.Title, "[P1]") || !hasLabel(is.Labels, "severity:P1") {
		t.Errorf("severity lowered: %+v %q %v", r3, is.Title, is.Labels)
	}
}

// tickFirstAction edits the issue as a responder would, through the API.
func tickFirstAction(t *testing.T, srv *githubtest.Server, n int) {
	t.Helper()
	is := srv.Issues(testRepo)[n-1]
	body := strings.Replace(is.Body, "- [ ] Rotate", "- [x] Rotate", 1)
	other, err := NewTracker(srv.URL, "responder-token", testRepo)
	if err != nil {
		t.Fatal(err)
	}
	labels := append(is.Labels, "triaged")
	if _, _, err := other.gh.Issues.Edit(context.Background(), "acme", "widgets", n, &github.IssueRequest{Body: &body, Labels: &labels}); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentSyncs(t *testing.T) {
	srv := githubtest.NewServer(t)
	// Hold every run's first listing so all of them decide to create.
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Hold: 150 * time.Millisecond, Times: 6})
	clock := &fakeClock{now: detected}
	var wg sync.WaitGroup
	results := make([][]Result, 6)
	errs := make([]error, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Runs 0-3 scan the same push; 4 and 5 scan other events.
			ev := Event{Kind: "push", Key: "push:refs/heads/main", Repository: testRepo, HeadSHA: "dddddddddddddddddddddddddddddddddddddddd", DetectedAt: detected}
			if i >= 4 {
				ev.Key = fmt.Sprintf("pr:%d", 100+i)
			}
			tr := newTracker(t, srv, clock)
			results[i], errs[i] = tr.Sync(context.Background(), Build([]finding.Finding{credFinding("a.py", 1, finding.P1)}, ev, testConfig()), ev)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	open := openIncidents(srv)
	if len(open) != 3 {
		t.Fatalf("%d open incidents, want 3 (one per event)", len(open))
	}
	same := results[0][0].ID
	for i := 1; i < 4; i++ {
		if results[i][0].ID != same {
			t.Errorf("run %d got %s, run 0 got %s", i, results[i][0].ID, same)
		}
	}
	ids := map[string]bool{same: true, results[4][0].ID: true, results[5][0].ID: true}
	if len(ids) != 3 {
		t.Errorf("different events share IDs: %v", ids)
	}
	closed := 0
	for _, is := range srv.Issues(testRepo) {
		if is.State == "closed" {
			closed++
			if len(is.Labels) != 0 || !strings.HasPrefix(is.Title, "Duplicate of #") || strings.Contains(is.Body, "aiguard:incident") {
				t.Errorf("a losing duplicate was not stepped aside: %+v", is)
			}
		}
	}
	// The delayed listings make all four runs of the same push create; three
	// must have stepped aside for the lowest-numbered issue.
	if closed != 3 {
		t.Errorf("%d duplicates stepped aside, want 3", closed)
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Status: 502, Times: 2})
	srv.Fail(githubtest.Fault{Route: githubtest.CreateLabel, Status: 429, RetryAfter: 3, Times: 1})
	srv.Fail(githubtest.Fault{Route: githubtest.CreateIssue, Status: 403, Secondary: true, RetryAfter: 5, Times: 1})
	reset := detected.Add(40 * time.Second)
	srv.Fail(githubtest.Fault{Route: githubtest.EditIssue, Status: 403, RateLimitReset: reset, Times: 1})
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, TruncateBody: true, Times: 1})
	clock := &fakeClock{now: detected}
	tr := newTracker(t, srv, clock)
	res := sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P1)}, Event{Kind: "schedule", Key: "schedule:refs/heads/main", Repository: testRepo, DetectedAt: detected})
	if len(res) != 1 || len(srv.Issues(testRepo)) != 1 || !strings.Contains(srv.Issues(testRepo)[0].Title, res[0].ID) {
		t.Fatalf("results %+v issues %+v", res, srv.Issues(testRepo))
	}
	var sawRetryAfter3, sawRetryAfter5 bool
	for _, d := range clock.slept {
		sawRetryAfter3 = sawRetryAfter3 || d == 3*time.Second
		sawRetryAfter5 = sawRetryAfter5 || d == 5*time.Second
	}
	if !sawRetryAfter3 || !sawRetryAfter5 || clock.Now().Before(reset) {
		t.Errorf("waits %v did not honour Retry-After 3s, 5s and the rate-limit reset", clock.slept)
	}
}

func TestLostResponsesCreateNoDuplicates(t *testing.T) {
	srv := githubtest.NewServer(t)
	pr := srv.AddPullRequest(testRepo, "x", "mallory")
	srv.Fail(githubtest.Fault{Route: githubtest.CreateIssue, DropResponse: true, Times: 1})
	srv.Fail(githubtest.Fault{Route: githubtest.CreateComment, DropResponse: true, Times: 2})
	srv.Fail(githubtest.Fault{Route: githubtest.CreateLabel, DropResponse: true, Times: 1})
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := prEvent(pr, "0123456789abcdef0123456789abcdef01234567")
	sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P1)}, ev)
	if n := len(srv.Issues(testRepo)); n != 1 {
		t.Fatalf("%d issues after a lost create response", n)
	}
	if n := len(srv.Comments(testRepo, pr)); n != 1 {
		t.Fatalf("%d PR comments after a lost comment response", n)
	}
	ev.HeadSHA = "1123456789abcdef0123456789abcdef01234567"
	sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P1), credFinding("b.py", 1, finding.P1)}, ev)
	if n := len(srv.Comments(testRepo, srv.Issues(testRepo)[0].Number)); n != 1 {
		t.Fatalf("%d update comments after a lost comment response", n)
	}
}

func TestPermanentFailuresAreReportedAndOthersStillTried(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.Fail(githubtest.Fault{Route: githubtest.CreateIssue, Status: 403, Message: "Resource not accessible by integration", Times: 1})
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := Event{Kind: "push", Key: "push:refs/heads/dev", Repository: testRepo, DetectedAt: detected}
	fs := []finding.Finding{credFinding("a.py", 1, finding.P1), piiFinding("p.csv", finding.P2)}
	res, err := tr.Sync(context.Background(), Build(fs, ev, testConfig()), ev)
	if err == nil || !strings.Contains(err.Error(), "GitHub token cannot write issues in acme/widgets (403): Resource not accessible by integration") || !strings.Contains(err.Error(), "forks get a read-only token") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), "test-token") {
		t.Fatal("error shows the token")
	}
	if len(res) != 1 || res[0].Category != finding.DataExposure || len(srv.Issues(testRepo)) != 1 {
		t.Fatalf("the other incident was not synced: %+v", res)
	}
	if n := countRoute(srv, githubtest.CreateIssue); n != 2 {
		t.Errorf("%d create requests: a permanent 403 must not be retried", n)
	}
}

func TestReadOnlyAndBadTokens(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*githubtest.Server)
		want  string
	}{
		{"fork token", func(s *githubtest.Server) { s.SetReadOnly("test-token") }, "cannot write issues in acme/widgets (403)"},
		{"bad token", func(s *githubtest.Server) { s.SetToken("other", "someone") }, "GitHub rejected the token (401"},
		{"no repo", func(s *githubtest.Server) {
			s.Fail(githubtest.Fault{Route: githubtest.ListIssues, Status: 404, Message: "Not Found"})
		}, "not found or not visible to the token (404)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := githubtest.NewServer(t)
			tc.setup(srv)
			tr := newTracker(t, srv, &fakeClock{now: detected})
			ev := Event{Kind: "push", Key: "push:x", Repository: testRepo, DetectedAt: detected}
			_, err := tr.Sync(context.Background(), Build([]finding.Finding{credFinding("a.py", 1, finding.P1)}, ev, testConfig()), ev)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q, want one line with %q", err, tc.want)
			}
			if n := len(srv.Requests()); n > 12 {
				t.Errorf("%d requests: permanent failures must not storm", n)
			}
		})
	}
}

func TestRateLimitWaitIsCapped(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Status: 403, RateLimitReset: detected.Add(time.Hour)})
	clock := &fakeClock{now: detected}
	tr := newTracker(t, srv, clock)
	ev := Event{Kind: "push", Key: "push:x", Repository: testRepo, DetectedAt: detected}
	_, err := tr.Sync(context.Background(), Build([]finding.Finding{credFinding("a.py", 1, finding.P1)}, ev, testConfig()), ev)
	if err == nil || !strings.Contains(err.Error(), "rate limit") {
		t.Fatalf("error %v", err)
	}
	if clock.total() > 60*time.Second {
		t.Errorf("waited %s, more than the 60 s budget", clock.total())
	}
	if len(openIncidents(srv)) != 0 {
		t.Error("created an issue without being able to list existing ones")
	}
}

func TestSlowResponsesTimeOutAndAreRetried(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Delay: 3 * time.Second, Times: 1})
	srv.Fail(githubtest.Fault{Route: githubtest.CreateIssue, Delay: 3 * time.Second, Times: 1})
	tr := newTracker(t, srv, &fakeClock{now: detected}, WithRequestTimeout(150*time.Millisecond))
	sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P1)}, Event{Kind: "push", Key: "push:x", Repository: testRepo, DetectedAt: detected})
	if n := len(srv.Issues(testRepo)); n != 1 {
		t.Fatalf("%d issues", n)
	}
}

func TestPaginationFindsOlderIncidentsAndFailsClosed(t *testing.T) {
	srv := githubtest.NewServer(t)
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := Event{Kind: "push", Key: "push:refs/heads/main", Repository: testRepo, HeadSHA: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", DetectedAt: detected}
	fs := []finding.Finding{credFinding("a.py", 1, finding.P1)}
	first := sync1(t, tr, fs, ev)
	// 150 newer incidents push ours to the second page.
	for i := range 150 {
		srv.AddIssue(testRepo, githubtest.Issue{Title: fmt.Sprintf("other %d", i), Labels: []string{"incident"}, Body: "not ours", CreatedAt: time.Now().Add(time.Hour)})
	}
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Page: 2, TruncateBody: true, Times: 1})
	again := sync1(t, tr, fs, ev)
	if again[0].ID != first[0].ID || len(openIncidents(srv)) != 151 {
		t.Fatalf("second page missed: %+v", again)
	}
	// If the second page cannot be read at all, nothing is created.
	srv.Fail(githubtest.Fault{Route: githubtest.ListIssues, Page: 2, Status: 500})
	ev.Key = "push:refs/heads/other"
	if _, err := tr.Sync(context.Background(), Build(fs, ev, testConfig()), ev); err == nil {
		t.Fatal("Sync succeeded without reading every page")
	}
	if len(openIncidents(srv)) != 151 {
		t.Error("created an issue from a partial listing")
	}
}

func TestEnterpriseServerBaseURL(t *testing.T) {
	srv := githubtest.NewServer(t)
	tr, err := NewTracker(srv.URL+"/api/v3", "test-token", testRepo, WithClock(&fakeClock{now: detected}))
	if err != nil {
		t.Fatal(err)
	}
	sync1(t, tr, []finding.Finding{credFinding("a.py", 1, finding.P1)}, Event{Kind: "push", Key: "push:x", Repository: testRepo, DetectedAt: detected})
	if len(srv.Issues(testRepo)) != 1 {
		t.Fatal("no issue created on GHES")
	}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/api/v3/repos/acme/widgets/") {
			t.Errorf("request outside the GHES API root: %s %s", r.Method, r.Path)
		}
	}
}

func TestNewTrackerRejectsBadInput(t *testing.T) {
	for _, c := range [][3]string{{"", "tok", "noslash"}, {"", "", "a/b"}, {"ftp://x", "tok", "a/b"}, {"", "tok", "a/b/c"}} {
		if _, err := NewTracker(c[0], c[1], c[2]); err == nil {
			t.Errorf("NewTracker%q accepted", c)
		}
	}
}

func TestNothingFoundIsEverSent(t *testing.T) {
	srv := githubtest.NewServer(t)
	pr := srv.AddPullRequest(testRepo, "x", "mallory")
	tr := newTracker(t, srv, &fakeClock{now: detected})
	ev := prEvent(pr, "0123456789abcdef0123456789abcdef01234567")
	ev.Ref = "refs/heads/@acme/security-team<img src=x>"
	fs := []finding.Finding{credFinding(hostilePath, 1, finding.P2), piiFinding(hostilePath, finding.P2)}
	sync1(t, tr, fs, ev)
	ev.HeadSHA = "1123456789abcdef0123456789abcdef01234567"
	fs = append(fs, credFinding("z.py", 1, finding.P1))
	sync1(t, tr, fs, ev)

	var sent []string
	for _, r := range srv.Requests() {
		sent = append(sent, r.Path+"?"+r.Query+"\n"+r.Body)
	}
	for _, is := range srv.Issues(testRepo) {
		sent = append(sent, is.Title, is.Body, strings.Join(is.Labels, "\n"))
		for _, c := range srv.Comments(testRepo, is.Number) {
			sent = append(sent, c.Body)
		}
	}
	for _, c := range srv.Comments(testRepo, pr) {
		sent = append(sent, c.Body)
	}
	all := strings.Join(sent, "\n")
	for _, v := range []string{plantedToken, plantedEmail, plantedNINO} {
		for _, form := range []string{v, base64.StdEncoding.EncodeToString([]byte(v)), url.QueryEscape(v), v[len(v)/2:]} {
			if strings.Contains(all, form) {
				t.Errorf("a request to GitHub contains a planted value (form %q)", form[:4])
			}
		}
	}
	for _, is := range srv.Issues(testRepo) {
		checkNoInjection(t, "issue body", is.Body)
		for _, c := range srv.Comments(testRepo, is.Number) {
			checkNoInjection(t, "comment", c.Body)
		}
	}
}

func countRoute(srv *githubtest.Server, route string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Route == route {
			n++
		}
	}
	return n
}

func TestHugeIncidentsFitGitHubLimits(t *testing.T) {
	srv := githubtest.NewServer(t)
	tr := newTracker(t, srv, &fakeClock{now: detected})
	hostileDir := strings.Repeat("<&@|", 60) + "/"
	var fs []finding.Finding
	for i := range 3000 {
		fs = append(fs, credFinding(fmt.Sprintf("%s%d.py", hostileDir, i), i+1, finding.P2))
	}
	ev := Event{Kind: "push", Key: "push:big", Repository: testRepo, HeadSHA: "abababababababababababababababababababab", DetectedAt: detected}
	sync1(t, tr, fs[:1500], ev)
	ev.HeadSHA = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	sync1(t, tr, fs, ev)
	is := srv.Issues(testRepo)[0]
	cs := srv.Comments(testRepo, is.Number)
	if len(cs) != 1 || len(is.Body) > 65536 || len(cs[0].Body) > 65536 || len(is.Title) > 256 {
		t.Fatalf("body %d bytes, %d comments", len(is.Body), len(cs))
	}
	if !strings.Contains(is.Body, "more finding(s) are in the SARIF report") {
		t.Error("a truncated table must say so")
	}
}

func TestInterruptedCreationIsRepairedByTheNextRun(t *testing.T) {
	srv := githubtest.NewServer(t)
	srv.Fail(githubtest.Fault{Route: githubtest.EditIssue, Status: 500, Times: 5})
	var logs []string
	var mu sync.Mutex
	logf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, fmt.Sprintf(format, args...))
	}
	tr := newTracker(t, srv, &fakeClock{now: detected}, WithLogf(logf))
	ev := Event{Kind: "push", Key: "push:x", Repository: testRepo, HeadSHA: "abcabcabcabcabcabcabcabcabcabcabcabcabca", DetectedAt: detected}
	fs := []finding.Finding{credFinding("a.py", 1, finding.P1)}
	if _, err := tr.Sync(context.Background(), Build(fs, ev, testConfig()), ev); err == nil || !strings.Contains(err.Error(), "set the incident ID on #1") {
		t.Fatalf("error %v", err)
	}
	if is := srv.Issues(testRepo)[0]; !strings.Contains(is.Title, "AIENG-2026-pending") {
		t.Fatalf("title %q", is.Title)
	}
	res := sync1(t, tr, fs, ev)
	is := srv.Issues(testRepo)
	if len(is) != 1 || res[0].ID != "AIENG-2026-0001" || !strings.Contains(is[0].Title, "AIENG-2026-0001") || !strings.Contains(is[0].Body, "**Incident ID:** AIENG-2026-0001") {
		t.Fatalf("not repaired: %+v %q", res, is[0].Title)
	}
	if len(logs) == 0 {
		t.Fatal("retries were not logged")
	}
	for _, l := range logs {
		if strings.Contains(l, "test-token") || strings.Contains(l, "\n") {
			t.Errorf("log line %q shows the token or spans lines", l)
		}
	}
}

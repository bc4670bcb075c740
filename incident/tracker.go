package incident

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/finding"
)

// Label names the tracker maintains.
const (
	LabelIncident      = "incident"
	LabelInvestigating = "status:investigating"
)

// SeverityLabel is the label for a severity, e.g. "severity:P1".
func SeverityLabel(s finding.Severity) string { return "severity:" + s.String() }

// CategoryLabel is the label for a category, e.g. "category:CL".
func CategoryLabel(c finding.Category) string { return "category:" + string(c) }

// Result is what Sync did for one incident.
type Result struct {
	ID       string
	Category finding.Category
	// Severity is the tracking issue's severity, which never goes down.
	Severity finding.Severity
	Number   int
	URL      string
	// Created is true when this Sync opened the issue; Updated when it
	// posted a status update to an existing one.
	Created bool
	Updated bool
	// Findings is how many findings this scan found for the incident.
	Findings int
	Warnings []string

	login string // who opened the issue: the only author whose markers count
}

// Option configures a Tracker.
type Option func(*options)

type options struct {
	client   *http.Client
	clock    Clock
	maxWait  time.Duration
	timeout  time.Duration
	attempts int
	logf     func(string, ...any)
}

// WithHTTPClient sets the client whose transport carries the requests.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// WithClock replaces the clock used for backoff and rate-limit waits.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithMaxWait caps the total time spent waiting to retry, 60 s by default.
func WithMaxWait(d time.Duration) Option { return func(o *options) { o.maxWait = d } }

// WithRequestTimeout bounds each attempt of each request, 30 s by default.
func WithRequestTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithAttempts sets how many times a request is tried, 5 by default.
func WithAttempts(n int) Option { return func(o *options) { o.attempts = n } }

// WithLogf receives one-line notes about retries and non-fatal problems. The
// token is never part of them.
func WithLogf(f func(format string, args ...any)) Option { return func(o *options) { o.logf = f } }

// Tracker keeps one repository's incident issues.
//
// Identity: an issue carries a hidden marker with the incident's dedupe key
// (a hash of repository, Event.Key and category). Later scans find the open
// incident by listing issues labelled "incident" (the list API is
// consistent; search lags), so reruns and new pushes update it.
//
// IDs: NNNN is the issue number, which GitHub assigns atomically, so IDs are
// unique in a repository however many runs there are; the issue is created
// with a provisional title and then given its ID. A run interrupted in
// between leaves "pending" in the title and the next run sets it.
//
// Races: two runs that scan the same event at the same moment may both
// create an issue. Each re-lists after creating; the lowest-numbered issue
// wins, and the others are edited into "Duplicate of #N" pointers, stripped
// of marker and labels, and closed before ever getting an ID. The residual
// risk is a listing that misses a just-created issue, which GitHub's issue
// list does not do.
//
// Permissions: issues: write (create, edit, comment, labels) and, for the
// pull request comment, pull-requests: write or issues: write.
type Tracker struct {
	gh          *github.Client
	owner, name string
	repo        string
	transport   *retryTransport
	logf        func(string, ...any)

	labelsMu sync.Mutex
	labels   map[string]bool
}

// NewTracker returns a tracker for repo ("owner/name") on the GitHub API at
// baseURL: "" or https://api.github.com for github.com, or a GitHub
// Enterprise Server API root such as https://ghe.example/api/v3 (the value of
// GITHUB_API_URL).
func NewTracker(baseURL, token, repo string, opts ...Option) (*Tracker, error) {
	if !repoRE.MatchString(repo) {
		return nil, fmt.Errorf("GitHub repository %q is not in the form owner/name", repo)
	}
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("no GitHub token: set GITHUB_TOKEN to a token that can write issues")
	}
	if baseURL == "" {
		baseURL = "https://api.github.com/"
	}
	u, err := url.Parse(strings.TrimRight(baseURL, "/") + "/")
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an http(s) URL", baseURL)
	}
	o := options{clock: realClock{}, maxWait: 60 * time.Second, timeout: 30 * time.Second, attempts: 5, logf: func(string, ...any) {}}
	for _, opt := range opts {
		opt(&o)
	}
	base := http.DefaultTransport
	if o.client != nil && o.client.Transport != nil {
		base = o.client.Transport
	}
	rt := &retryTransport{base: base, clock: o.clock, attempts: max(o.attempts, 1), timeout: o.timeout, budget: o.maxWait, logf: o.logf}
	gh := github.NewClient(&http.Client{Transport: rt}).WithAuthToken(token)
	gh.BaseURL = u
	gh.UserAgent = "aiguard"
	owner, name, _ := strings.Cut(repo, "/")
	return &Tracker{gh: gh, owner: owner, name: name, repo: repo, transport: rt, logf: o.logf, labels: map[string]bool{}}, nil
}

// tracked is an open incident issue found on GitHub.
type tracked struct {
	issue    *github.Issue
	key      string
	event    string
	category finding.Category
	severity finding.Severity
	id       string
	detected time.Time
}

var markerRE = regexp.MustCompile(`^<!-- aiguard:incident v=1 key=([0-9a-f]+) event=([0-9a-f]+) category=([A-Z]{2}) severity=(P[1-4]) id=([A-Za-z0-9-]+) detected=([0-9TZ:+.-]+) -->`)

func parseTracked(is *github.Issue) *tracked {
	m := markerRE.FindStringSubmatch(is.GetBody())
	if m == nil || is.IsPullRequest() {
		return nil
	}
	sev, _ := finding.ParseSeverity(m[4])
	tr := &tracked{issue: is, key: m[1], event: m[2], category: finding.Category(m[3]), severity: sev, id: m[5]}
	tr.detected, _ = time.Parse(time.RFC3339, m[6])
	// A responder may raise the severity by relabelling; respect it.
	for _, l := range is.Labels {
		if s, ok := strings.CutPrefix(l.GetName(), "severity:"); ok {
			if ls, err := finding.ParseSeverity(s); err == nil && ls < tr.severity {
				tr.severity = ls
			}
		}
	}
	return tr
}

// Sync opens or updates the tracking issue of every incident of ev, which
// must be all of the event's incidents: open incidents of ev in categories
// no longer found get an update saying so. It tries every incident and
// returns the errors joined, so the caller can still block and write its
// other outputs. It never closes an incident.
func (t *Tracker) Sync(ctx context.Context, incidents []Incident, ev Event) ([]Result, error) {
	if ev.Key == "" {
		return nil, errors.New("incident event has no key to track it by")
	}
	var warnings []string
	if err := t.ensureLabels(ctx, incidents); err != nil {
		warnings = append(warnings, err.Error())
		t.logf("%v", err)
	}
	open, err := t.listOpen(ctx)
	if err != nil {
		return nil, t.describe("list incident issues", err)
	}
	var results []Result
	var errs []error
	for i := range incidents {
		inc := &incidents[i]
		r, err := t.syncOne(ctx, inc, open)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s incident (%s): %w", inc.Category.Name(), inc.Severity, err))
			continue
		}
		r.Warnings = append(r.Warnings, warnings...)
		results = append(results, r)
	}
	found := map[finding.Category]bool{}
	for _, inc := range incidents {
		found[inc.Category] = true
	}
	var staleList []*tracked
	for _, tr := range open {
		if tr.event == eventKey(ev) && !found[tr.category] && lowest(open, tr.key) == tr {
			staleList = append(staleList, tr)
		}
	}
	sort.Slice(staleList, func(i, j int) bool { return staleList[i].issue.GetNumber() < staleList[j].issue.GetNumber() })
	for _, tr := range staleList {
		if err := t.reportGone(ctx, tr, ev); err != nil {
			errs = append(errs, fmt.Errorf("%s incident %s: %w", tr.category.Name(), tr.id, err))
		}
	}
	if ev.PRNumber > 0 {
		if err := t.syncPRComment(ctx, ev, results, staleList); err != nil {
			errs = append(errs, fmt.Errorf("pull request comment: %w", err))
		}
	}
	return results, errors.Join(errs...)
}

// listOpen lists the open incident issues. It uses the issue list, which is
// consistent, not search, which lags: a missed incident would be reopened
// as a duplicate. Any failure fails the listing for the same reason.
func (t *Tracker) listOpen(ctx context.Context) ([]*tracked, error) {
	opt := &github.IssueListByRepoOptions{State: "open", Labels: []string{LabelIncident}, ListOptions: github.ListOptions{PerPage: 100}}
	var out []*tracked
	for pages := 0; pages < 50; pages++ {
		issues, resp, err := t.gh.Issues.ListByRepo(ctx, t.owner, t.name, opt)
		if err != nil {
			return nil, err
		}
		for _, is := range issues {
			if tr := parseTracked(is); tr != nil {
				out = append(out, tr)
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
	return nil, errors.New("more than 5000 open incident issues; refusing to guess whether this one exists")
}

// lowest returns the open issue with key of the lowest number: when two runs
// opened the same incident at once, both agree the older one is it.
func lowest(open []*tracked, key string) *tracked {
	var best *tracked
	for _, tr := range open {
		if tr.key == key && (best == nil || tr.issue.GetNumber() < best.issue.GetNumber()) {
			best = tr
		}
	}
	return best
}

func (t *Tracker) syncOne(ctx context.Context, inc *Incident, open []*tracked) (Result, error) {
	if tr := lowest(open, inc.DedupeKey()); tr != nil {
		return t.update(ctx, inc, tr)
	}
	return t.create(ctx, inc)
}

func (t *Tracker) create(ctx context.Context, inc *Incident) (Result, error) {
	key := inc.DedupeKey()
	res := Result{Category: inc.Category, Severity: inc.Severity, Findings: len(inc.Findings)}
	req := &github.IssueRequest{
		Title:  github.String(inc.Title()),
		Body:   github.String(inc.Body()),
		Labels: &[]string{LabelIncident, SeverityLabel(inc.Severity), CategoryLabel(inc.Category), LabelInvestigating},
	}
	if len(inc.Config.Assignees) > 0 {
		req.Assignees = &inc.Config.Assignees
	}
	findMine := func() (*github.Issue, bool, error) {
		open, err := t.listOpen(ctx)
		if err != nil {
			return nil, false, err
		}
		if tr := lowest(open, key); tr != nil {
			return tr.issue, true, nil
		}
		return nil, false, nil
	}
	issue, err := reconcile(ctx, t, func() (*github.Issue, error) {
		is, _, err := t.gh.Issues.Create(ctx, t.owner, t.name, req)
		var er *github.ErrorResponse
		if err != nil && req.Assignees != nil && errors.As(err, &er) && er.Response.StatusCode == http.StatusUnprocessableEntity {
			// Assignees who cannot be assigned must not stop the incident.
			res.Warnings = append(res.Warnings, fmt.Sprintf("could not assign %s: %s", strings.Join(*req.Assignees, ", "), oneLine(er.Message)))
			req.Assignees = nil
			is, _, err = t.gh.Issues.Create(ctx, t.owner, t.name, req)
		}
		return is, err
	}, findMine)
	if err != nil {
		return res, t.describe("create an incident issue", err)
	}
	// Another run may have opened the same incident at the same moment; the
	// lowest-numbered issue wins and the others step aside.
	open, err := t.listOpen(ctx)
	if err != nil {
		return res, t.describe("check for concurrent incident issues", err)
	}
	if winner := lowest(open, key); winner != nil && winner.issue.GetNumber() < issue.GetNumber() {
		if err := t.stepAside(ctx, issue, winner); err != nil {
			return res, err
		}
		return t.update(ctx, inc, winner)
	}
	res.Number, res.URL, res.Created, res.login = issue.GetNumber(), issue.GetHTMLURL(), true, issue.GetUser().GetLogin()
	inc.ID = FormatID(inc.Config.Prefix, inc.idYear(), issue.GetNumber())
	res.ID = inc.ID
	edit := &github.IssueRequest{Title: github.String(inc.Title()), Body: github.String(inc.Body())}
	if _, _, err := t.gh.Issues.Edit(ctx, t.owner, t.name, issue.GetNumber(), edit); err != nil {
		return res, t.describe("set the incident ID on #"+strconv.Itoa(issue.GetNumber()), err)
	}
	return res, nil
}

// stepAside turns an issue that lost the race into a pointer to the winner.
// It was never an incident of its own (it has no ID), so closing it is not
// closing an incident; it loses the marker and labels so no scan finds it.
func (t *Tracker) stepAside(ctx context.Context, mine *github.Issue, winner *tracked) error {
	n := winner.issue.GetNumber()
	edit := &github.IssueRequest{
		Title:       github.String(fmt.Sprintf("Duplicate of #%d (opened by a concurrent aiguard run)", n)),
		Body:        github.String(fmt.Sprintf("Duplicate of #%d: two aiguard runs opened this incident at the same moment. The lower-numbered issue tracks it.", n)),
		Labels:      &[]string{},
		State:       github.String("closed"),
		StateReason: github.String("not_planned"),
	}
	if _, _, err := t.gh.Issues.Edit(ctx, t.owner, t.name, mine.GetNumber(), edit); err != nil {
		return t.describe(fmt.Sprintf("mark #%d as a duplicate of #%d", mine.GetNumber(), n), err)
	}
	return nil
}

// idOf returns the tracked issue's ID, deriving it when a run stopped
// between creating the issue and setting its ID.
func idOf(tr *tracked, prefix string) string {
	if tr.id != pendingIDSuffix {
		return tr.id
	}
	year := tr.detected.Year()
	if tr.detected.IsZero() {
		year = tr.issue.GetCreatedAt().Year()
	}
	return FormatID(prefix, year, tr.issue.GetNumber())
}

func (t *Tracker) update(ctx context.Context, inc *Incident, tr *tracked) (Result, error) {
	inc.ID = idOf(tr, inc.Config.Prefix)
	res := Result{ID: inc.ID, Category: inc.Category, Number: tr.issue.GetNumber(), URL: tr.issue.GetHTMLURL(),
		Findings: len(inc.Findings), login: tr.issue.GetUser().GetLogin()}
	st, err := t.latestState(ctx, tr)
	if err != nil {
		return res, t.describe("read incident "+inc.ID, err)
	}
	raised := inc.Severity < tr.severity
	res.Severity = min(inc.Severity, tr.severity)
	if raised || tr.id == pendingIDSuffix {
		if err := t.rewrite(ctx, inc, tr); err != nil {
			return res, err
		}
	}

	cur := map[string]bool{}
	var added []finding.Finding
	for i := range inc.Findings {
		fp := shortFingerprint(&inc.Findings[i])
		cur[fp] = true
		if !st.fps[fp] {
			added = append(added, inc.Findings[i])
		}
	}
	gone := st.goneFrom(cur)
	if !raised && len(added) == 0 && len(gone) == 0 && st.head == safeToken(inc.Event.HeadSHA) {
		return res, nil
	}
	u := &statusUpdate{id: inc.ID, seq: st.seq + 1, ev: inc.Event, category: inc.Category, inc: inc, severity: res.Severity, added: added, gone: gone, now: inc.DetectedAt}
	if raised {
		u.raisedFrom = tr.severity
	}
	if err := t.postUpdate(ctx, tr, u); err != nil {
		return res, err
	}
	res.Updated = true
	return res, nil
}

// rewrite re-renders a tracking issue whose severity rose (or whose ID was
// never set), keeping the ticks responders already made and the labels
// they added.
func (t *Tracker) rewrite(ctx context.Context, inc *Incident, tr *tracked) error {
	if inc.Severity > tr.severity {
		// Never lower: render at the tracked severity.
		inc.Severity = tr.severity
		inc.setDeadlines()
	}
	inc.firstDetected = tr.detected
	body := keepTicks(tr.issue.GetBody(), inc.Body())
	// The state stays that of the last update until the next update is posted.
	if old := stateRE.FindString(tr.issue.GetBody()); old != "" {
		body = stateRE.ReplaceAllLiteralString(body, old)
	}
	labels := []string{SeverityLabel(inc.Severity)}
	for _, l := range tr.issue.Labels {
		if !strings.HasPrefix(l.GetName(), "severity:") {
			labels = append(labels, l.GetName())
		}
	}
	edit := &github.IssueRequest{Title: github.String(inc.Title()), Body: github.String(body), Labels: &labels}
	if _, _, err := t.gh.Issues.Edit(ctx, t.owner, t.name, tr.issue.GetNumber(), edit); err != nil {
		return t.describe("update incident "+inc.ID, err)
	}
	return nil
}

var tickedRE = regexp.MustCompile(`(?m)^- \[[xX]\] ([^—\n]+?)\s*(?:—.*)?$`)

// keepTicks carries the checked task items of old into fresh, matching on
// the action text (due times change when the severity rises).
func keepTicks(old, fresh string) string {
	done := map[string]bool{}
	for _, m := range tickedRE.FindAllStringSubmatch(old, -1) {
		done[strings.TrimSpace(m[1])] = true
	}
	lines := strings.Split(fresh, "\n")
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "- [ ] ")
		if !ok {
			continue
		}
		item, _, _ := strings.Cut(rest, " — ")
		if done[strings.TrimSpace(item)] {
			lines[i] = "- [x] " + rest
		}
	}
	return strings.Join(lines, "\n")
}

// reportGone posts an update to an open incident of ev whose category this
// scan found nothing in.
func (t *Tracker) reportGone(ctx context.Context, tr *tracked, ev Event) error {
	prefix := strings.SplitN(tr.id, "-", 2)[0]
	id := idOf(tr, prefix)
	st, err := t.latestState(ctx, tr)
	if err != nil {
		return t.describe("read incident "+id, err)
	}
	gone := st.goneFrom(nil)
	if len(gone) == 0 && st.head == safeToken(ev.HeadSHA) {
		return nil
	}
	now := ev.DetectedAt
	if now.IsZero() {
		now = time.Now()
	}
	u := &statusUpdate{id: id, seq: st.seq + 1, ev: ev, category: tr.category, severity: tr.severity, gone: gone, now: now.UTC()}
	return t.postUpdate(ctx, tr, u)
}

// issueState is what the last status update recorded.
type issueState struct {
	seq  int
	head string
	fps  map[string]bool
	// order keeps fingerprints in recorded order for stable messages.
	order    []string
	comments []*github.IssueComment
}

func (s *issueState) goneFrom(cur map[string]bool) []string {
	var gone []string
	for _, fp := range s.order {
		if !cur[fp] {
			gone = append(gone, fp)
		}
	}
	return gone
}

var stateRE = regexp.MustCompile(`(?m)^<!-- aiguard:state seq=(\d+) head=([A-Za-z0-9._-]+) fps=([A-Za-z0-9._,-]*) -->$`)

func parseState(body string) (issueState, bool) {
	m := stateRE.FindStringSubmatch(body)
	if m == nil {
		return issueState{}, false
	}
	seq, _ := strconv.Atoi(m[1])
	st := issueState{seq: seq, head: m[2], fps: map[string]bool{}}
	for _, fp := range strings.Split(m[3], ",") {
		if fp != "" && !st.fps[fp] {
			st.fps[fp] = true
			st.order = append(st.order, fp)
		}
	}
	return st, true
}

// latestState reads the state recorded by the last aiguard update, trusting
// only comments by the account that opened the issue, so another commenter
// cannot forge what aiguard believes it reported.
func (t *Tracker) latestState(ctx context.Context, tr *tracked) (issueState, error) {
	st, _ := parseState(tr.issue.GetBody())
	comments, err := t.listComments(ctx, tr.issue.GetNumber())
	if err != nil {
		return st, err
	}
	self := tr.issue.GetUser().GetLogin()
	for _, c := range comments {
		if c.GetUser().GetLogin() != self {
			continue
		}
		if s, ok := parseState(c.GetBody()); ok && s.seq >= st.seq {
			st = s
		}
	}
	st.comments = comments
	return st, nil
}

func (t *Tracker) listComments(ctx context.Context, number int) ([]*github.IssueComment, error) {
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	var out []*github.IssueComment
	for pages := 0; pages < 30; pages++ {
		cs, resp, err := t.gh.Issues.ListComments(ctx, t.owner, t.name, number, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

func (t *Tracker) postUpdate(ctx context.Context, tr *tracked, u *statusUpdate) error {
	body := u.body(tr.key)
	marker := u.marker(tr.key)
	n := tr.issue.GetNumber()
	_, err := reconcile(ctx, t, func() (*github.IssueComment, error) {
		c, _, err := t.gh.Issues.CreateComment(ctx, t.owner, t.name, n, &github.IssueComment{Body: github.String(body)})
		return c, err
	}, func() (*github.IssueComment, bool, error) {
		cs, err := t.listComments(ctx, n)
		if err != nil {
			return nil, false, err
		}
		for _, c := range cs {
			if strings.HasPrefix(c.GetBody(), marker) {
				return c, true, nil
			}
		}
		return nil, false, nil
	})
	if err != nil {
		return t.describe(fmt.Sprintf("post update %d to incident %s", u.seq, u.id), err)
	}
	return nil
}

// syncPRComment keeps one short comment on the pull request listing its
// incidents, edited in place on later scans.
func (t *Tracker) syncPRComment(ctx context.Context, ev Event, results []Result, stale []*tracked) error {
	var links []prLink
	self := ""
	for _, r := range results {
		links = append(links, prLink{id: r.ID, url: r.URL, severity: r.Severity, category: r.Category, findings: r.Findings})
		self = r.login
	}
	for _, tr := range stale {
		links = append(links, prLink{id: idOf(tr, strings.SplitN(tr.id, "-", 2)[0]), url: tr.issue.GetHTMLURL(), severity: tr.severity, category: tr.category})
		self = tr.issue.GetUser().GetLogin()
	}
	if len(links) == 0 {
		return nil
	}
	sort.SliceStable(links, func(i, j int) bool { return links[i].severity < links[j].severity })
	now := ev.DetectedAt
	if now.IsZero() {
		now = time.Now()
	}
	body := prCommentBody(ev, links, now)
	marker := prCommentMarker(ev)
	find := func() (*github.IssueComment, bool, error) {
		cs, err := t.listComments(ctx, ev.PRNumber)
		if err != nil {
			return nil, false, err
		}
		for _, c := range cs {
			if strings.HasPrefix(c.GetBody(), marker) && (self == "" || c.GetUser().GetLogin() == self) {
				return c, true, nil
			}
		}
		return nil, false, nil
	}
	existing, ok, err := find()
	if err != nil {
		return t.describe(fmt.Sprintf("read the comments of pull request #%d", ev.PRNumber), err)
	}
	if ok {
		if existing.GetBody() == body {
			return nil
		}
		if _, _, err := t.gh.Issues.EditComment(ctx, t.owner, t.name, existing.GetID(), &github.IssueComment{Body: github.String(body)}); err != nil {
			return t.describe(fmt.Sprintf("update the comment on pull request #%d", ev.PRNumber), err)
		}
		return nil
	}
	_, err = reconcile(ctx, t, func() (*github.IssueComment, error) {
		c, _, err := t.gh.Issues.CreateComment(ctx, t.owner, t.name, ev.PRNumber, &github.IssueComment{Body: github.String(body)})
		return c, err
	}, find)
	if err != nil {
		return t.describe(fmt.Sprintf("comment on pull request #%d", ev.PRNumber), err)
	}
	return nil
}

// reconcile runs create; when its outcome is unknown (no answer, or a 5xx
// that may have come after GitHub acted) it looks for the created object
// before trying again, so a lost response never creates a duplicate.
func reconcile[T any](ctx context.Context, t *Tracker, create func() (T, error), find func() (T, bool, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		v, err := create()
		if err == nil {
			return v, nil
		}
		if !uncertain(ctx, err) || attempt >= 3 {
			return zero, err
		}
		got, ok, ferr := find()
		if ferr != nil {
			return zero, errors.Join(err, ferr)
		}
		if ok {
			t.logf("GitHub lost the answer to a create in %s (%v); found what it created", t.repo, err)
			return got, nil
		}
		wait := t.transport.backoff(attempt)
		if !t.transport.reserve(wait) {
			return zero, err
		}
		if serr := t.transport.clock.Sleep(ctx, wait); serr != nil {
			return zero, err
		}
	}
}

// uncertain reports whether a failed write may nevertheless have happened.
func uncertain(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) {
		return er.Response != nil && er.Response.StatusCode >= 500
	}
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	return !errors.As(err, &rl) && !errors.As(err, &ab)
}

// labelSpec is a label the tracker creates when missing.
type labelSpec struct{ name, color, description string }

func wantedLabels(incidents []Incident) []labelSpec {
	colors := map[finding.Severity]string{finding.P1: "b60205", finding.P2: "d93f0b", finding.P3: "fbca04", finding.P4: "c5def5"}
	specs := []labelSpec{
		{LabelIncident, "b60205", "Security incident tracked by aiguard"},
		{LabelInvestigating, "1d76db", "Incident status: investigating"},
	}
	seen := map[string]bool{}
	for _, inc := range incidents {
		info := classify.InfoFor(inc.Severity)
		for _, s := range []labelSpec{
			{SeverityLabel(inc.Severity), colors[inc.Severity], fmt.Sprintf("%s - %s: respond within %s", inc.Severity, info.Name, info.Response)},
			{CategoryLabel(inc.Category), "5319e7", "Incident category: " + inc.Category.Name()},
		} {
			if !seen[s.name] {
				seen[s.name] = true
				specs = append(specs, s)
			}
		}
	}
	return specs
}

// ensureLabels creates the labels the incidents need. Failing is not fatal:
// the issue still carries its labels by name.
func (t *Tracker) ensureLabels(ctx context.Context, incidents []Incident) error {
	if len(incidents) == 0 {
		return nil
	}
	var errs []error
	for _, s := range wantedLabels(incidents) {
		t.labelsMu.Lock()
		done := t.labels[s.name]
		t.labelsMu.Unlock()
		if done {
			continue
		}
		_, err := reconcile(ctx, t, func() (*github.Label, error) {
			l, _, err := t.gh.Issues.CreateLabel(ctx, t.owner, t.name, &github.Label{Name: github.String(s.name), Color: github.String(s.color), Description: github.String(s.description)})
			if alreadyExists(err) {
				return l, nil
			}
			return l, err
		}, func() (*github.Label, bool, error) {
			l, resp, err := t.gh.Issues.GetLabel(ctx, t.owner, t.name, s.name)
			if resp != nil && resp.StatusCode == http.StatusNotFound {
				return nil, false, nil
			}
			return l, err == nil, err
		})
		if err != nil {
			errs = append(errs, t.describe("create label "+s.name, err))
			continue
		}
		t.labelsMu.Lock()
		t.labels[s.name] = true
		t.labelsMu.Unlock()
	}
	return errors.Join(errs...)
}

func alreadyExists(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}

// apiError is a one-line explanation that still unwraps to GitHub's error.
type apiError struct {
	msg string
	err error
}

func (e *apiError) Error() string { return e.msg }
func (e *apiError) Unwrap() error { return e.err }

func oneLine(s string) string { return truncate(strings.Join(strings.Fields(s), " "), 200) }

// describe explains a GitHub failure in one line a pipeline log can show.
func (t *Tracker) describe(action string, err error) error {
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var er *github.ErrorResponse
	var msg string
	switch {
	case errors.As(err, &rl):
		msg = fmt.Sprintf("GitHub API rate limit exhausted for %s while trying to %s; it resets at %s", t.repo, action, rl.Rate.Reset.UTC().Format(timeLayout))
	case errors.As(err, &ab):
		msg = fmt.Sprintf("GitHub secondary rate limit hit for %s while trying to %s; try again in a few minutes", t.repo, action)
	case errors.As(err, &er) && er.Response != nil:
		code, detail := er.Response.StatusCode, oneLine(er.Message)
		switch code {
		case http.StatusUnauthorized:
			msg = fmt.Sprintf("GitHub rejected the token (401: %s) while trying to %s in %s; check GITHUB_TOKEN", detail, action, t.repo)
		case http.StatusForbidden:
			msg = fmt.Sprintf("GitHub token cannot write issues in %s (403): %s; the workflow needs `permissions: issues: write`, and pull requests from forks get a read-only token", t.repo, detail)
		case http.StatusNotFound:
			msg = fmt.Sprintf("GitHub repository %s not found or not visible to the token (404) while trying to %s", t.repo, action)
		case http.StatusGone:
			msg = fmt.Sprintf("issues are disabled in %s (410)", t.repo)
		case http.StatusTooManyRequests:
			msg = fmt.Sprintf("GitHub kept answering 429 Too Many Requests for %s while trying to %s", t.repo, action)
		default:
			msg = fmt.Sprintf("GitHub could not %s in %s (%d): %s", action, t.repo, code, detail)
		}
	default:
		msg = fmt.Sprintf("GitHub API could not be reached to %s in %s: %s", action, t.repo, oneLine(err.Error()))
	}
	return &apiError{msg: msg, err: err}
}

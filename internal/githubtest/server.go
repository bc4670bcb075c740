// Package githubtest is an in-memory stand-in for the parts of GitHub's REST
// API that aiguard uses (issues, issue comments, labels, issue search), with
// GitHub's JSON shapes, pagination and errors, and scripted faults: 5xx,
// rate limits, auth failures, slow responses, responses lost after the
// request took effect, and truncated bodies. It is safe for concurrent use, so
// tests can run several scans against it at once, and it records every
// request so tests can check what was sent.
//
// The API is served both at the root (like api.github.com) and under
// /api/v3 (like GitHub Enterprise Server).
package githubtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Routes, for Fault.Route and Request.Route.
const (
	ListIssues    = "GET /repos/{owner}/{repo}/issues"
	CreateIssue   = "POST /repos/{owner}/{repo}/issues"
	GetIssue      = "GET /repos/{owner}/{repo}/issues/{number}"
	EditIssue     = "PATCH /repos/{owner}/{repo}/issues/{number}"
	ListComments  = "GET /repos/{owner}/{repo}/issues/{number}/comments"
	CreateComment = "POST /repos/{owner}/{repo}/issues/{number}/comments"
	GetComment    = "GET /repos/{owner}/{repo}/issues/comments/{id}"
	EditComment   = "PATCH /repos/{owner}/{repo}/issues/comments/{id}"
	ListLabels    = "GET /repos/{owner}/{repo}/labels"
	CreateLabel   = "POST /repos/{owner}/{repo}/labels"
	GetLabel      = "GET /repos/{owner}/{repo}/labels/{name}"
	SearchIssues  = "GET /search/issues"
)

// DefaultLogin is the login of requests made with an unregistered token, the
// identity GITHUB_TOKEN has in Actions.
const DefaultLogin = "github-actions[bot]"

// Label is a repository label.
type Label struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Description string `json:"description"`
	Default     bool   `json:"default"`
}

// Issue is an issue or pull request as stored.
type Issue struct {
	Number      int
	Title       string
	Body        string
	State       string
	StateReason string
	Labels      []string
	Assignees   []string
	User        string
	PullRequest bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Comments    int
}

// Comment is an issue comment as stored.
type Comment struct {
	ID        int64
	Issue     int
	Body      string
	User      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Request is a request the server received. Headers are not kept, so the
// token never ends up in test output.
type Request struct {
	Method string
	Path   string
	Query  string
	Route  string
	Body   string
}

// Fault scripts a failure for the requests matching Route (all routes when
// empty), Repo ("owner/name", any when empty) and Page (any when 0).
type Fault struct {
	Route string
	Repo  string
	Page  int
	// Times is how many matching requests fail; 0 means every one.
	Times int
	// Status answers with this status and Message instead of handling the
	// request. 0 handles the request (for Delay, DropResponse, TruncateBody).
	Status  int
	Message string
	// RetryAfter sets the Retry-After header, in seconds.
	RetryAfter int
	// RateLimitReset sets X-RateLimit-Remaining: 0 and this reset time, as
	// GitHub does when the primary rate limit is exhausted.
	RateLimitReset time.Time
	// Secondary makes a 403 or 429 look like a secondary rate limit.
	Secondary bool
	// Delay waits before handling the request (or until the client gives up).
	Delay time.Duration
	// Hold handles the request at once but holds the answer back, so it
	// reflects the state when the request arrived, like a lagging replica;
	// tests use it to make concurrent runs all see the same state.
	Hold time.Duration
	// DropResponse handles the request, then closes the connection without
	// answering: the write happened but the client cannot know it.
	DropResponse bool
	// TruncateBody handles the request but sends only half of the response
	// body, as a dropped connection mid-response does.
	TruncateBody bool
}

type loginKey struct{}

func withLogin(ctx context.Context, login string) context.Context {
	return context.WithValue(ctx, loginKey{}, login)
}

func loginOf(r *http.Request) string {
	l, _ := r.Context().Value(loginKey{}).(string)
	return l
}

type repoState struct {
	issues   []*Issue // index = number-1
	comments []*Comment
	labels   []*Label
}

// Server is the fake GitHub API.
type Server struct {
	*httptest.Server

	mu          sync.Mutex
	repos       map[string]*repoState
	logins      map[string]string // token -> login
	readOnly    map[string]bool   // tokens without write access
	faults      []*Fault
	requests    []Request
	nextComment int64
	nextLabel   int64
	now         func() time.Time
}

// NewServer starts a server that stops when the test ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := New()
	tb.Cleanup(s.Close)
	return s
}

// New starts a server; the caller must Close it.
func New() *Server {
	s := &Server{
		repos:       map[string]*repoState{},
		logins:      map[string]string{},
		readOnly:    map[string]bool{},
		nextComment: 1000,
		nextLabel:   100,
		now:         func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
	api := http.NewServeMux()
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request, repo string)) {
		api.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, pattern, h) })
	}
	route(ListIssues, s.listIssues)
	route(CreateIssue, s.createIssue)
	route(GetIssue, s.getIssue)
	route(EditIssue, s.editIssue)
	// GitHub's comment routes overlap ({number}/comments and comments/{id}),
	// which ServeMux refuses, so they share a pattern and are told apart here.
	api.HandleFunc("/repos/{owner}/{repo}/issues/{a}/{b}", func(w http.ResponseWriter, r *http.Request) {
		p := r.PathValue("a") + "/" + r.PathValue("b")
		switch {
		case r.PathValue("a") == "comments" && r.Method == http.MethodGet:
			s.serve(w, r, GetComment, s.getComment)
		case r.PathValue("a") == "comments" && r.Method == http.MethodPatch:
			s.serve(w, r, EditComment, s.editComment)
		case r.PathValue("b") == "comments" && r.Method == http.MethodGet:
			s.serve(w, r, ListComments, s.listComments)
		case r.PathValue("b") == "comments" && r.Method == http.MethodPost:
			s.serve(w, r, CreateComment, s.createComment)
		default:
			s.serve(w, r, r.Method+" "+p, func(w http.ResponseWriter, _ *http.Request, _ string) { notFound(w) })
		}
	})
	route(ListLabels, s.listLabels)
	route(CreateLabel, s.createLabel)
	route(GetLabel, s.getLabel)
	route(SearchIssues, s.search)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, "", func(w http.ResponseWriter, _ *http.Request, _ string) { notFound(w) })
	})

	root := http.NewServeMux()
	root.Handle("/api/v3/", http.StripPrefix("/api/v3", api))
	root.Handle("/", api)
	s.Server = httptest.NewServer(root)
	return s
}

// SetToken registers a token and the login it authenticates as. Once any
// token is registered, requests with other tokens get 401.
func (s *Server) SetToken(token, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[token] = login
}

// SetReadOnly makes token unable to write, like the GITHUB_TOKEN of a pull
// request from a fork: writes get 403 "Resource not accessible by integration".
func (s *Server) SetReadOnly(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOnly[token] = true
}

// Fail adds a scripted fault. Faults are matched in the order added.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes all remaining faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// AddPullRequest creates a pull request in repo and returns its number, taken
// from the same sequence as issue numbers, as on GitHub.
func (s *Server) AddPullRequest(repo, title, user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.repo(repo)
	now := s.now()
	is := &Issue{Number: len(st.issues) + 1, Title: title, State: "open", User: user, PullRequest: true, CreatedAt: now, UpdatedAt: now}
	st.issues = append(st.issues, is)
	return is.Number
}

// AddIssue stores an issue as if created earlier (Number, User and times are
// filled in when zero) and returns its number.
func (s *Server) AddIssue(repo string, is Issue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.repo(repo)
	is.Number = len(st.issues) + 1
	is.Labels = s.applyLabels(st, is.Labels)
	if is.State == "" {
		is.State = "open"
	}
	if is.User == "" {
		is.User = DefaultLogin
	}
	if is.CreatedAt.IsZero() {
		is.CreatedAt = s.now()
	}
	if is.UpdatedAt.IsZero() {
		is.UpdatedAt = is.CreatedAt
	}
	st.issues = append(st.issues, &is)
	return is.Number
}

// Issues returns copies of repo's issues (not pull requests), by number.
func (s *Server) Issues(repo string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, is := range s.repo(repo).issues {
		if !is.PullRequest {
			out = append(out, copyIssue(is))
		}
	}
	return out
}

// Comments returns copies of the comments on issue or pull request number.
func (s *Server) Comments(repo string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.repo(repo).comments {
		if c.Issue == number {
			out = append(out, *c)
		}
	}
	return out
}

// Labels returns copies of repo's labels.
func (s *Server) Labels(repo string) []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Label
	for _, l := range s.repo(repo).labels {
		out = append(out, *l)
	}
	return out
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func copyIssue(is *Issue) Issue {
	c := *is
	c.Labels = append([]string(nil), is.Labels...)
	c.Assignees = append([]string(nil), is.Assignees...)
	return c
}

func (s *Server) repo(name string) *repoState {
	st := s.repos[strings.ToLower(name)]
	if st == nil {
		st = &repoState{}
		s.repos[strings.ToLower(name)] = st
	}
	return st
}

// ghError is GitHub's error body.
type ghError struct {
	Message          string        `json:"message"`
	Errors           []ghErrorItem `json:"errors,omitempty"`
	DocumentationURL string        `json:"documentation_url"`
}

type ghErrorItem struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
}

const secondaryDocs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string, items ...ghErrorItem) {
	writeJSON(w, status, ghError{Message: msg, Errors: items, DocumentationURL: "https://docs.github.com/rest"})
}

func notFound(w http.ResponseWriter) { writeError(w, http.StatusNotFound, "Not Found") }

// serve records the request, applies auth and faults, then runs h with the
// lock held, so every handler sees and leaves a consistent state.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, route string, h func(http.ResponseWriter, *http.Request, string)) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	repo := ""
	if o, n := r.PathValue("owner"), r.PathValue("repo"); o != "" && n != "" {
		repo = o + "/" + n
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page == 0 {
		page = 1
	}

	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: strings.SplitN(r.RequestURI, "?", 2)[0], Query: r.URL.RawQuery, Route: route, Body: string(body)})
	f := s.takeFault(route, repo, page)
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "token "))
	login, known := s.logins[token]
	authRequired := len(s.logins) > 0
	readOnly := s.readOnly[token]
	s.mu.Unlock()

	h2 := w.Header()
	h2.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%d", time.Now().UnixNano()))
	h2.Set("X-RateLimit-Limit", "5000")
	h2.Set("X-RateLimit-Remaining", "4999")
	h2.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	h2.Set("X-RateLimit-Resource", "core")

	if f != nil && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if f != nil && f.Status != 0 {
		writeFault(w, f)
		return
	}
	switch {
	case token == "" || (authRequired && !known):
		writeError(w, http.StatusUnauthorized, "Bad credentials")
		return
	case readOnly && r.Method != http.MethodGet:
		writeError(w, http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	if !known {
		login = DefaultLogin
	}
	r = r.WithContext(withLogin(r.Context(), login))

	if f != nil && (f.DropResponse || f.TruncateBody || f.Hold > 0) {
		rec := httptest.NewRecorder()
		s.locked(rec, r, repo, h)
		if f.DropResponse {
			dropConnection(w)
			return
		}
		if f.Hold > 0 {
			select {
			case <-time.After(f.Hold):
			case <-r.Context().Done():
				return
			}
		}
		for k, v := range rec.Header() {
			h2[k] = v
		}
		data := rec.Body.Bytes()
		h2.Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(rec.Code)
		if !f.TruncateBody {
			_, _ = w.Write(data)
			return
		}
		_, _ = w.Write(data[:len(data)/2])
		dropConnection(w)
		return
	}
	s.locked(w, r, repo, h)
}

func (s *Server) locked(w http.ResponseWriter, r *http.Request, repo string, h func(http.ResponseWriter, *http.Request, string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h(w, r, repo)
}

func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if !f.RateLimitReset.IsZero() {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(f.RateLimitReset.Unix(), 10))
	}
	msg := f.Message
	docs := "https://docs.github.com/rest"
	switch {
	case f.Secondary:
		docs = secondaryDocs
		if msg == "" {
			msg = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
		}
	case !f.RateLimitReset.IsZero() && msg == "":
		msg = "API rate limit exceeded for installation."
	case msg == "":
		msg = http.StatusText(f.Status)
	}
	writeJSON(w, f.Status, ghError{Message: msg, DocumentationURL: docs})
}

func (s *Server) takeFault(route, repo string, page int) *Fault {
	for i, f := range s.faults {
		if (f.Route != "" && f.Route != route) || (f.Repo != "" && !strings.EqualFold(f.Repo, repo)) || (f.Page != 0 && f.Page != page) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		c := *f
		return &c
	}
	return nil
}

// --- JSON views ---------------------------------------------------------

type userJSON struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

func user(login string) *userJSON {
	t := "User"
	if strings.HasSuffix(login, "[bot]") {
		t = "Bot"
	}
	var id int64
	for _, c := range login {
		id = id*31 + int64(c)
	}
	if id < 0 {
		id = -id
	}
	return &userJSON{Login: login, ID: id % 1e9, Type: t}
}

func (s *Server) issueJSON(r *http.Request, repo string, is *Issue) map[string]any {
	st := s.repo(repo)
	var labels []*Label
	for _, n := range is.Labels {
		if l := findLabel(st, n); l != nil {
			labels = append(labels, l)
		}
	}
	var assignees []*userJSON
	for _, a := range is.Assignees {
		assignees = append(assignees, user(a))
	}
	api := apiRoot(r, s.URL)
	m := map[string]any{
		"id":             int64(is.Number) * 7919,
		"node_id":        fmt.Sprintf("I_fake%d", is.Number),
		"url":            fmt.Sprintf("%s/repos/%s/issues/%d", api, repo, is.Number),
		"repository_url": fmt.Sprintf("%s/repos/%s", api, repo),
		"comments_url":   fmt.Sprintf("%s/repos/%s/issues/%d/comments", api, repo, is.Number),
		"html_url":       fmt.Sprintf("%s/%s/issues/%d", s.URL, repo, is.Number),
		"number":         is.Number,
		"title":          is.Title,
		"body":           is.Body,
		"state":          is.State,
		"state_reason":   nullable(is.StateReason),
		"labels":         orEmpty(labels),
		"assignees":      orEmpty(assignees),
		"user":           user(is.User),
		"comments":       is.Comments,
		"locked":         false,
		"created_at":     is.CreatedAt,
		"updated_at":     is.UpdatedAt,
		"closed_at":      nil,
	}
	if len(assignees) > 0 {
		m["assignee"] = assignees[0]
	}
	if is.PullRequest {
		m["html_url"] = fmt.Sprintf("%s/%s/pull/%d", s.URL, repo, is.Number)
		m["pull_request"] = map[string]any{"url": fmt.Sprintf("%s/repos/%s/pulls/%d", api, repo, is.Number)}
	}
	return m
}

func (s *Server) commentJSON(r *http.Request, repo string, c *Comment) map[string]any {
	api := apiRoot(r, s.URL)
	return map[string]any{
		"id":         c.ID,
		"node_id":    fmt.Sprintf("IC_fake%d", c.ID),
		"url":        fmt.Sprintf("%s/repos/%s/issues/comments/%d", api, repo, c.ID),
		"html_url":   fmt.Sprintf("%s/%s/issues/%d#issuecomment-%d", s.URL, repo, c.Issue, c.ID),
		"issue_url":  fmt.Sprintf("%s/repos/%s/issues/%d", api, repo, c.Issue),
		"body":       c.Body,
		"user":       user(c.User),
		"created_at": c.CreatedAt,
		"updated_at": c.UpdatedAt,
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// apiRoot is the API root the request came in on: GHES clients must be sent
// links under /api/v3.
func apiRoot(r *http.Request, base string) string {
	if prefixed(r) {
		return base + "/api/v3"
	}
	return base
}

// prefixed reports whether the request arrived under /api/v3; StripPrefix
// keeps the original path in RequestURI.
func prefixed(r *http.Request) bool { return strings.HasPrefix(r.RequestURI, "/api/v3/") }

// --- pagination ---------------------------------------------------------

// paginate returns the page of items the request asks for and sets GitHub's
// Link header.
func paginate[T any](w http.ResponseWriter, r *http.Request, base string, items []T) []T {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max((len(items)+per-1)/per, 1)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", apiRoot(r, base), r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	return items[lo:hi]
}

// --- handlers (called with s.mu held) ------------------------------------

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request, repo string) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	var items []*Issue
	for _, is := range s.repo(repo).issues {
		if (state == "all" || is.State == state) && hasLabels(is, want) {
			items = append(items, is)
		}
	}
	sortIssues(items, q.Get("sort"), q.Get("direction"))
	var out []map[string]any
	for _, is := range paginate(w, r, s.URL, items) {
		out = append(out, s.issueJSON(r, repo, is))
	}
	writeJSON(w, http.StatusOK, orEmpty(out))
}

func sortIssues(items []*Issue, by, dir string) {
	key := func(is *Issue) time.Time {
		if by == "updated" {
			return is.UpdatedAt
		}
		return is.CreatedAt
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := key(items[i]), key(items[j])
		if a.Equal(b) {
			a, b = time.Unix(int64(items[i].Number), 0), time.Unix(int64(items[j].Number), 0)
		}
		if dir == "asc" {
			return a.Before(b)
		}
		return a.After(b)
	})
}

func hasLabels(is *Issue, want []string) bool {
	for _, w := range want {
		found := false
		for _, l := range is.Labels {
			if strings.EqualFold(l, strings.TrimSpace(w)) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type issueRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
	Assignees   *[]string `json:"assignees"`
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request, repo string) {
	var req issueRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Title == nil || strings.TrimSpace(*req.Title) == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Issue", "missing_field", "title"})
		return
	}
	if len(*req.Title) > 256 {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Issue", "custom", "title"})
		return
	}
	if req.Body != nil && len(*req.Body) > 65536 {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Issue", "custom", "body"})
		return
	}
	st := s.repo(repo)
	now := s.now()
	is := &Issue{Number: len(st.issues) + 1, Title: *req.Title, State: "open", User: loginOf(r), CreatedAt: now, UpdatedAt: now}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.Labels != nil {
		is.Labels = s.applyLabels(st, *req.Labels)
	}
	if req.Assignees != nil {
		is.Assignees = append([]string(nil), *req.Assignees...)
	}
	st.issues = append(st.issues, is)
	writeJSON(w, http.StatusCreated, s.issueJSON(r, repo, is))
}

// applyLabels attaches labels by name, creating missing ones as GitHub does.
func (s *Server) applyLabels(st *repoState, names []string) []string {
	var out []string
	for _, n := range names {
		l := findLabel(st, n)
		if l == nil {
			l = s.newLabel(st, n, "ededed", "")
		}
		out = append(out, l.Name)
	}
	return out
}

// issue finds the issue or pull request number names; the comment routes
// carry the number in a different path segment.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, repo string) *Issue {
	num := r.PathValue("number")
	if num == "" {
		num = r.PathValue("a")
	}
	n, err := strconv.Atoi(num)
	st := s.repo(repo)
	if err != nil || n < 1 || n > len(st.issues) {
		notFound(w)
		return nil
	}
	return st.issues[n-1]
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request, repo string) {
	if is := s.issue(w, r, repo); is != nil {
		writeJSON(w, http.StatusOK, s.issueJSON(r, repo, is))
	}
}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request, repo string) {
	is := s.issue(w, r, repo)
	if is == nil {
		return
	}
	var req issueRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		if len(*req.Body) > 65536 {
			writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Issue", "custom", "body"})
			return
		}
		is.Body = *req.Body
	}
	if req.State != nil {
		if *req.State != "open" && *req.State != "closed" {
			writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Issue", "invalid", "state"})
			return
		}
		is.State = *req.State
	}
	if req.StateReason != nil {
		is.StateReason = *req.StateReason
	}
	if req.Labels != nil {
		is.Labels = s.applyLabels(s.repo(repo), *req.Labels)
	}
	if req.Assignees != nil {
		is.Assignees = append([]string(nil), *req.Assignees...)
	}
	is.UpdatedAt = s.now()
	writeJSON(w, http.StatusOK, s.issueJSON(r, repo, is))
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, repo string) {
	is := s.issue(w, r, repo)
	if is == nil {
		return
	}
	var items []*Comment
	for _, c := range s.repo(repo).comments {
		if c.Issue == is.Number {
			items = append(items, c)
		}
	}
	var out []map[string]any
	for _, c := range paginate(w, r, s.URL, items) {
		out = append(out, s.commentJSON(r, repo, c))
	}
	writeJSON(w, http.StatusOK, orEmpty(out))
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request, repo string) {
	is := s.issue(w, r, repo)
	if is == nil {
		return
	}
	var req struct {
		Body *string `json:"body"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Body == nil || *req.Body == "" || len(*req.Body) > 65536 {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"IssueComment", "invalid", "body"})
		return
	}
	s.nextComment++
	now := s.now()
	c := &Comment{ID: s.nextComment, Issue: is.Number, Body: *req.Body, User: loginOf(r), CreatedAt: now, UpdatedAt: now}
	st := s.repo(repo)
	st.comments = append(st.comments, c)
	is.Comments++
	writeJSON(w, http.StatusCreated, s.commentJSON(r, repo, c))
}

func (s *Server) comment(w http.ResponseWriter, r *http.Request, repo string) *Comment {
	id, _ := strconv.ParseInt(r.PathValue("b"), 10, 64)
	for _, c := range s.repo(repo).comments {
		if c.ID == id {
			return c
		}
	}
	notFound(w)
	return nil
}

func (s *Server) getComment(w http.ResponseWriter, r *http.Request, repo string) {
	if c := s.comment(w, r, repo); c != nil {
		writeJSON(w, http.StatusOK, s.commentJSON(r, repo, c))
	}
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request, repo string) {
	c := s.comment(w, r, repo)
	if c == nil {
		return
	}
	if c.User != loginOf(r) {
		writeError(w, http.StatusForbidden, "You cannot edit another user's comment")
		return
	}
	var req struct {
		Body *string `json:"body"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Body == nil || *req.Body == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"IssueComment", "missing_field", "body"})
		return
	}
	c.Body = *req.Body
	c.UpdatedAt = s.now()
	writeJSON(w, http.StatusOK, s.commentJSON(r, repo, c))
}

func findLabel(st *repoState, name string) *Label {
	for _, l := range st.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

func (s *Server) newLabel(st *repoState, name, color, desc string) *Label {
	s.nextLabel++
	l := &Label{ID: s.nextLabel, NodeID: fmt.Sprintf("LA_fake%d", s.nextLabel), Name: name, Color: color, Description: desc}
	st.labels = append(st.labels, l)
	return l
}

func (s *Server) listLabels(w http.ResponseWriter, r *http.Request, repo string) {
	writeJSON(w, http.StatusOK, orEmpty(paginate(w, r, s.URL, s.repo(repo).labels)))
}

func (s *Server) getLabel(w http.ResponseWriter, r *http.Request, repo string) {
	if l := findLabel(s.repo(repo), r.PathValue("name")); l != nil {
		writeJSON(w, http.StatusOK, l)
		return
	}
	notFound(w)
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request, repo string) {
	var req struct {
		Name        string `json:"name"`
		Color       string `json:"color"`
		Description string `json:"description"`
	}
	if !decode(w, r, &req) {
		return
	}
	st := s.repo(repo)
	if req.Name == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Label", "missing_field", "name"})
		return
	}
	if findLabel(st, req.Name) != nil {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Label", "already_exists", "name"})
		return
	}
	if req.Color == "" {
		req.Color = "ededed"
	}
	writeJSON(w, http.StatusCreated, s.newLabel(st, req.Name, strings.TrimPrefix(req.Color, "#"), req.Description))
}

// search implements the subset of issue search qualifiers aiguard could
// use: repo:, is:issue|pr|open|closed, state:, label:, and words or quoted
// phrases matched in title and body. Unlike GitHub's, it is consistent at
// once; tests of eventual consistency must not rely on it.
func (s *Server) search(w http.ResponseWriter, r *http.Request, _ string) {
	terms := splitQuery(r.URL.Query().Get("q"))
	var repo, state, kind string
	var labels, words []string
	for _, t := range terms {
		k, v, ok := strings.Cut(t, ":")
		switch {
		case ok && k == "repo":
			repo = v
		case ok && k == "is" && (v == "open" || v == "closed"):
			state = v
		case ok && k == "state":
			state = v
		case ok && k == "is":
			kind = v
		case ok && k == "label":
			labels = append(labels, strings.Trim(v, `"`))
		case ok && k == "in":
		default:
			words = append(words, strings.ToLower(strings.Trim(t, `"`)))
		}
	}
	if repo == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed", ghErrorItem{"Search", "invalid", "q"})
		return
	}
	var items []*Issue
	for _, is := range s.repo(repo).issues {
		if (state != "" && is.State != state) || (kind == "issue" && is.PullRequest) || (kind == "pr" && !is.PullRequest) || !hasLabels(is, labels) {
			continue
		}
		text := strings.ToLower(is.Title + "\n" + is.Body)
		match := true
		for _, wd := range words {
			if !strings.Contains(text, wd) {
				match = false
			}
		}
		if match {
			items = append(items, is)
		}
	}
	sortIssues(items, "", "")
	total := len(items)
	var out []map[string]any
	for _, is := range paginate(w, r, s.URL, items) {
		out = append(out, s.issueJSON(r, repo, is))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_count": total, "incomplete_results": false, "items": orEmpty(out)})
}

func splitQuery(q string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, c := range q {
		switch {
		case c == '"':
			quoted = !quoted
			cur.WriteRune(c)
		case c == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(c)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func call(t *testing.T, method, url, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(data)
}

func TestIssuesPaginateWithLinkHeaders(t *testing.T) {
	s := NewServer(t)
	for range 5 {
		s.AddIssue("o/r", Issue{Title: "t", Labels: []string{"incident"}})
	}
	s.AddIssue("o/r", Issue{Title: "unlabelled"})
	resp, body := call(t, "GET", s.URL+"/api/v3/repos/o/r/issues?labels=incident&per_page=2", "")
	var page []map[string]any
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page) != 2 {
		t.Fatalf("page 1: %v %s", err, body)
	}
	link := resp.Header.Get("Link")
	if !strings.Contains(link, s.URL+"/api/v3/repos/o/r/issues?labels=incident&page=2&per_page=2>; rel=\"next\"") || !strings.Contains(link, "page=3&per_page=2>; rel=\"last\"") {
		t.Errorf("Link %q", link)
	}
	_, body = call(t, "GET", s.URL+"/repos/o/r/issues?labels=incident&per_page=2&page=3", "")
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page) != 1 {
		t.Fatalf("page 3: %s", body)
	}
}

func TestLabelsRefuseDuplicates(t *testing.T) {
	s := NewServer(t)
	if resp, body := call(t, "POST", s.URL+"/repos/o/r/labels", `{"name":"incident","color":"b60205"}`); resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	resp, body := call(t, "POST", s.URL+"/repos/o/r/labels", `{"name":"Incident"}`)
	if resp.StatusCode != 422 || !strings.Contains(body, `"code":"already_exists"`) {
		t.Fatalf("duplicate: %d %s", resp.StatusCode, body)
	}
	if resp, _ := call(t, "GET", s.URL+"/repos/o/r/labels/severity:P1", ""); resp.StatusCode != 404 {
		t.Fatalf("missing label: %d", resp.StatusCode)
	}
}

func TestFaultsAreScriptedAndConsumed(t *testing.T) {
	s := NewServer(t)
	s.Fail(Fault{Route: CreateIssue, Status: 403, RateLimitReset: time.Unix(2000000000, 0), Times: 1})
	resp, body := call(t, "POST", s.URL+"/repos/o/r/issues", `{"title":"x"}`)
	if resp.StatusCode != 403 || resp.Header.Get("X-RateLimit-Remaining") != "0" || resp.Header.Get("X-RateLimit-Reset") != "2000000000" {
		t.Fatalf("rate limit fault: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	if resp, _ := call(t, "POST", s.URL+"/repos/o/r/issues", `{"title":"x"}`); resp.StatusCode != 201 {
		t.Fatalf("fault not consumed: %d", resp.StatusCode)
	}
	s.Fail(Fault{Route: CreateComment, DropResponse: true, Times: 1})
	req, _ := http.NewRequest("POST", s.URL+"/repos/o/r/issues/1/comments", strings.NewReader(`{"body":"hi"}`))
	req.Header.Set("Authorization", "Bearer tok")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("dropped response arrived")
	}
	if cs := s.Comments("o/r", 1); len(cs) != 1 || cs[0].User != DefaultLogin {
		t.Fatalf("the dropped request must still take effect: %+v", cs)
	}
	if rs := s.Requests(); len(rs) != 3 || rs[2].Route != CreateComment || rs[2].Body != `{"body":"hi"}` {
		t.Fatalf("requests %+v", rs)
	}
}

func TestAuthAndPermissions(t *testing.T) {
	s := NewServer(t)
	s.SetToken("tok", "bot")
	s.SetReadOnly("tok")
	if resp, body := call(t, "POST", s.URL+"/repos/o/r/issues", `{"title":"x"}`); resp.StatusCode != 403 || !strings.Contains(body, "Resource not accessible by integration") {
		t.Fatalf("read-only: %d %s", resp.StatusCode, body)
	}
	s.SetToken("other", "someone")
	req, _ := http.NewRequest("GET", s.URL+"/repos/o/r/issues", nil)
	req.Header.Set("Authorization", "Bearer nope")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("bad token: %v %v", err, resp)
	}
	resp.Body.Close()
}

func TestConcurrentCreatesGetDistinctNumbers(t *testing.T) {
	s := NewServer(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", s.URL+"/repos/o/r/issues", strings.NewReader(`{"title":"x","labels":["incident"]}`))
			req.Header.Set("Authorization", "Bearer tok")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, is := range s.Issues("o/r") {
		seen[is.Number] = true
	}
	if len(seen) != 20 {
		t.Fatalf("%d distinct issue numbers for 20 creates", len(seen))
	}
}

func TestSearchIssues(t *testing.T) {
	s := NewServer(t)
	s.AddIssue("o/r", Issue{Title: "a", Body: "<!-- aiguard:incident key=abc -->", Labels: []string{"incident"}})
	s.AddIssue("o/r", Issue{Title: "b", Body: "other", Labels: []string{"incident"}})
	_, body := call(t, "GET", s.URL+`/search/issues?q=repo:o/r+is:issue+is:open+label:incident+"key=abc"`, "")
	var res struct {
		Total int `json:"total_count"`
		Items []struct {
			Number int `json:"number"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || res.Total != 1 || res.Items[0].Number != 1 {
		t.Fatalf("search: %v %s", err, body)
	}
}

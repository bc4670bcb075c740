package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiguard/aiguard/internal/githubtest"
	"github.com/aiguard/aiguard/internal/testkit"
	"github.com/aiguard/aiguard/report"
)

// oneLineError checks the documented error contract: exactly one line on
// stderr naming the problem, and no panic.
func oneLineError(t *testing.T, what string, r testkit.Result, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(r.Stderr, "\n"), "\n")
	if r.Stderr == "" || len(lines) != 1 {
		t.Errorf("%s: want one line on stderr, got %d:\n%s", what, len(lines), r.Stderr)
	}
	if !strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(want)) {
		t.Errorf("%s: stderr does not mention %q: %s", what, want, r.Stderr)
	}
	if strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "goroutine ") {
		t.Errorf("%s: panicked: %s", what, r.Stderr)
	}
}

func readReport(t *testing.T, path string) report.Report {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(readFile(t, path)), &rep); err != nil {
		t.Fatalf("%s is not a JSON report: %v", path, err)
	}
	return rep
}

// gitWrapper puts a script named git first on PATH. It runs the real git
// but fails the way a broken git does: the call numbered FAIL_AT exits 128,
// and with CUT_LOG set every `git log` dies after that many bytes of output.
func gitWrapper(t *testing.T) (dir, counter string) {
	t.Helper()
	real, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	dir = t.TempDir()
	counter = filepath.Join(dir, "calls")
	script := `#!/bin/sh
n=$(cat "` + counter + `" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "` + counter + `"
if [ -n "$FAIL_AT" ] && [ "$n" -eq "$FAIL_AT" ]; then echo "fatal: simulated failure of git $1" >&2; exit 128; fi
for a in "$@"; do
  if [ "$a" = log ] && [ -n "$CUT_LOG" ]; then
    "` + real + `" "$@" | head -c "$CUT_LOG"; echo "fatal: simulated crash mid-log" >&2; exit 128
  fi
done
exec "` + real + `" "$@"
`
	if err := os.WriteFile(filepath.Join(dir, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, counter
}

// historyWithSecrets is a range of commits each adding a credential.
func historyWithSecrets(t *testing.T, seed int64, n int) (*testkit.Repo, string, []string) {
	fk := testkit.NewFakes(seed)
	r := testkit.NewRepo(t)
	r.Write("README.md", "x\n")
	base := r.Commit("base")
	var planted []string
	for i := range n {
		k := fk.GitHubPAT()
		planted = append(planted, k)
		r.Write(fmt.Sprintf("svc%d/token.env", i), "GITHUB_TOKEN="+k+"\n"+strings.Repeat(fmt.Sprintf("filler line %d\n", i), 200))
		r.Commit(fmt.Sprintf("service %d", i))
	}
	return r, base, planted
}

func TestGitFailingMidScanFailsClosed(t *testing.T) {
	r, base, planted := historyWithSecrets(t, 700, 8)
	wrap, counter := gitWrapper(t)
	path := "PATH=" + wrap + string(os.PathListSeparator) + os.Getenv("PATH")
	out := t.TempDir()
	args := func(tag string) []string {
		return []string{"scan", "--repo", ".", "--range", base + "..HEAD", "--json", filepath.Join(out, tag+".json"), "--sarif", filepath.Join(out, tag+".sarif")}
	}

	clean := testkit.Run(t, r.Dir, []string{path}, args("clean")...)
	if clean.Code != 1 {
		t.Fatalf("unbroken git: exit %d, want 1: %s", clean.Code, clean.Stderr)
	}
	calls, _ := strconv.Atoi(strings.TrimSpace(readFile(t, counter)))
	t.Logf("a scan makes %d git calls", calls)

	// Every git call in turn fails once: the scan must never pass.
	for at := 1; at <= calls; at++ {
		_ = os.Remove(counter)
		tag := fmt.Sprint("fail", at)
		res := testkit.Run(t, r.Dir, []string{path, "FAIL_AT=" + strconv.Itoa(at)}, args(tag)...)
		if res.Code != 3 {
			t.Errorf("git call %d of %d failed: exit %d, want 3 (runtime failure, still blocked)", at, calls, res.Code)
			continue
		}
		// The reason may name git or the revision it could not read.
		oneLineError(t, fmt.Sprint("git call ", at), res, "")
		rep := readReport(t, filepath.Join(out, tag+".json"))
		if !rep.Summary.Blocked || len(rep.Errors) == 0 {
			t.Errorf("git call %d failed: JSON report not blocked or has no error: %+v", at, rep.Summary)
		}
		if _, err := os.Stat(filepath.Join(out, tag+".sarif")); err != nil {
			t.Errorf("git call %d failed: SARIF not written", at)
		}
		testkit.AssertNoLeak(t, "output", res.Output(), planted...)
	}

	// git dies half-way through the log: what was read is still reported.
	_ = os.Remove(counter)
	res := testkit.Run(t, r.Dir, []string{path, "CUT_LOG=9000"}, args("cut")...)
	if res.Code != 3 {
		t.Fatalf("git log cut short: exit %d, want 3\n%s", res.Code, res.Stderr)
	}
	oneLineError(t, "git log cut short", res, "git")
	rep := readReport(t, filepath.Join(out, "cut.json"))
	if len(rep.Findings) == 0 || len(rep.Findings) >= len(planted) || !rep.Summary.Blocked {
		t.Errorf("git log cut short: %d of %d findings, blocked %v: want the partial findings written and blocking", len(rep.Findings), len(planted), rep.Summary.Blocked)
	}
	testkit.AssertNoLeak(t, "output", res.Output(), planted...)
}

func TestCorruptRepositoryFailsClosed(t *testing.T) {
	r, base, _ := historyWithSecrets(t, 701, 3)
	// Remove the loose object of a blob the range added.
	blob := r.Git("rev-parse", "HEAD:svc1/token.env")
	if err := os.Remove(filepath.Join(r.Dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	js := filepath.Join(t.TempDir(), "r.json")
	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--json", js)
	if res.Code != 3 {
		t.Fatalf("missing object: exit %d, want 3\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	oneLineError(t, "missing object", res, "git")
	if rep := readReport(t, js); !rep.Summary.Blocked {
		t.Errorf("missing object: report not blocked")
	}

	// No git at all.
	res = testkit.Run(t, r.Dir, []string{"PATH=" + t.TempDir()}, "scan", "--repo", ".", "--range", base+"..HEAD")
	if res.Code != 3 {
		t.Errorf("no git on PATH: exit %d, want 3", res.Code)
	}
	oneLineError(t, "no git on PATH", res, "git")
}

func TestBadConfigurationIsAClearErrorWithExitTwo(t *testing.T) {
	laughs := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
		prev = n
	}
	cases := map[string]struct{ file, body, want string }{
		"bad yaml":           {".aiguard.yml", "fail-on: [P1\n", ".aiguard.yml"},
		"unknown key":        {".aiguard.yml", "fial-on: P1\n", "fial-on"},
		"bad regex":          {".aiguard.yml", "allowlist:\n  paths: ['(unclosed']\n", "allowlist"},
		"wrong type":         {".aiguard.yml", "max-file-size: lots\n", ".aiguard.yml:1"},
		"bad severity":       {".aiguard.yml", "fail-on: P0\n", "fail-on"},
		"nested wrong type":  {".aiguard.yml", "detectors:\n  credentials: yes\n", ".aiguard.yml"},
		"alias bomb":         {".aiguard.yml", laughs, ".aiguard.yml"},
		"not yaml at all":    {".aiguard.yml", "\x00\x01\x02\xff", ".aiguard.yml"},
		"gitleaks bad regex": {".gitleaks.toml", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n", "gitleaks"},
		"gitleaks bad toml":  {".gitleaks.toml", "[[rules]\nid = ", "gitleaks"},
	}
	fk := testkit.NewFakes(702)
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			_ = os.WriteFile(filepath.Join(dir, "k.env"), []byte("GITHUB_TOKEN="+fk.GitHubPAT()+"\n"), 0o644)
			_ = os.WriteFile(filepath.Join(dir, c.file), []byte(c.body), 0o644)
			start := time.Now()
			res := testkit.Run(t, dir, nil, "scan", "--dir", ".")
			if res.Code != 2 {
				t.Errorf("exit %d, want 2\n%s", res.Code, res.Stderr)
			}
			if time.Since(start) > 30*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			oneLineError(t, name, res, c.want)
		})
	}
	// Bad values given as flags are usage errors too.
	dir := t.TempDir()
	for _, args := range [][]string{
		{"scan", "--dir", ".", "--fail-on", "P9"},
		{"scan", "--dir", ".", "--format", "xml"},
		{"scan", "--dir", ".", "--config", "missing.yml"},
		{"scan", "--dir", ".", "--max-file-size", "-1"},
		{"scan", "--dir", ".", "--create-issues", "--github-repo", "not a repo"},
		{"scan", "--dir", ".", "--stage", "$(id)"},
		{"scan", "--dir", ".", "--bogus"},
	} {
		res := testkit.Run(t, dir, []string{"GITHUB_TOKEN=x"}, args...)
		if res.Code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, res.Code, res.Stderr)
		}
		oneLineError(t, fmt.Sprint(args), res, "")
	}
}

func TestDetectorTimeLimitFailsClosed(t *testing.T) {
	fk := testkit.NewFakes(703)
	dir := t.TempDir()
	secret := fk.GitHubPAT()
	_ = os.WriteFile(filepath.Join(dir, "k.env"), []byte("GITHUB_TOKEN="+secret+"\n"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, ".aiguard.yml"), []byte("file-timeout: 1ns\n"), 0o644)
	out := t.TempDir()
	res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--json", filepath.Join(out, "r.json"), "--sarif", filepath.Join(out, "r.sarif"))
	if res.Code != 3 {
		t.Fatalf("every detector over its time limit: exit %d, want 3\n%s", res.Code, res.Stderr)
	}
	oneLineError(t, "time limit", res, "time limit")
	rep := readReport(t, filepath.Join(out, "r.json"))
	if !rep.Summary.Blocked || len(rep.Errors) == 0 {
		t.Errorf("report not blocked or without errors: %+v", rep.Summary)
	}
	validateSARIF(t, []byte(readFile(t, filepath.Join(out, "r.sarif"))))
	testkit.AssertNoLeak(t, "output", res.Output(), secret)
}

// githubRun scans a repository with one credential and tracks incidents on
// the fake GitHub.
func githubRun(t *testing.T, gh *githubtest.Server, r *testkit.Repo, base string, extra ...string) (testkit.Result, report.Report, time.Duration) {
	t.Helper()
	js := filepath.Join(t.TempDir(), "r.json")
	sarif := filepath.Join(t.TempDir(), "r.sarif")
	args := append([]string{"scan", "--repo", ".", "--range", base + "..HEAD", "--json", js, "--sarif", sarif,
		"--create-issues", "--github-repo", "acme/claims", "--github-api-url", gh.URL}, extra...)
	start := time.Now()
	res := testkit.Run(t, r.Dir, []string{"GITHUB_TOKEN=tok-faults"}, args...)
	took := time.Since(start)
	rep := readReport(t, js)
	if _, err := os.Stat(sarif); err != nil {
		t.Errorf("SARIF not written")
	}
	if !strings.Contains(res.Stdout, "token.env") {
		t.Errorf("text report lacks the finding:\n%s", res.Stdout)
	}
	return res, rep, took
}

func TestGitHubFaultsStillWriteAndBlock(t *testing.T) {
	r, base, planted := historyWithSecrets(t, 704, 1)
	type check struct {
		faults []githubtest.Fault
		code   int    // 1: GitHub recovered; 3: it did not
		want   string // in stderr when code is 3
		issues int
		within time.Duration
	}
	cases := map[string]check{
		"persistent 500":              {[]githubtest.Fault{{Status: 500}}, 3, "500", 0, 2 * time.Minute},
		"transient 502 then ok":       {[]githubtest.Fault{{Route: githubtest.CreateIssue, Status: 502, Times: 2}}, 1, "", 1, time.Minute},
		"secondary rate limit":        {[]githubtest.Fault{{Route: githubtest.ListIssues, Status: 403, Secondary: true, RetryAfter: 1, Times: 1}}, 1, "", 1, time.Minute},
		"401 bad credentials":         {[]githubtest.Fault{{Status: 401, Message: "Bad credentials"}}, 3, "401", 0, time.Minute},
		"403 forbidden":               {[]githubtest.Fault{{Route: githubtest.CreateIssue, Status: 403, Message: "Resource not accessible by integration"}}, 3, "403", 0, time.Minute},
		"404 repository":              {[]githubtest.Fault{{Status: 404}}, 3, "404", 0, time.Minute},
		"response lost after create":  {[]githubtest.Fault{{Route: githubtest.CreateIssue, DropResponse: true, Times: 1}}, 1, "", 1, time.Minute},
		"truncated body after create": {[]githubtest.Fault{{Route: githubtest.CreateIssue, TruncateBody: true, Times: 1}}, 1, "", 1, time.Minute},
		"slow but answering":          {[]githubtest.Fault{{Delay: 2 * time.Second, Times: 2}}, 1, "", 1, time.Minute},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			gh := githubtest.NewServer(t)
			for _, f := range c.faults {
				gh.Fail(f)
			}
			res, rep, took := githubRun(t, gh, r, base)
			if res.Code != c.code {
				t.Errorf("exit %d, want %d\n%s", res.Code, c.code, res.Stderr)
			}
			if c.code == 3 {
				oneLineError(t, name, res, c.want)
				if len(rep.Errors) == 0 {
					t.Errorf("JSON report does not say GitHub failed")
				}
			}
			if !rep.Summary.Blocked {
				t.Errorf("not blocked")
			}
			if n := len(gh.Issues("acme/claims")); n != c.issues {
				t.Errorf("%d issues, want %d", n, c.issues)
			}
			if took > c.within {
				t.Errorf("took %v, want under %v", took, c.within)
			}
			testkit.AssertNoLeak(t, "output", res.Output(), planted...)
			testkit.AssertNoLeak(t, "GitHub", sentToGitHub(gh, "acme/claims"), planted...)
		})
	}
}

func TestGitHubPartialPaginationNeverDuplicates(t *testing.T) {
	r, base, _ := historyWithSecrets(t, 705, 1)
	gh := githubtest.NewServer(t)
	if res, _, _ := githubRun(t, gh, r, base); res.Code != 1 {
		t.Fatalf("first run: exit %d: %s", res.Code, res.Stderr)
	}
	// Push the incident off the first page of open incident issues.
	for i := range 150 {
		gh.AddIssue("acme/claims", githubtest.Issue{Title: fmt.Sprint("other incident ", i), Labels: []string{"incident"}})
	}
	gh.Fail(githubtest.Fault{Route: githubtest.ListIssues, Page: 2, Status: 500})
	res, rep, _ := githubRun(t, gh, r, base)
	if res.Code != 3 || !rep.Summary.Blocked {
		t.Errorf("second page of the listing failing: exit %d, blocked %v; want 3 and blocked\n%s", res.Code, rep.Summary.Blocked, res.Stderr)
	}
	var ours int
	for _, is := range gh.Issues("acme/claims") {
		if strings.Contains(is.Title, "AIENG-") {
			ours++
		}
	}
	if ours != 1 {
		t.Errorf("%d aiguard incident issues after a partial listing, want 1 (no duplicate)", ours)
	}
}

func TestGitHubHangingIsBounded(t *testing.T) {
	r, base, _ := historyWithSecrets(t, 706, 1)
	gh := githubtest.NewServer(t)
	gh.Fail(githubtest.Fault{Delay: 10 * time.Minute})
	res, rep, took := githubRun(t, gh, r, base, "--github-timeout", "3s")
	if res.Code != 3 || !rep.Summary.Blocked {
		t.Errorf("GitHub never answering: exit %d, blocked %v; want 3 and blocked", res.Code, rep.Summary.Blocked)
	}
	oneLineError(t, "hanging GitHub", res, "GitHub")
	if took > 30*time.Second {
		t.Errorf("a hanging GitHub held the pipeline for %v with --github-timeout 3s", took)
	}
}

func TestNoTokenStillScansAndBlocks(t *testing.T) {
	r, base, planted := historyWithSecrets(t, 707, 1)
	gh := githubtest.NewServer(t)
	js := filepath.Join(t.TempDir(), "r.json")
	res := testkit.Run(t, r.Dir, []string{"GITHUB_TOKEN="}, "scan", "--repo", ".", "--range", base+"..HEAD", "--json", js,
		"--create-issues", "--github-repo", "acme/claims", "--github-api-url", gh.URL)
	if res.Code == 0 {
		t.Fatalf("no token: exit 0; the finding must still block")
	}
	if !strings.Contains(res.Stderr, "GITHUB_TOKEN") {
		t.Errorf("no clear note about the missing token: %s", res.Stderr)
	}
	if rep := readReport(t, js); len(rep.Findings) != 1 || !rep.Summary.Blocked {
		t.Errorf("no token: findings %d, blocked %v", len(rep.Findings), rep.Summary.Blocked)
	}
	if n := len(gh.Requests()); n != 0 {
		t.Errorf("%d requests sent to GitHub without a token", n)
	}
	testkit.AssertNoLeak(t, "output", res.Output(), planted...)
	// Without --create-issues no token is needed at all.
	if res := testkit.Run(t, r.Dir, []string{"GITHUB_TOKEN="}, "scan", "--repo", ".", "--range", base+"..HEAD"); res.Code != 1 {
		t.Errorf("plain scan without a token: exit %d, want 1", res.Code)
	}
}

// An interrupted scan (a cancelled CI job, Ctrl-C) has not scanned
// everything: it must stop promptly and must not pass.
func TestInterruptedScanStopsAndDoesNotPass(t *testing.T) {
	r, base, _ := historyWithSecrets(t, 708, 1)
	real, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	wrap := t.TempDir()
	// git log hangs, as on a slow network filesystem.
	script := "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = log ] && exec sleep 600; done\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrap, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	js := filepath.Join(t.TempDir(), "r.json")
	cmd := exec.Command(testkit.Binary(t), "scan", "--repo", ".", "--range", base+"..HEAD", "--json", js)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "PATH="+wrap+string(os.PathListSeparator)+os.Getenv("PATH"), "CI=true")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("still running 20s after an interrupt")
	}
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(stderr.String(), "cancel") {
		t.Errorf("interrupted scan: exit %d, stderr %q; want 3 and a line saying it was cancelled", code, stderr.String())
	}
	if rep := readReport(t, js); !rep.Summary.Blocked || len(rep.Errors) == 0 {
		t.Errorf("interrupted scan's report is not blocked or does not say it is incomplete: %+v", rep.Summary)
	}
}

func TestActionWithoutTokenStillBlocksAndSaysWhy(t *testing.T) {
	r, base, planted := historyWithSecrets(t, 709, 1)
	gh := githubtest.NewServer(t)
	run := runAction(t, r.Dir, prEvent(1, base, r.Git("rev-parse", "HEAD")), "GITHUB_TOKEN=", "GITHUB_API_URL="+gh.URL)
	if run.Code != 1 {
		t.Errorf("no token: exit %d, want 1 (findings block)\n%s", run.Code, run.Stderr)
	}
	if !strings.Contains(run.summary, "token") || !strings.Contains(run.Stdout, "::error file=") || run.sarif == "" {
		t.Errorf("no token: summary lacks the note, or annotations or SARIF are missing:\n%s", run.summary)
	}
	if n := len(gh.Requests()); n != 0 {
		t.Errorf("%d requests to GitHub without a token", n)
	}
	testkit.AssertNoLeak(t, "outputs", run.Output()+run.summary+run.outputs+run.sarif, planted...)
}

func TestHostileEventPayloadsAreUsageErrors(t *testing.T) {
	r, base, _ := historyWithSecrets(t, 710, 1)
	head := r.Git("rev-parse", "HEAD")
	sha := func(s string) string { return `"` + s + `"` }
	cases := map[string]struct {
		event   string
		payload []byte
	}{
		"not JSON":            {"pull_request", []byte("{\"pull_request\": ")},
		"empty":               {"pull_request", []byte("")},
		"wrong type":          {"pull_request", []byte(`{"pull_request":{"number":"1","base":{"sha":` + sha(base) + `},"head":{"sha":` + sha(head) + `}}}`)},
		"array":               {"push", []byte(`[1,2,3]`)},
		"revision expression": {"push", []byte(`{"ref":"refs/heads/main","before":"HEAD~1","after":` + sha(head) + `}`)},
		"option as sha":       {"pull_request", []byte(`{"pull_request":{"number":1,"base":{"sha":"--output=/tmp/x"},"head":{"sha":` + sha(head) + `}}}`)},
		"option as ref":       {"push", []byte(`{"ref":"refs/heads/--upload-pack=touch PWNED","before":` + sha(base) + `,"after":` + sha(head) + `}`)},
		"shell in ref":        {"push", []byte(`{"ref":"$(touch PWNED)","before":` + sha(base) + `,"after":` + sha(head) + `}`)},
		"newline in branch":   {"push", []byte(`{"ref":"refs/heads/a\n::set-output name=blocked::false","before":` + sha(base) + `,"after":` + sha(head) + `}`)},
		"unsupported event":   {"issue_comment", []byte(`{}`)},
		"deep nesting":        {"pull_request", []byte(strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000))},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			run := runAction(t, r.Dir, c.payload, "GITHUB_EVENT_NAME="+c.event)
			if run.Code != 2 {
				t.Errorf("exit %d, want 2\n%s", run.Code, run.Stderr)
			}
			oneLineError(t, name, run.Result, "")
			assertOnlyAnnotations(t, run.Stdout)
			if m, _ := filepath.Glob(filepath.Join(r.Dir, "PWNED*")); len(m) > 0 {
				t.Errorf("a command from the payload ran")
			}
		})
	}
	// No payload file at all.
	run := runAction(t, r.Dir, []byte("{}"), "GITHUB_EVENT_PATH="+filepath.Join(t.TempDir(), "missing.json"))
	if run.Code != 2 {
		t.Errorf("missing payload: exit %d, want 2", run.Code)
	}
	oneLineError(t, "missing payload", run.Result, "GITHUB_EVENT_PATH")
}

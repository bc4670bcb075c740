package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aiguard/aiguard/internal/testkit"
	"github.com/aiguard/aiguard/report"
)

func jsonReport(t *testing.T, r testkit.Result) report.Report {
	t.Helper()
	var rep report.Report
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\nstdout: %s\nstderr: %s", err, r.Stdout, r.Stderr)
	}
	return rep
}

func rulesAt(rep report.Report) map[string]string {
	out := map[string]string{}
	for _, f := range rep.Findings {
		sha := ""
		if f.Commit != nil {
			sha = f.Commit.SHA
		}
		out[f.Path] = f.RuleID + "@" + sha
	}
	return out
}

func TestRangeReportsAddedThenDeletedSecretWithItsCommit(t *testing.T) {
	fk := testkit.NewFakes(1)
	r := testkit.NewRepo(t)
	r.Write("README.md", "demo\n")
	base := r.Commit("base")
	key := fk.AWSKeyID()
	r.Write("deploy/creds.ini", "[default]\naws_access_key_id = "+key+"\n")
	adding := r.Commit("add deploy credentials")
	r.Git("rm", "-q", "deploy/creds.ini")
	r.Commit("remove credentials")

	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--format", "json")
	if res.Code != 1 {
		t.Fatalf("exit %d, want 1 (blocked)\n%s", res.Code, res.Stderr)
	}
	rep := jsonReport(t, res)
	if len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding, got %d: %+v", len(rep.Findings), rep.Findings)
	}
	f := rep.Findings[0]
	if f.Path != "deploy/creds.ini" || f.StartLine != 2 || f.Commit == nil || f.Commit.SHA != adding {
		t.Errorf("finding at %s:%d commit %v, want deploy/creds.ini:2 in %s", f.Path, f.StartLine, f.Commit, adding)
	}
	if f.Category != "CL" || f.Severity.String() != "P1" {
		t.Errorf("got %s %s, want CL P1 (specific credential reached a shared repository)", f.Category, f.Severity)
	}
	testkit.AssertNoLeak(t, "JSON report", res.Output(), key)
}

func TestRangeIgnoresWhatWasPresentAtBase(t *testing.T) {
	fk := testkit.NewFakes(2)
	r := testkit.NewRepo(t)
	old := fk.GitHubPAT()
	r.Write("ci/config.yml", "token: "+old+"\n")
	r.Write("notes.txt", "a\n")
	base := r.Commit("old secret already in history")
	// Moving, renaming and re-indenting what BASE already had is not a new leak.
	r.Git("mv", "ci/config.yml", "ci/pipeline.yml")
	r.Commit("rename")
	r.Write("other/moved.yml", "settings:\n  token: "+old+"\n")
	r.Commit("copy elsewhere")
	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--format", "json")
	if res.Code != 0 {
		t.Fatalf("exit %d, want 0: %s\n%s", res.Code, res.Stdout, res.Stderr)
	}
	if rep := jsonReport(t, res); len(rep.Findings) != 0 {
		t.Errorf("reported %d findings that BASE already had: %v", len(rep.Findings), rulesAt(rep))
	}
	// The same history scanned whole does report it, once, at its origin.
	all := jsonReport(t, testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--format", "json"))
	got := rulesAt(all)
	if _, ok := got["ci/config.yml"]; !ok {
		t.Errorf("full history scan missed the original secret: %v", got)
	}
}

func TestMergeCommitResolutionIsScannedAndBranchNotRepeated(t *testing.T) {
	fk := testkit.NewFakes(3)
	r := testkit.NewRepo(t)
	r.Write("app.cfg", "mode = dev\n")
	base := r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	branchKey := fk.SlackBot()
	r.Write("bot.env", "SLACK_TOKEN="+branchKey+"\n")
	r.Write("app.cfg", "mode = feature\n")
	branchCommit := r.Commit("feature work")
	r.Git("checkout", "-q", "main")
	r.Write("app.cfg", "mode = main\n")
	r.Commit("main work")
	r.Git("merge", "-q", "feature", "-m", "merge", "--no-ff", "-X", "ours") // conflicts resolved automatically
	// An "evil merge": the conflict resolution itself adds a credential.
	r.Git("checkout", "-q", "-b", "feature2", base)
	r.Write("app.cfg", "mode = two\n")
	r.Commit("feature2")
	r.Git("checkout", "-q", "main")
	// This merge stops on a conflict, which the next lines resolve.
	_ = testkitGit(r.Dir, "merge", "-q", "feature2", "-m", "merge2").Run()
	mergeKey := fk.GitHubPAT()
	r.Write("app.cfg", "mode = resolved\ntoken = "+mergeKey+"\n")
	r.Git("add", "app.cfg")
	mergeSHA := func() string { r.Git("commit", "-q", "--no-edit"); return r.Git("rev-parse", "HEAD") }()

	rep := jsonReport(t, testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--format", "json"))
	var slack, merge int
	for _, f := range rep.Findings {
		switch f.Path {
		case "bot.env":
			slack++
			if f.Commit.SHA != branchCommit {
				t.Errorf("branch secret attributed to %s, want the branch commit %s", f.Commit.SHA, branchCommit)
			}
		case "app.cfg":
			merge++
			if f.Commit.SHA != mergeSHA {
				t.Errorf("merge resolution secret attributed to %s, want merge commit %s", f.Commit.SHA, mergeSHA)
			}
		}
	}
	if slack != 1 || merge != 1 {
		t.Errorf("got %d branch and %d merge findings, want 1 and 1: %v", slack, merge, rulesAt(rep))
	}
}

func TestRootCommitBaseAndSingleRevision(t *testing.T) {
	fk := testkit.NewFakes(4)
	r := testkit.NewRepo(t)
	key := fk.AWSKeyID()
	r.Write("a.txt", "aws_access_key_id="+key+"\n")
	root := r.Commit("root with key")
	r.Write("b.txt", "nothing\n")
	r.Commit("second")
	// root..HEAD excludes the root commit itself.
	if rep := jsonReport(t, testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", root+"..HEAD", "--format", "json")); len(rep.Findings) != 0 {
		t.Errorf("root..HEAD reported the root commit's content: %v", rulesAt(rep))
	}
	// A single revision means its whole history, root commit included.
	if rep := jsonReport(t, testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", "HEAD", "--format", "json")); len(rep.Findings) != 1 {
		t.Errorf("--range HEAD found %d, want 1", len(rep.Findings))
	}
}

func TestStagedScanIsANearMiss(t *testing.T) {
	fk := testkit.NewFakes(5)
	r := testkit.NewRepo(t)
	r.Write("x.txt", "x\n")
	r.Commit("init")
	key := fk.GitHubPAT()
	r.Write("config/app.yml", "github_token: "+key+"\n")
	r.Git("add", "config/app.yml")
	r.Write("unstaged.yml", "github_token: "+fk.GitHubPAT()+"\n")
	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--staged", "--format", "json")
	rep := jsonReport(t, res)
	if len(rep.Findings) != 1 || rep.Findings[0].Path != "config/app.yml" || rep.Findings[0].Severity.String() != "P4" {
		t.Fatalf("staged scan: %+v", rep.Findings)
	}
	if res.Code != 1 {
		t.Errorf("exit %d, want 1", res.Code)
	}
}

func TestStagedScanInEmptyRepository(t *testing.T) {
	fk := testkit.NewFakes(6)
	r := testkit.NewRepo(t)
	r.Write("first.env", "GITHUB_TOKEN="+fk.GitHubPAT()+"\n")
	r.Git("add", "first.env")
	rep := jsonReport(t, testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--staged", "--format", "json"))
	if len(rep.Findings) != 1 {
		t.Errorf("first commit's staged secret not found: %+v", rep)
	}
}

func TestDirScanSkipsGitBinaryAndLargeFiles(t *testing.T) {
	fk := testkit.NewFakes(7)
	dir := t.TempDir()
	write := func(p string, data []byte) {
		_ = os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	key := fk.AWSKeyID()
	write("src/settings.py", []byte("AWS_ACCESS_KEY_ID = '"+key+"'\n"))
	write(".git/config", []byte("aws_access_key_id="+fk.AWSKeyID()+"\n"))
	write("img.bin", append([]byte{0, 1, 2}, []byte("aws_access_key_id="+fk.AWSKeyID())...))
	write("big.txt", []byte(strings.Repeat("x", 2048)+"\naws_access_key_id="+fk.AWSKeyID()+"\n"))
	res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--max-file-size", "1024")
	if res.Code != 1 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, want := range []string{"src/settings.py:1", "skipped img.bin: binary file", "skipped big.txt: larger than 1024 bytes"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout, ".git/config") {
		t.Errorf("scanned inside .git:\n%s", res.Stdout)
	}
	testkit.AssertNoLeak(t, "text report", res.Output(), key)
}

func TestExitCodesAndOneLineErrors(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a", "a\n")
	r.Commit("a")
	notRepo := t.TempDir()
	badCfg := filepath.Join(t.TempDir(), "bad.yml")
	_ = os.WriteFile(badCfg, []byte("fail-on: P2\nallowlist:\n  paths: ['(unclosed']\n"), 0o644)
	typo := filepath.Join(t.TempDir(), "typo.yml")
	_ = os.WriteFile(typo, []byte("fail-on: P2\nfail_on: P3\n"), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no target", []string{"scan"}, 2, "nothing to scan"},
		{"unknown flag", []string{"scan", "--bogus"}, 2, "bogus"},
		{"bad format", []string{"scan", "--dir", ".", "--format", "xml"}, 2, "--format"},
		{"bad fail-on", []string{"scan", "--dir", ".", "--fail-on", "P9"}, 2, "P9"},
		{"bad regex in config", []string{"scan", "--dir", ".", "--config", badCfg}, 2, "bad.yml"},
		{"unknown key in config", []string{"scan", "--dir", ".", "--config", typo}, 2, "typo.yml:2"},
		{"range does not resolve", []string{"scan", "--repo", ".", "--range", "nope..HEAD"}, 3, "does not resolve"},
		{"not a repository", []string{"scan", "--repo", notRepo}, 3, "not a git repository"},
		{"missing dir", []string{"scan", "--dir", filepath.Join(notRepo, "missing")}, 3, "not a readable directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := testkit.Run(t, r.Dir, nil, c.args...)
			if res.Code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", res.Code, c.code, res.Stderr)
			}
			lines := strings.Split(strings.TrimSpace(res.Stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, c.msg) {
				t.Errorf("error %q does not mention %q", last, c.msg)
			}
		})
	}
}

func TestShallowCloneFailsClosed(t *testing.T) {
	fk := testkit.NewFakes(8)
	r := testkit.NewRepo(t)
	r.Write("a.txt", "token = "+fk.GitHubPAT()+"\n")
	r.Commit("secret deep in history")
	for i := 0; i < 3; i++ {
		r.Write("n.txt", strings.Repeat("n", i+1))
		r.Commit("more")
	}
	clone := filepath.Join(t.TempDir(), "shallow")
	cmd := testkitGit("", "clone", "-q", "--depth", "1", "file://"+r.Dir, clone)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("clone: %v %s", err, out)
	}
	res := testkit.Run(t, clone, nil, "scan", "--repo", ".")
	if res.Code != 3 || !strings.Contains(res.Stderr, "fetch-depth: 0") {
		t.Errorf("shallow full-history scan: exit %d, stderr %q; want exit 3 naming fetch-depth: 0", res.Code, res.Stderr)
	}
}

func TestFailOnThreshold(t *testing.T) {
	fk := testkit.NewFakes(9)
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "k.env"), []byte("GITHUB_TOKEN="+fk.GitHubPAT()+"\n"), 0o644)
	if res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--stage", "pre-commit", "--fail-on", "P3"); res.Code != 0 {
		t.Errorf("P4 finding with --fail-on P3: exit %d, want 0", res.Code)
	}
	if res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--fail-on", "none"); res.Code != 0 {
		t.Errorf("--fail-on none: exit %d, want 0", res.Code)
	}
	if res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--fail-on", "P1"); res.Code != 1 {
		t.Errorf("P1 finding with --fail-on P1: exit %d, want 1", res.Code)
	}
}

func TestSARIFValidatesAndLeaksNothing(t *testing.T) {
	fk := testkit.NewFakes(10)
	r := testkit.NewRepo(t)
	r.Write("README.md", "x\n")
	base := r.Commit("base")
	planted := []string{fk.AWSKeyID(), fk.GitHubPAT(), fk.SlackBot()}
	r.Write("dir with space/keys:1.env", "AWS_ACCESS_KEY_ID="+planted[0]+"\nGITHUB_TOKEN="+planted[1]+"\nSLACK="+planted[2]+"\n")
	r.Commit("keys")
	sarifPath := filepath.Join(t.TempDir(), "out", "aiguard.sarif")
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	res := testkit.Run(t, r.Dir, nil, "scan", "--repo", ".", "--range", base+"..HEAD", "--sarif", sarifPath, "--json", jsonPath)
	if res.Code != 1 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	data, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, data)
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Help       map[string]any `json:"help"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("want 3 results, got %d", len(run.Results))
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.Properties["security-severity"] == nil || rule.Help["markdown"] == nil {
			t.Errorf("rule %s lacks security-severity or markdown help", rule.ID)
		}
		if md, _ := rule.Help["markdown"].(string); !strings.Contains(md, "Rotate affected credentials") {
			t.Errorf("rule %s help lacks the playbook's containment actions", rule.ID)
		}
	}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "dir%20with%20space/keys:1.env" || loc.Region.StartLine < 1 {
			t.Errorf("location %q line %d", loc.ArtifactLocation.URI, loc.Region.StartLine)
		}
		if res.PartialFingerprints["aiguardFingerprint/v1"] == "" {
			t.Errorf("result lacks partialFingerprints")
		}
		for _, k := range []string{"category", "severity", "commit"} {
			if res.Properties[k] == nil {
				t.Errorf("result lacks property %s", k)
			}
		}
	}
	jsonData, _ := os.ReadFile(jsonPath)
	for name, out := range map[string]string{"SARIF": string(data), "JSON": string(jsonData), "stdout/stderr": res.Output()} {
		testkit.AssertNoLeak(t, name, out, planted...)
	}
}

func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	schemaPath := filepath.Join(testkit.ModuleRoot(), "testdata", "sarif-schema-2.1.0.json")
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestReportPathIsNeverDeleted(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "a.txt"), []byte("nothing\n"), 0o644)
	before, err := os.Stat("/dev/null")
	if err != nil {
		t.Skip("no /dev/null")
	}
	res := testkit.Run(t, dir, nil, "scan", "--dir", ".", "--sarif", "/dev/null", "--json", "/dev/null")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	after, err := os.Stat("/dev/null")
	if err != nil || after.Mode() != before.Mode() {
		t.Fatalf("/dev/null changed: %v %v", after, err)
	}
}

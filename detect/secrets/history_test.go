package secrets

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// TestHistoryRangeReportsExactlyTheRealSecrets runs the built binary over a
// commit range as CI does: a secret added and deleted later in the range is
// reported with the commit that added it, placeholder and template commits
// are not, and a secret already present at BASE is not reported again when
// its file changes.
func TestHistoryRangeReportsExactlyTheRealSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the aiguard binary")
	}
	g := &hg{r: newGen(77).r}
	repo := testkit.NewRepo(t)

	old := g.ghp()
	repo.Write("config/app.env", "LOG_LEVEL=info\nGITHUB_TOKEN="+old+"\n")
	repo.Write("README.md", "# app\n")
	base := repo.Commit("base: config with a token already present")

	repo.Write("config/app.env", "LOG_LEVEL=debug\nGITHUB_TOKEN="+old+"\nPORT=8080\n")
	repo.Commit("touch the file holding the old token")

	stripe := g.stripeLive()
	pw := g.pw()
	repo.Write("services/pay/.env", "STRIPE_SECRET_KEY="+stripe+"\nSTRIPE_PUBLISHABLE_KEY="+g.stripePub()+"\n")
	repo.Write("deploy/values.yaml", "postgresql:\n  auth:\n    username: app\n    password: \""+pw+"\"\n")
	added := repo.Commit("add payment service config")

	repo.Write("services/pay/.env", "STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\nSTRIPE_PUBLISHABLE_KEY="+g.stripePub()+"\n")
	repo.Write("deploy/values.yaml", "postgresql:\n  auth:\n    username: app\n    existingSecret: app-db\n")
	repo.Commit("move secrets to the environment")

	repo.Write(".env.example", "OPENAI_API_KEY=sk-...\nSTRIPE_SECRET_KEY=<your-stripe-secret-key>\nDATABASE_URL=postgres://user:password@localhost:5432/app\n"+
		"AWS_ACCESS_KEY_ID=AKIA"+"IOSFODNN7EXAMPLE\n")
	repo.Write(".github/workflows/ci.yml", "env:\n  OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n")
	repo.Commit("document configuration")

	nb := g.anthropic()
	repo.Write("notebooks/try.ipynb", `{"cells": [{"cell_type": "code", "source": [`+"\n"+
		`  "client = Anthropic(api_key=\"`+nb+`\")\n",`+"\n"+`  "print(client)"`+"\n"+`]}]}`+"\n")
	nbCommit := repo.Commit("notebook")

	res := testkit.Run(t, repo.Dir, nil, "scan", "--repo", repo.Dir, "--range", base+"..HEAD", "--format", "json", "--fail-on", "none", "--progress", "never")
	if res.Code != 0 {
		t.Fatalf("scan exited %d: %s", res.Code, res.Stderr)
	}
	testkit.AssertNoLeak(t, "scan output", res.Output(), old, stripe, pw, nb)
	var report struct {
		Findings []struct {
			RuleID    string `json:"rule_id"`
			Category  string `json:"category"`
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
			Commit    *struct {
				SHA string `json:"sha"`
			} `json:"commit"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &report); err != nil {
		t.Fatalf("json output: %v", err)
	}
	var got []string
	for _, f := range report.Findings {
		if f.Category != "CL" {
			continue
		}
		sha := ""
		if f.Commit != nil {
			sha = f.Commit.SHA
		}
		got = append(got, f.Path+":"+strconv.Itoa(f.StartLine)+"@"+sha)
	}
	sort.Strings(got)
	want := []string{
		"deploy/values.yaml:4@" + added,
		"notebooks/try.ipynb:2@" + nbCommit,
		"services/pay/.env:1@" + added,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("credential findings in the range:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

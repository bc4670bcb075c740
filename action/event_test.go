package action

import (
	"errors"
	"strings"
	"testing"
)

const (
	shaA = "1111111111111111111111111111111111111111"
	shaB = "2222222222222222222222222222222222222222"
	zero = "0000000000000000000000000000000000000000"
)

func TestParseEvent(t *testing.T) {
	pr := `{"pull_request":{"number":7,"base":{"sha":"` + shaA + `","ref":"main","repo":{"full_name":"acme/app"}},"head":{"sha":"` + shaB + `","ref":"feat","repo":{"full_name":"%s"}},"user":{"login":"dev"}},"repository":{"full_name":"acme/app","default_branch":"main"}}`
	cases := []struct {
		name, event, payload, ref string
		check                     func(t *testing.T, ev *Event)
	}{
		{"pull request", "pull_request", strings.Replace(pr, "%s", "acme/app", 1), "refs/pull/7/merge", func(t *testing.T, ev *Event) {
			if ev.PRNumber != 7 || ev.Base != shaA || ev.Head != shaB || ev.Branch != "main" || ev.Fork || ev.Author != "dev" {
				t.Errorf("got %+v", ev)
			}
		}},
		{"fork pull request", "pull_request_target", strings.Replace(pr, "%s", "mallory/app", 1), "refs/heads/main", func(t *testing.T, ev *Event) {
			if !ev.Fork {
				t.Errorf("head in another repository is not a fork: %+v", ev)
			}
		}},
		{"push", "push", `{"ref":"refs/heads/feat","before":"` + shaA + `","after":"` + shaB + `","forced":true,"repository":{"full_name":"acme/app","default_branch":"trunk"},"pusher":{"name":"dev"}}`, "refs/heads/feat", func(t *testing.T, ev *Event) {
			if ev.Base != shaA || ev.Head != shaB || ev.Branch != "feat" || ev.DefaultBranch != "trunk" || !ev.Forced {
				t.Errorf("got %+v", ev)
			}
		}},
		{"new branch", "push", `{"ref":"refs/heads/feat","before":"` + zero + `","after":"` + shaB + `","repository":{"full_name":"acme/app","default_branch":"main"}}`, "", func(t *testing.T, ev *Event) {
			if !zeroSHA.MatchString(ev.Base) {
				t.Errorf("got %+v", ev)
			}
		}},
		{"merge group", "merge_group", `{"merge_group":{"head_sha":"` + shaB + `","base_sha":"` + shaA + `","head_ref":"refs/heads/gh-readonly-queue/main/pr-7","base_ref":"refs/heads/main"},"repository":{"full_name":"acme/app","default_branch":"main"}}`, "", func(t *testing.T, ev *Event) {
			if ev.Base != shaA || ev.Head != shaB || ev.Branch != "main" || ev.Ref != "refs/heads/gh-readonly-queue/main/pr-7" {
				t.Errorf("got %+v", ev)
			}
		}},
		{"dispatch", "workflow_dispatch", `{"inputs":{},"ref":"refs/heads/main","repository":{"full_name":"acme/app","default_branch":"main"}}`, "refs/heads/main", func(t *testing.T, ev *Event) {
			if ev.Branch != "main" || ev.Repository != "acme/app" {
				t.Errorf("got %+v", ev)
			}
		}},
		{"schedule without payload", "schedule", ``, "refs/heads/main", func(t *testing.T, ev *Event) {
			if ev.Branch != "main" || ev.Repository != "env/repo" {
				t.Errorf("got %+v", ev)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, err := ParseEvent(c.event, []byte(c.payload), c.ref, "env/repo")
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, ev)
		})
	}
}

func TestParseEventRejectsBadPayloads(t *testing.T) {
	cases := []struct{ name, event, payload, want string }{
		{"not JSON", "push", `{"ref":`, "not valid JSON"},
		{"empty", "pull_request", ``, "not valid JSON"},
		{"wrong type", "pull_request", `{"pull_request":{"number":"7"}}`, "field pull_request.number should be int"},
		{"sha is a number", "push", `{"ref":"refs/heads/x","before":1,"after":2}`, "field before should be string"},
		{"array payload", "push", `[1,2]`, "should be"},
		{"no pull_request", "pull_request", `{"number":7}`, "has no pull_request"},
		{"no number", "pull_request", `{"pull_request":{"base":{"sha":"` + shaA + `"},"head":{"sha":"` + shaB + `"}}}`, "no pull request number"},
		{"sha is an option", "pull_request", `{"pull_request":{"number":1,"base":{"sha":"--output=/tmp/x"},"head":{"sha":"` + shaB + `"}}}`, "not a commit SHA"},
		{"sha is an expression", "push", `{"ref":"refs/heads/x","before":"HEAD~1","after":"` + shaB + `"}`, "not a commit SHA"},
		{"push without ref", "push", `{"before":"` + shaA + `","after":"` + shaB + `"}`, "no ref"},
		{"branch is an option", "push", `{"ref":"refs/heads/x","before":"` + shaA + `","after":"` + shaB + `","repository":{"default_branch":"--upload-pack=evil"}}`, "default branch"},
		{"merge group missing", "merge_group", `{}`, "has no merge_group"},
		{"unsupported", "issues", `{}`, "not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseEvent(c.event, []byte(c.payload), "refs/heads/main", "acme/app")
			if err == nil || !errors.Is(err, ErrEvent) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want ErrEvent containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

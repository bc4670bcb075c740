package action

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// zeroSHA is what GitHub sends as "before" for a new branch and as "after"
// for a deleted one.
var zeroSHA = regexp.MustCompile(`^0+$`)

// shaRE accepts SHA-1 and SHA-256 object names only, so nothing from the
// payload can reach git as an option or a revision expression.
var shaRE = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)

// payload is the part of a webhook event payload aiguard reads. Typed
// fields make a payload with the wrong types an error, never a panic.
type payload struct {
	Before     string `json:"before"`
	After      string `json:"after"`
	Ref        string `json:"ref"`
	Forced     bool   `json:"forced"`
	Repository struct {
		FullName      string `json:"full_name"`
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
	Pusher struct {
		Name string `json:"name"`
	} `json:"pusher"`
	Sender struct {
		Login string `json:"login"`
	} `json:"sender"`
	PullRequest *struct {
		Number int     `json:"number"`
		Base   prEnd   `json:"base"`
		Head   prEnd   `json:"head"`
		User   account `json:"user"`
	} `json:"pull_request"`
	MergeGroup *struct {
		HeadSHA string `json:"head_sha"`
		BaseSHA string `json:"base_sha"`
		HeadRef string `json:"head_ref"`
		BaseRef string `json:"base_ref"`
	} `json:"merge_group"`
}

type account struct {
	Login string `json:"login"`
}

type prEnd struct {
	SHA  string `json:"sha"`
	Ref  string `json:"ref"`
	Repo *struct {
		FullName string `json:"full_name"`
	} `json:"repo"`
}

// Event is what the action needs to know about the triggering event,
// validated: SHAs are object names, refs cannot be options.
type Event struct {
	Name          string
	Repository    string
	DefaultBranch string
	// Ref is the full ref the event is about (refs/heads/x, refs/pull/N/merge…).
	Ref string
	// Branch is the branch the change is on or heading to, for the stage.
	Branch string
	// Base and Head are the commits of the change; Base may be zero (new
	// branch) and is empty for events that scan a tree.
	Base, Head string
	Forced     bool
	PRNumber   int
	// Fork is a pull request whose head lives in another repository: its
	// token is read-only.
	Fork   bool
	Author string
}

// ErrEvent marks a missing, malformed or unsupported event (exit code 2).
var ErrEvent = errors.New("event")

func eventErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrEvent}, args...)...)
}

// ParseEvent reads the payload of the event named name, as the runner gives
// it in GITHUB_EVENT_PATH. ref is GITHUB_REF, used by events whose payload
// has none (schedule, merge_group).
func ParseEvent(name string, data []byte, ref, repository string) (*Event, error) {
	ev := &Event{Name: name, Ref: ref, Repository: repository}
	var p payload
	if name != "schedule" || len(data) > 0 {
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, eventErr("event payload for %s is not valid JSON of the expected shape: %s", name, jsonReason(err))
		}
	}
	if p.Repository.FullName != "" {
		ev.Repository = p.Repository.FullName
	}
	ev.DefaultBranch = p.Repository.DefaultBranch
	ev.Author = p.Sender.Login
	switch name {
	case "pull_request", "pull_request_target":
		pr := p.PullRequest
		if pr == nil {
			return nil, eventErr("%s payload has no pull_request", name)
		}
		if pr.Number <= 0 {
			return nil, eventErr("%s payload has no pull request number", name)
		}
		ev.PRNumber, ev.Base, ev.Head = pr.Number, pr.Base.SHA, pr.Head.SHA
		ev.Branch, ev.Author = pr.Base.Ref, pr.User.Login
		ev.Fork = pr.Head.Repo == nil || pr.Base.Repo == nil || pr.Head.Repo.FullName != pr.Base.Repo.FullName
		if err := checkSHAs(name, map[string]string{"pull_request.base.sha": ev.Base, "pull_request.head.sha": ev.Head}); err != nil {
			return nil, err
		}
	case "push":
		ev.Ref, ev.Base, ev.Head, ev.Forced = p.Ref, p.Before, p.After, p.Forced
		if p.Pusher.Name != "" {
			ev.Author = p.Pusher.Name
		}
		if err := checkSHAs(name, map[string]string{"before": ev.Base, "after": ev.Head}); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(ev.Ref, "refs/") {
			return nil, eventErr("push payload has no ref")
		}
		ev.Branch = strings.TrimPrefix(ev.Ref, "refs/heads/")
	case "merge_group":
		mg := p.MergeGroup
		if mg == nil {
			return nil, eventErr("merge_group payload has no merge_group")
		}
		ev.Base, ev.Head = mg.BaseSHA, mg.HeadSHA
		ev.Ref, ev.Branch = mg.HeadRef, strings.TrimPrefix(mg.BaseRef, "refs/heads/")
		if err := checkSHAs(name, map[string]string{"merge_group.base_sha": ev.Base, "merge_group.head_sha": ev.Head}); err != nil {
			return nil, err
		}
	case "workflow_dispatch", "schedule":
		ev.Branch = strings.TrimPrefix(ev.Ref, "refs/heads/")
	default:
		return nil, eventErr("event %q is not supported (use pull_request, pull_request_target, push, merge_group, workflow_dispatch or schedule)", name)
	}
	for what, v := range map[string]string{"branch": ev.Branch, "ref": ev.Ref} {
		if strings.HasPrefix(v, "-") || strings.ContainsAny(v, "\x00\n\r :") {
			return nil, eventErr("%s name %q is not valid", what, truncate(v, 50))
		}
	}
	if strings.HasPrefix(ev.DefaultBranch, "-") || strings.ContainsAny(ev.DefaultBranch, "\x00\n\r:") {
		return nil, eventErr("default branch %q is not valid", ev.DefaultBranch)
	}
	return ev, nil
}

func checkSHAs(event string, shas map[string]string) error {
	for field, v := range shas {
		if !shaRE.MatchString(v) {
			return eventErr("%s payload field %s is %q, not a commit SHA", event, field, truncate(v, 50))
		}
	}
	return nil
}

// jsonReason keeps json's explanation (field and types) without echoing
// payload content at length.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s should be %s, got %s", te.Field, te.Type, te.Value)
	}
	return truncate(err.Error(), 120)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

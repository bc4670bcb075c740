package action

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseEvent feeds arbitrary event payloads, whose branch names, titles
// and SHAs a pull request author or pusher controls: the result is an
// event-error (exit 2) or an event whose commits are object names and whose
// refs cannot reach git as options.
func FuzzParseEvent(f *testing.F) {
	sha := strings.Repeat("a", 40)
	for _, s := range [][2]string{
		{"pull_request", `{"pull_request":{"number":1,"base":{"sha":"` + sha + `","ref":"main"},"head":{"sha":"` + sha + `","ref":"$(id)"}}}`},
		{"push", `{"ref":"refs/heads/--upload-pack=x","before":"` + sha + `","after":"` + sha + `"}`},
		{"push", `{"ref":"refs/heads/main","before":"HEAD~1","after":"` + sha + `"}`},
		{"merge_group", `{"merge_group":{"head_sha":"` + sha + `","base_sha":"` + sha + `","head_ref":"refs/heads/gh-readonly-queue/main/pr-1","base_ref":"refs/heads/main"}}`},
		{"schedule", ``},
		{"pull_request", `{"pull_request":{"number":"1"}}`},
		{"push", `[]`},
		{"workflow_dispatch", `{"inputs":{"range":"a..b"}}`},
	} {
		f.Add(s[0], []byte(s[1]), "refs/heads/main")
	}
	f.Fuzz(func(t *testing.T, name string, data []byte, ref string) {
		ev, err := ParseEvent(name, data, ref, "acme/app")
		if err != nil {
			if !errors.Is(err, ErrEvent) {
				t.Errorf("error is not an event error (exit 2): %v", err)
			}
			return
		}
		for _, s := range []string{ev.Base, ev.Head} {
			if s != "" && !shaRE.MatchString(s) {
				t.Errorf("accepted commit %q", s)
			}
		}
		for _, r := range []string{ev.Branch, ev.Ref, ev.DefaultBranch} {
			if strings.HasPrefix(r, "-") || strings.ContainsAny(r, "\x00\n\r") {
				t.Errorf("accepted ref %q", r)
			}
		}
	})
}

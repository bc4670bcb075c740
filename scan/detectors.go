package scan

import (
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/detect/aitool"
	"github.com/aiguard/aiguard/detect/code"
	"github.com/aiguard/aiguard/detect/injection"
	"github.com/aiguard/aiguard/detect/pii"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/finding"
)

// extraDetectors builds the detectors beyond credentials.
func extraDetectors(cfg *config.Config) ([]detect.Detector, error) {
	var ds []detect.Detector
	d := &cfg.Detectors
	if d.PersonalData.On() {
		ds = append(ds, pii.New(d.PersonalData))
	}
	if d.Code.On() {
		c, err := code.New(d.Code)
		if err != nil {
			return nil, err
		}
		ds = append(ds, c)
	}
	if d.Injection.On() {
		ds = append(ds, injection.New(d.Injection))
	}
	return ds, nil
}

// parseTrailers reads a commit message's trailers.
func parseTrailers(msg string) []finding.Trailer { return aitool.ParseTrailers(msg) }

// NotDeclared is shown when a commit names no AI tool: absence of a marker
// is not evidence that a human wrote the change.
const NotDeclared = "not declared"

// annotate names the AI tool each commit declares, once per commit.
func annotate(fs []finding.Finding) {
	tools := map[*finding.Commit]string{}
	for i := range fs {
		c := fs[i].Commit
		if c == nil {
			continue
		}
		tool, ok := tools[c]
		if !ok {
			tool = aitool.Identify(c)
			if tool == "" {
				tool = NotDeclared
			}
			tools[c] = tool
		}
		fs[i].AITool = tool
	}
}

// withheldSubject replaces the subject of a commit whose message leaks.
const withheldSubject = "(subject withheld: the commit message contains a finding)"

// withholdLeakyMessages stops outputs quoting a commit's subject and
// trailers when its message is itself where something leaked.
func withholdLeakyMessages(fs []finding.Finding) {
	for _, f := range fs {
		if f.Path == source.MessagePath && f.Commit != nil {
			f.Commit.Subject = withheldSubject
			f.Commit.Trailers = nil
		}
	}
}

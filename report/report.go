// Package report writes scan results for people (text), programs (JSON) and
// GitHub code scanning (SARIF). Every writer takes the same Report, which
// holds only redacted values.
package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// SchemaVersion names the JSON report format; it changes only when a field
// is removed or changes meaning.
const SchemaVersion = "aiguard.report/v1"

// Report is the result of one scan, as written by every output.
type Report struct {
	Schema    string            `json:"schema"`
	Tool      Tool              `json:"tool"`
	Scan      Scan              `json:"scan"`
	Summary   Summary           `json:"summary"`
	Findings  []finding.Finding `json:"findings"`
	Incidents []Incident        `json:"incidents,omitempty"`
	Skipped   []detect.Skip     `json:"skipped,omitempty"`
	// Errors are failures that make the scan incomplete; a report with
	// errors never means "clean".
	Errors []string `json:"errors,omitempty"`
}

// Tool identifies the scanner.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scan describes what was scanned.
type Scan struct {
	Mode       string    `json:"mode"` // dir, history, staged
	Target     string    `json:"target"`
	Range      string    `json:"range,omitempty"`
	Stage      string    `json:"stage"`
	Branch     string    `json:"branch,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
	Fragments  int       `json:"fragments"`
	Bytes      int64     `json:"bytes"`
	Commits    int       `json:"commits"`
	Detectors  []string  `json:"detectors"`
}

// Summary counts findings and says whether the pipeline is blocked.
type Summary struct {
	Findings    int            `json:"findings"`
	BySeverity  map[string]int `json:"by_severity"`
	ByCategory  map[string]int `json:"by_category"`
	MaxSeverity string         `json:"max_severity,omitempty"`
	FailOn      string         `json:"fail_on"`
	Blocked     bool           `json:"blocked"`
	Suppressed  int            `json:"suppressed"`
}

// Incident is the part of a tracked incident a report shows.
type Incident struct {
	ID       string           `json:"id"`
	Category finding.Category `json:"category"`
	Severity finding.Severity `json:"severity"`
	Findings int              `json:"findings"`
	URL      string           `json:"url,omitempty"`
	Created  bool             `json:"created"`
}

// Summarise fills Summary from the findings. failOn Unclassified means the
// scan never blocks on findings; errors always block.
func (r *Report) Summarise(failOn finding.Severity, suppressed int) {
	s := Summary{BySeverity: map[string]int{}, ByCategory: map[string]int{}, Suppressed: suppressed, FailOn: "none"}
	if failOn != finding.Unclassified {
		s.FailOn = failOn.String()
	}
	max := finding.Unclassified
	for _, f := range r.Findings {
		s.Findings++
		s.BySeverity[f.Severity.String()]++
		s.ByCategory[string(f.Category)]++
		if max == finding.Unclassified || f.Severity < max {
			max = f.Severity
		}
		if failOn != finding.Unclassified && f.Severity.AtLeast(failOn) {
			s.Blocked = true
		}
	}
	if max != finding.Unclassified {
		s.MaxSeverity = max.String()
	}
	if len(r.Errors) > 0 {
		s.Blocked = true
	}
	r.Summary = s
}

// WriteJSON writes the report in the documented JSON schema.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	return enc.Encode(r)
}

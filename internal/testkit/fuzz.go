package testkit

import (
	"context"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
)

// CheckDetector runs d over text at path as a whole file and as the lines a commit
// added (every other line of it), and fails on a broken promise of the
// Detector contract: findings must lie within the fragment, in a diff only on
// added lines, carry a rule and a category, and never show their own value.
// Fuzz targets of every detector share it.
func CheckDetector(t *testing.T, d detect.Detector, path, text string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	var added []string
	var at []int
	for i := 0; i < len(lines); i += 2 {
		added = append(added, lines[i])
		at = append(at, i+1)
	}
	frags := []*detect.Fragment{
		detect.NewTreeFragment(path, text),
		detect.NewDiffFragment(path, detect.StageHistory, nil, strings.Join(added, "\n"), at,
			func() (string, error) { return text, nil }),
	}
	for _, frag := range frags {
		fs, err := d.Detect(context.Background(), frag)
		if err != nil {
			continue
		}
		for _, f := range fs {
			if f.RuleID == "" || f.Category == "" {
				t.Errorf("finding without rule or category: %+v", f)
			}
			if f.StartLine < 1 || f.StartLine > len(lines) || f.EndLine < f.StartLine || f.EndLine > len(lines) {
				t.Errorf("%s: lines %d-%d outside a %d-line file", f.RuleID, f.StartLine, f.EndLine, len(lines))
			}
			if frag.Stage != detect.StageTree && !frag.IsAdded(f.StartLine) {
				t.Errorf("%s: reported line %d, which the change did not add", f.RuleID, f.StartLine)
			}
			if len(f.Secret) >= 8 && (strings.Contains(f.Message, f.Secret) || strings.Contains(f.Redacted, f.Secret) || strings.Contains(f.Title, f.Secret)) {
				t.Errorf("%s: message or redacted form shows the value it found", f.RuleID)
			}
		}
	}
}

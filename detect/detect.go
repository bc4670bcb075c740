// Package detect defines the unit of scanned content (Fragment), the Detector
// interface every finding source implements, and the Engine that streams
// fragments from a source through all detectors on all cores.
package detect

import (
	"context"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/finding"
)

// Stage says where the content being scanned came from, which detectors use
// to decide what to report (only added lines for diffs).
type Stage int

// Kinds of scan.
const (
	// StageTree is a plain directory or tree scan: every line counts.
	StageTree Stage = iota
	// StageHistory is a commit range: only lines the commit added count.
	StageHistory
	// StageStaged is the index against HEAD: only staged additions count.
	StageStaged
)

// Fragment is one file's worth of content to scan: a whole file in a tree
// scan, or the lines one commit (or the index) added to one file.
type Fragment struct {
	Path  string
	Stage Stage
	// Commit is set for history scans.
	Commit *finding.Commit
	// Text holds the added lines (tree scans: the whole file), joined by "\n".
	Text string
	// lines[i] is the new-file line number of line i of Text; nil means
	// Text is the whole file, line i+1.
	lines []int
	added map[int]struct{}
	// whole loads the complete new version of the file; nil for tree scans.
	whole func() (string, error)
}

// NewTreeFragment returns a fragment holding a whole file.
func NewTreeFragment(path, text string) *Fragment {
	return &Fragment{Path: path, Stage: StageTree, Text: text}
}

// WithCommit attributes a whole-text fragment to a commit, for content a
// commit carries beyond its files (its message).
func (f *Fragment) WithCommit(c *finding.Commit, stage Stage) *Fragment {
	f.Commit, f.Stage = c, stage
	return f
}

// NewDiffFragment returns a fragment of the lines a change added to path.
// lines gives the new-file line number of each line of text; whole loads the
// complete new file for detectors that need surrounding code.
func NewDiffFragment(path string, stage Stage, commit *finding.Commit, text string, lines []int, whole func() (string, error)) *Fragment {
	return &Fragment{Path: path, Stage: stage, Commit: commit, Text: text, lines: lines, whole: whole}
}

// FileLine maps a 1-based line of Text to the line number in the file.
func (f *Fragment) FileLine(textLine int) int {
	if f.lines == nil || textLine < 1 {
		return textLine
	}
	if textLine > len(f.lines) {
		return f.lines[len(f.lines)-1]
	}
	return f.lines[textLine-1]
}

// IsAdded reports whether a file line is part of what this fragment adds, so
// detectors that match over the whole file report only changed code.
func (f *Fragment) IsAdded(fileLine int) bool {
	if f.lines == nil {
		return true
	}
	if f.added == nil {
		f.added = make(map[int]struct{}, len(f.lines))
		for _, l := range f.lines {
			f.added[l] = struct{}{}
		}
	}
	_, ok := f.added[fileLine]
	return ok
}

// AddedLines returns the file line numbers this fragment adds (nil for a
// tree fragment, where every line counts).
func (f *Fragment) AddedLines() []int { return f.lines }

// Whole returns the complete new version of the file. For tree fragments that
// is Text; for diffs it is loaded from git on first use.
func (f *Fragment) Whole() (string, error) {
	if f.whole == nil {
		return f.Text, nil
	}
	return f.whole()
}

// Detector finds one kind of problem in fragments. Implementations must be
// safe for concurrent use: the engine calls Detect from several goroutines.
// Findings carry file line numbers (use Fragment.FileLine) and a category;
// severity is left to package classify.
type Detector interface {
	Name() string
	Detect(ctx context.Context, frag *Fragment) ([]finding.Finding, error)
}

// Finisher is implemented by detectors that aggregate across fragments (for
// example bulk personal-data exposure) and emit findings at the end.
type Finisher interface {
	Finish(ctx context.Context) ([]finding.Finding, error)
}

// Sort orders findings deterministically: by path, line, rule and commit, so
// that outputs are stable across runs whatever order the workers finished in.
func Sort(fs []finding.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return strings.Compare(sha(a), sha(b)) < 0
	})
}

func sha(f finding.Finding) string {
	if f.Commit == nil {
		return ""
	}
	return f.Commit.SHA
}

package detect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aiguard/aiguard/finding"
)

type sliceSource []*Fragment

func (s sliceSource) Scan(ctx context.Context, emit func(*Fragment) error, _ func(Skip)) error {
	for _, f := range s {
		if err := emit(f); err != nil {
			return err
		}
	}
	return nil
}

type failingSource struct{ sliceSource }

func (s failingSource) Scan(ctx context.Context, emit func(*Fragment) error, skip func(Skip)) error {
	_ = s.sliceSource.Scan(ctx, emit, skip)
	return errors.New("git died half way")
}

// wordDetector reports every line containing its word; "slow" fragments make
// it wait for the context, "panic" ones make it panic.
type wordDetector struct{ word string }

func (w wordDetector) Name() string { return "word" }

func (w wordDetector) Detect(ctx context.Context, f *Fragment) ([]finding.Finding, error) {
	if strings.Contains(f.Text, "panic") {
		panic("bad input")
	}
	if strings.Contains(f.Text, "slow") {
		<-ctx.Done()
		return nil, nil
	}
	var out []finding.Finding
	for i, line := range strings.Split(f.Text, "\n") {
		if strings.Contains(line, w.word) {
			out = append(out, finding.Finding{RuleID: "word", StartLine: f.FileLine(i + 1)})
		}
	}
	return out, nil
}

func manyFragments(n int) sliceSource {
	var s sliceSource
	for i := range n {
		s = append(s, NewTreeFragment(fmt.Sprintf("f%03d.txt", i), "a\nhit\nb"))
	}
	return s
}

func TestEngineFindsEverythingInStableOrder(t *testing.T) {
	e := &Engine{Detectors: []Detector{wordDetector{"hit"}}, Workers: 4}
	res, err := e.Run(context.Background(), manyFragments(200))
	if err != nil || len(res.Findings) != 200 || res.Fragments != 200 {
		t.Fatalf("got %d findings from %d fragments, err %v", len(res.Findings), res.Fragments, err)
	}
	for i, f := range res.Findings {
		if f.Path != fmt.Sprintf("f%03d.txt", i) || f.StartLine != 2 || f.Detector != "word" {
			t.Fatalf("finding %d: %+v", i, f)
		}
	}
}

func TestEngineFailsClosedButKeepsFindings(t *testing.T) {
	frags := manyFragments(3)
	frags = append(frags, NewTreeFragment("boom.txt", "panic"), NewTreeFragment("slow.txt", "slow"))
	e := &Engine{Detectors: []Detector{wordDetector{"hit"}}, FileTimeout: 50 * time.Millisecond}
	res, err := e.Run(context.Background(), failingSource{frags})
	if len(res.Findings) != 3 {
		t.Errorf("kept %d findings, want 3", len(res.Findings))
	}
	for _, want := range []string{"git died half way", "boom.txt: panic: bad input", "slow.txt: exceeded the per-file time limit"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestDiffFragmentLineMap(t *testing.T) {
	f := NewDiffFragment("x", StageHistory, nil, "a\nb", []int{7, 9}, func() (string, error) { return "whole", nil })
	if f.FileLine(1) != 7 || f.FileLine(2) != 9 || !f.IsAdded(9) || f.IsAdded(8) {
		t.Error("line map")
	}
	if w, _ := f.Whole(); w != "whole" {
		t.Error("Whole")
	}
}

package detect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiguard/aiguard/finding"
)

// Skip records content a source deliberately did not scan, so that reports
// can say so instead of implying it was clean.
type Skip struct {
	Path   string `json:"path"`
	Commit string `json:"commit,omitempty"`
	Reason string `json:"reason"`
}

// Source produces fragments. Scan must return an error whenever it could not
// read everything it was asked to (fail closed): a source that silently
// produced nothing would be reported as clean.
type Source interface {
	Scan(ctx context.Context, emit func(*Fragment) error, skip func(Skip)) error
}

// Progress receives counts as the engine goes; it is called from workers.
type Progress interface {
	Add(fragments int, bytes int64, commit string)
}

// Engine runs every detector over every fragment of a source, spreading the
// fragments over the available cores in one pass.
type Engine struct {
	Detectors []Detector
	Workers   int
	Progress  Progress
	// FileTimeout bounds the time all detectors may spend on one fragment;
	// 0 means no limit. Hitting it is an error (the file was not fully
	// scanned), never a silent pass.
	FileTimeout time.Duration
}

// Result is what a scan found and how much it read.
type Result struct {
	Findings  []finding.Finding
	Fragments int
	Bytes     int64
	Commits   int
	Skipped   []Skip
}

// Run scans src. It returns everything found even when it also returns an
// error, so callers can still write and block on partial results.
func (e *Engine) Run(ctx context.Context, src Source) (Result, error) {
	workers := e.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		res      Result
		mu       sync.Mutex
		errs     []error
		bytes    atomic.Int64
		frags    atomic.Int64
		commitMu sync.Mutex
		commits  = map[string]struct{}{}
	)
	record := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}

	queue := make(chan *Fragment, workers*4)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for frag := range queue {
				found := e.detect(ctx, frag, record)
				frags.Add(1)
				bytes.Add(int64(len(frag.Text)))
				sha := ""
				if frag.Commit != nil {
					sha = frag.Commit.SHA
				}
				if e.Progress != nil {
					e.Progress.Add(1, int64(len(frag.Text)), sha)
				}
				if len(found) > 0 {
					mu.Lock()
					res.Findings = append(res.Findings, found...)
					mu.Unlock()
				}
			}
		}()
	}

	srcErr := src.Scan(ctx, func(f *Fragment) error {
		if f.Commit != nil {
			commitMu.Lock()
			commits[f.Commit.SHA] = struct{}{}
			commitMu.Unlock()
		}
		select {
		case queue <- f:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, func(s Skip) {
		mu.Lock()
		res.Skipped = append(res.Skipped, s)
		mu.Unlock()
	})
	close(queue)
	wg.Wait()
	if c, ok := src.(io.Closer); ok {
		_ = c.Close()
	}

	for _, d := range e.Detectors {
		if fin, ok := d.(Finisher); ok {
			more, err := fin.Finish(ctx)
			if err != nil {
				record(fmt.Errorf("detector %s: %w", d.Name(), err))
			}
			res.Findings = append(res.Findings, more...)
		}
	}
	res.Fragments = int(frags.Load())
	res.Bytes = bytes.Load()
	res.Commits = len(commits)
	Sort(res.Findings)
	if srcErr != nil {
		errs = append([]error{srcErr}, errs...)
	}
	return res, errors.Join(errs...)
}

func (e *Engine) detect(ctx context.Context, frag *Fragment, record func(error)) []finding.Finding {
	var out []finding.Finding
	if e.FileTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.FileTimeout)
		defer cancel()
	}
	for _, d := range e.Detectors {
		fs, err := runDetector(ctx, d, frag)
		// A detector may stop with the context's error or without one; either
		// way the file was not fully scanned, and the limit is what to say.
		if ctx.Err() == context.DeadlineExceeded && (err == nil || errors.Is(err, context.DeadlineExceeded)) {
			err = fmt.Errorf("exceeded the per-file time limit of %s", e.FileTimeout)
		}
		if err != nil {
			record(fmt.Errorf("detector %s on %s: %w", d.Name(), where(frag), err))
		}
		for i := range fs {
			if fs[i].Path == "" {
				fs[i].Path = frag.Path
			}
			if fs[i].Commit == nil {
				fs[i].Commit = frag.Commit
			}
			if fs[i].Detector == "" {
				fs[i].Detector = d.Name()
			}
		}
		out = append(out, fs...)
	}
	return out
}

func where(frag *Fragment) string {
	if frag.Commit != nil && len(frag.Commit.SHA) >= 12 {
		return frag.Path + " @ " + frag.Commit.SHA[:12]
	}
	return frag.Path
}

// runDetector turns a detector panic into an error: one bad file must not
// take the whole scan down, and must not pass as clean either.
func runDetector(ctx context.Context, d Detector, frag *Fragment) (fs []finding.Finding, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return d.Detect(ctx, frag)
}

package cli

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress draws a one-line progress bar on a terminal's stderr: commits
// and bytes done, rate and, when the total is known, an ETA. The CLI only
// creates it for terminals, so CI logs stay clean.
type progress struct {
	w       io.Writer
	start   time.Time
	frags   atomic.Int64
	bytes   atomic.Int64
	commits atomic.Int64
	total   atomic.Int64 // commits expected, 0 when unknown

	mu      sync.Mutex
	seen    map[string]struct{}
	done    chan struct{}
	stopped sync.Once
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), seen: map[string]struct{}{}, done: make(chan struct{})}
	go p.loop()
	return p
}

// SetTotal tells the bar how many commits the scan will read.
func (p *progress) SetTotal(commits int) { p.total.Store(int64(commits)) }

// Add implements detect.Progress.
func (p *progress) Add(fragments int, bytes int64, commit string) {
	p.frags.Add(int64(fragments))
	p.bytes.Add(bytes)
	if commit != "" {
		p.mu.Lock()
		if _, ok := p.seen[commit]; !ok {
			p.seen[commit] = struct{}{}
			p.commits.Add(1)
		}
		p.mu.Unlock()
	}
}

func (p *progress) loop() {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *progress) line() string {
	elapsed := time.Since(p.start).Seconds()
	if elapsed <= 0 {
		elapsed = 1e-9
	}
	b := p.bytes.Load()
	rate := float64(b) / elapsed / (1 << 20)
	s := fmt.Sprintf("scanning: %d files", p.frags.Load())
	if c := p.commits.Load(); c > 0 {
		s += fmt.Sprintf(", %d", c)
		if total := p.total.Load(); total > 0 {
			s += fmt.Sprintf("/%d", total)
			if c > 0 && c < total {
				eta := time.Duration(elapsed / float64(c) * float64(total-c) * float64(time.Second))
				s += fmt.Sprintf(" commits, ETA %s", eta.Round(time.Second))
			} else {
				s += " commits"
			}
		} else {
			s += " commits"
		}
	}
	return s + fmt.Sprintf(", %.1f MiB at %.1f MiB/s", float64(b)/(1<<20), rate)
}

func (p *progress) draw() {
	fmt.Fprintf(p.w, "\r\x1b[2K%s", p.line())
}

// stop clears the bar so the report starts on a clean line.
func (p *progress) stop() {
	p.stopped.Do(func() {
		close(p.done)
		fmt.Fprint(p.w, "\r\x1b[2K")
	})
}

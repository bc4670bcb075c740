package incident

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Clock lets tests replace waiting.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// maxResponseBytes bounds what one API answer may make us buffer.
const maxResponseBytes = 32 << 20

// retryTransport retries GitHub's transient failures with bounded backoff and
// a budget of total waiting shared by all requests of one Tracker, so a
// broken GitHub delays the pipeline by at most the budget. It buffers every
// response body within the attempt so a connection dropped mid-body is
// retried like any other transient failure.
//
// A POST is retried only when GitHub certainly did not act on it: a rate
// limit answer or a connection that was never made. Otherwise the outcome is
// unknown and the Tracker reconciles (it looks for what it tried to create)
// before trying again, so a lost response never produces a duplicate.
type retryTransport struct {
	base     http.RoundTripper
	clock    Clock
	attempts int
	timeout  time.Duration
	logf     func(format string, args ...any)

	mu       sync.Mutex
	budget   time.Duration
	consumed time.Duration
}

// reserve takes d from the waiting budget, or reports that it is spent.
func (t *retryTransport) reserve(d time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.consumed+d > t.budget {
		return false
	}
	t.consumed += d
	return true
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	for attempt := 1; ; attempt++ {
		resp, err := t.once(req, body)
		wait, retry := t.retryable(req, resp, err, attempt)
		if !retry {
			return resp, err
		}
		if !t.reserve(wait) {
			if err != nil {
				return nil, fmt.Errorf("%w (gave up: retrying would exceed the %s wait budget)", err, t.budget)
			}
			return resp, nil
		}
		what := ""
		if resp != nil {
			what = resp.Status
		} else {
			what = oneLine(err.Error())
		}
		t.logf("GitHub %s %s: %s; retrying in %s (attempt %d of %d)", req.Method, req.URL.Path, what, wait.Round(time.Millisecond), attempt+1, t.attempts)
		if err := t.clock.Sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// once makes one attempt within the per-request timeout and reads the whole
// body, returning read failures as errors.
func (t *retryTransport) once(req *http.Request, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	r := req.Clone(ctx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading GitHub's answer to %s %s: %w", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Request = req
	return resp, nil
}

// retryable decides whether and after how long to retry.
func (t *retryTransport) retryable(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= t.attempts || req.Context().Err() != nil {
		return 0, false
	}
	backoff := t.backoff(attempt)
	if err != nil {
		return backoff, idempotent(req) || neverSent(err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return t.rateLimitWait(resp, backoff), true
	case code == http.StatusForbidden && isRateLimited(resp):
		return t.rateLimitWait(resp, time.Minute), true
	case code >= 500 && code != http.StatusNotImplemented:
		return backoff, idempotent(req)
	}
	return 0, false
}

func (t *retryTransport) backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << (attempt - 1)
	d = min(d, 8*time.Second)
	// Jitter keeps concurrent runs that failed together from retrying together.
	return d + time.Duration(rand.Int64N(int64(d/4)+1))
}

// rateLimitWait honours Retry-After, then X-RateLimit-Reset, then fallback.
func (t *retryTransport) rateLimitWait(resp *http.Response, fallback time.Duration) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		return max(time.Duration(s)*time.Second, 100*time.Millisecond)
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(t.clock.Now())+time.Second, time.Second)
		}
	}
	return fallback
}

// isRateLimited tells GitHub's rate-limit 403s from permission 403s.
func isRateLimited(resp *http.Response) bool {
	if resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return true
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return false
	}
	s := strings.ToLower(string(data))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "secondary-rate-limits") || strings.Contains(s, "abuse")
}

func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	case http.MethodPatch:
		// aiguard's PATCHes set whole fields (title, body, labels): repeating
		// one has the same effect as making it once.
		return true
	}
	return false
}

// neverSent reports errors that happen before the request reaches GitHub.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

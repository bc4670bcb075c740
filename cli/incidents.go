package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/incident"
	"github.com/aiguard/aiguard/report"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com"

// DefaultGitHubTimeout bounds all of a run's GitHub calls, retries
// included, so an API that stops answering cannot hold a pipeline: each
// request has its own timeout and retry budget, but many requests in a row
// could otherwise add up to far longer.
const DefaultGitHubTimeout = 3 * time.Minute

// trackIncidents opens or updates GitHub tracking issues for a CLI scan.
func trackIncidents(ctx context.Context, env *Env, f *ScanFlags, cfg *config.Config, rep *report.Report) error {
	token := env.Getenv("GITHUB_TOKEN")
	if token == "" {
		return usageErr("--create-issues needs a token in GITHUB_TOKEN")
	}
	if !validRepo(f.GitHubRepo) {
		return usageErr("--create-issues needs --github-repo OWNER/NAME (got %q)", f.GitHubRepo)
	}
	apiURL := f.GitHubAPIURL
	if apiURL == "" {
		apiURL = env.Getenv("GITHUB_API_URL")
	}
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	target := rep.Scan.Range
	if target == "" {
		target = rep.Scan.Mode
	}
	ev := incident.Event{
		Kind:       "scan",
		Key:        "scan:" + target + ":" + f.Branch,
		Repository: f.GitHubRepo,
		Ref:        f.Branch,
		ServerURL:  WebURL(apiURL),
		DetectedAt: time.Now().UTC(),
	}
	if f.GitHubTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.GitHubTimeout)
		defer cancel()
	}
	return Track(ctx, apiURL, token, ev, cfg, rep)
}

// Track builds the report's incidents, syncs them with GitHub and records
// them in the report. An error leaves every other output intact: the caller
// writes the report and still blocks.
func Track(ctx context.Context, apiURL, token string, ev incident.Event, cfg *config.Config, rep *report.Report) error {
	incs := incident.Build(rep.Findings, ev, cfg.Incidents)
	if len(incs) == 0 {
		return nil
	}
	tracker, err := incident.NewTracker(apiURL, token, ev.Repository)
	if err != nil {
		return usageErr("%v", err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultGitHubTimeout)
		defer cancel()
	}
	results, err := tracker.Sync(ctx, incs, ev)
	for _, r := range results {
		rep.Incidents = append(rep.Incidents, report.Incident{
			ID: r.ID, Category: r.Category, Severity: r.Severity, Findings: r.Findings, URL: r.URL, Created: r.Created,
		})
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return runtimeErr("tracking incidents on GitHub: no complete answer before the time limit (--github-timeout): %v", err)
		}
		return runtimeErr("tracking incidents on GitHub: %v", err)
	}
	return nil
}

func validRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	return ok && owner != "" && name != "" && !strings.ContainsAny(name, "/ ") && !strings.ContainsAny(owner, " ")
}

// WebURL derives the web root from an API URL: api.github.com serves
// github.com; GitHub Enterprise Server serves its API under /api/v3.
func WebURL(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil || u.Host == "" {
		return "https://github.com"
	}
	if u.Host == "api.github.com" {
		return "https://github.com"
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/api/v3")
	return fmt.Sprintf("%s://%s%s", u.Scheme, u.Host, u.Path)
}

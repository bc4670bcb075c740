// Package scan is the pipeline every front end (the CLI, the GitHub Action,
// the pre-commit hook) runs: source → detectors → findings → classify →
// report. Front ends only choose options and write outputs.
package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/detect/secrets"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/finding"
	"github.com/aiguard/aiguard/report"
)

// Version is the aiguard version written into reports.
var Version = "0.1.0"

// Mode is what kind of content a scan reads.
type Mode string

// Scan modes.
const (
	ModeDir     Mode = "dir"
	ModeHistory Mode = "history"
	ModeStaged  Mode = "staged"
)

// Options describe one scan.
type Options struct {
	Mode Mode
	// Dir is the tree to scan (ModeDir) or the repository (other modes).
	Dir string
	// Range is a git revision range for ModeHistory; "" means all history.
	Range  string
	Config *config.Config
	// Stage and Branch are the context the policy classifies in.
	Stage    classify.Stage
	Branch   string
	Progress detect.Progress
	// Workers bounds parallelism; 0 means all cores.
	Workers int
	// ConfigDir is where the team's .gitleaks.toml, .gitleaksignore and
	// baseline are read from; "" means Dir. A pull request's scan points it
	// at the base commit's files, so the change cannot switch off its own scan.
	ConfigDir string
}

// ErrUsage marks bad options or configuration (exit code 2); other errors
// are runtime failures (exit code 3).
var ErrUsage = errors.New("usage")

// Run scans and classifies. It returns a report even when it also returns an
// error, so that whatever was found is still written and still blocks.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	started := time.Now()
	defer startProfile()()
	defer tuneGC()()
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	rep := &report.Report{
		Schema: report.SchemaVersion,
		Tool:   report.Tool{Name: "aiguard", Version: Version},
		Scan: report.Scan{Mode: string(opts.Mode), Target: opts.Dir, Range: opts.Range,
			Stage: string(opts.Stage), Branch: opts.Branch, StartedAt: started.UTC()},
	}
	failOn, _ := cfg.FailOnSeverity()

	configDir := opts.ConfigDir
	if configDir == "" {
		configDir = opts.Dir
	}
	detectors, err := Detectors(configDir, cfg)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Summarise(failOn, 0)
		return rep, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	for _, d := range detectors {
		rep.Scan.Detectors = append(rep.Scan.Detectors, d.Name())
	}
	src, err := newSource(opts, cfg)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Summarise(failOn, 0)
		return rep, err
	}
	engine := &detect.Engine{Detectors: detectors, Workers: opts.Workers, Progress: opts.Progress, FileTimeout: time.Duration(cfg.FileTimeout)}
	res, runErr := engine.Run(ctx, src)
	rep.Scan.Fragments, rep.Scan.Bytes, rep.Scan.Commits = res.Fragments, res.Bytes, res.Commits
	rep.Skipped = res.Skipped

	found := res.Findings
	annotate(found)
	withholdLeakyMessages(found)
	if opts.Mode == ModeHistory && opts.Range != "" && runErr == nil {
		var baseErr error
		found, baseErr = dropPresentAtBase(ctx, source.Git{Dir: opts.Dir}, opts.Range, found)
		runErr = errors.Join(runErr, baseErr)
	}
	kept, suppressed, supErr := suppress(found, cfg, configDir)
	runErr = errors.Join(runErr, supErr)
	cfg.Policy().Apply(kept, classify.Context{Stage: opts.Stage, Branch: opts.Branch})
	for i := range kept {
		kept[i].Secret = ""
	}
	rep.Findings = kept
	if runErr != nil {
		rep.Errors = append(rep.Errors, oneLine(runErr))
	}
	rep.Scan.DurationMS = time.Since(started).Milliseconds()
	rep.Summarise(failOn, suppressed)
	return rep, runErr
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

func newSource(opts Options, cfg *config.Config) (detect.Source, error) {
	g := source.Git{Dir: opts.Dir}
	switch opts.Mode {
	case ModeDir:
		return &source.Dir{Root: opts.Dir, MaxFileSize: cfg.MaxFileSize, SkipPath: cfg.Allowlist.PathAllowed}, nil
	case ModeHistory:
		return &source.History{Git: g, Range: opts.Range, MaxFileSize: cfg.MaxFileSize,
			SkipCommit: commitAllowed(cfg), Trailers: parseTrailers}, nil
	case ModeStaged:
		return &source.Staged{Git: g, MaxFileSize: cfg.MaxFileSize}, nil
	}
	return nil, fmt.Errorf("%w: unknown scan mode %q", ErrUsage, opts.Mode)
}

func commitAllowed(cfg *config.Config) func(string) bool {
	if len(cfg.Allowlist.Commits) == 0 {
		return nil
	}
	return func(sha string) bool {
		for _, c := range cfg.Allowlist.Commits {
			if strings.HasPrefix(sha, c) {
				return true
			}
		}
		return false
	}
}

// Detectors builds the enabled detectors for a scan of root.
func Detectors(root string, cfg *config.Config) ([]detect.Detector, error) {
	var ds []detect.Detector
	if cfg.Detectors.Credentials.On() {
		opts := secrets.Options{GitleaksConfig: cfg.Detectors.Credentials.GitleaksConfig}
		if opts.GitleaksConfig == "" {
			if p := filepath.Join(root, ".gitleaks.toml"); isFile(p) {
				opts.GitleaksConfig = p
			}
		} else if !filepath.IsAbs(opts.GitleaksConfig) {
			opts.GitleaksConfig = filepath.Join(root, opts.GitleaksConfig)
		}
		if p := filepath.Join(root, ".gitleaksignore"); isFile(p) {
			opts.GitleaksIgnore = p
		}
		d, err := secrets.New(opts)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	more, err := extraDetectors(cfg)
	if err != nil {
		return nil, err
	}
	return append(ds, more...), nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// suppress applies the allowlist and the baseline.
func suppress(fs []finding.Finding, cfg *config.Config, root string) ([]finding.Finding, int, error) {
	accepted, err := loadBaseline(cfg, root)
	kept := fs[:0:0]
	n := 0
	for _, f := range fs {
		if cfg.Allowlist.Suppressed(&f) || accepted[f.Fingerprint] {
			n++
			continue
		}
		kept = append(kept, f)
	}
	return kept, n, err
}

// loadBaseline reads accepted fingerprints from a previous JSON report.
func loadBaseline(cfg *config.Config, root string) (map[string]bool, error) {
	if cfg.Baseline == "" {
		return nil, nil
	}
	p := cfg.Baseline
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("%w: baseline %s: cannot read", ErrUsage, cfg.Baseline)
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: baseline %s: not an aiguard JSON report: %v", ErrUsage, cfg.Baseline, err)
	}
	out := map[string]bool{}
	for _, f := range r.Findings {
		out[f.Fingerprint] = true
	}
	return out, nil
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aiguard/aiguard/classify"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/report"
	"github.com/aiguard/aiguard/scan"
)

func version() string { return scan.Version }

func init() {
	Register(&Command{Name: "scan", Summary: "scan a directory, a commit range or the staged change", Run: runScan})
}

// ScanFlags are the flags of `aiguard scan`, shared with other front ends.
type ScanFlags struct {
	Dir, Repo, Range   string
	Staged             bool
	ConfigPath         string
	Format             string
	SARIFPath          string
	JSONPath           string
	FailOn             string
	Stage              string
	Branch             string
	MaxFileSize        int64
	NoColour           bool
	Progress           string
	CreateIssues       bool
	GitHubRepo         string
	GitHubAPIURL       string
	IncidentPrefix     string
	ProductionBranches string
	GitHubTimeout      time.Duration
}

func (f *ScanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Dir, "dir", "", "scan every file under `DIR`")
	fs.StringVar(&f.Repo, "repo", "", "scan the git repository at `REPO` (whole history unless --range or --staged)")
	fs.StringVar(&f.Range, "range", "", "git revision `RANGE` to scan, e.g. BASE..HEAD (with --repo)")
	fs.BoolVar(&f.Staged, "staged", false, "scan what is staged for the next commit (with --repo)")
	fs.StringVar(&f.ConfigPath, "config", "", "configuration `FILE` (default: .aiguard.yml at the scanned root, if present)")
	fs.StringVar(&f.Format, "format", "text", "stdout format: text, json or sarif")
	fs.StringVar(&f.SARIFPath, "sarif", "", "also write SARIF 2.1.0 to `FILE`")
	fs.StringVar(&f.JSONPath, "json", "", "also write the JSON report to `FILE`")
	fs.StringVar(&f.FailOn, "fail-on", "", "lowest severity that fails the run: P1, P2, P3, P4 or none (default from config, P4)")
	fs.StringVar(&f.Stage, "stage", "", "context for severities: pre-commit, review, production or audit (default from the scan mode)")
	fs.StringVar(&f.Branch, "branch", "", "branch the content is on or heading to; production branches raise code severities")
	fs.Int64Var(&f.MaxFileSize, "max-file-size", 0, "skip files larger than `BYTES` (default from config, 10 MiB)")
	fs.BoolVar(&f.NoColour, "no-color", false, "never colour the text report")
	fs.StringVar(&f.Progress, "progress", "auto", "progress bar: auto (on a terminal), always or never")
	fs.BoolVar(&f.CreateIssues, "create-issues", false, "open or update GitHub tracking issues for incidents (needs GITHUB_TOKEN and --github-repo)")
	fs.StringVar(&f.GitHubRepo, "github-repo", "", "`OWNER/NAME` of the GitHub repository for tracking issues")
	fs.StringVar(&f.GitHubAPIURL, "github-api-url", "", "GitHub API `URL` (default $GITHUB_API_URL or https://api.github.com)")
	fs.DurationVar(&f.GitHubTimeout, "github-timeout", DefaultGitHubTimeout, "give up on GitHub after `DURATION` in all (the scan still blocks and writes its outputs)")
	fs.StringVar(&f.IncidentPrefix, "incident-prefix", "", "incident ID prefix (default from config, AIENG)")
	fs.StringVar(&f.ProductionBranches, "production-branches", "", "comma-separated production branch patterns (default from config: main, master)")
}

func runScan(ctx context.Context, env *Env, args []string) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f ScanFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(env.Stderr)
			fs.PrintDefaults()
			return ExitOK, nil
		}
		return ExitUsage, usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return ExitUsage, usageErr("unexpected argument %q (flags come before nothing else; did you mean --dir %s?)", fs.Arg(0), fs.Arg(0))
	}
	opts, cfg, err := f.options()
	if err != nil {
		return ExitUsage, err
	}
	if f.Progress == "always" || (f.Progress == "auto" && env.StderrTerminal && env.Getenv("CI") == "") {
		p := newProgress(env.Stderr)
		defer p.stop()
		opts.Progress = p
		if opts.Mode == scan.ModeHistory {
			go countCommits(ctx, opts, p)
		}
	}
	rep, scanErr := scan.Run(ctx, opts)
	if f.CreateIssues {
		if err := trackIncidents(ctx, env, &f, cfg, rep); err != nil {
			rep.Errors = append(rep.Errors, oneLine(err.Error()))
			scanErr = errors.Join(scanErr, err)
		}
	}
	failOn, _ := cfg.FailOnSeverity()
	rep.Summarise(failOn, rep.Summary.Suppressed)
	if err := writeOutputs(env, &f, rep); err != nil {
		return ExitRuntime, runtimeErr("%v", err)
	}
	if scanErr != nil {
		if errors.Is(scanErr, scan.ErrUsage) {
			var ce *config.Error
			if errors.As(scanErr, &ce) {
				return ExitUsage, usageErr("%v", ce)
			}
			return ExitUsage, usageErr("%v", strings.TrimPrefix(scanErr.Error(), "usage: "))
		}
		return ExitRuntime, runtimeErr("%v", scanErr)
	}
	if rep.Summary.Blocked {
		return ExitBlocked, nil
	}
	return ExitOK, nil
}

// countCommits gives the progress bar its total, for an ETA.
func countCommits(ctx context.Context, opts scan.Options, p *progress) {
	rev := opts.Range
	if rev == "" {
		rev = "--all"
	}
	out, err := source.Git{Dir: opts.Dir}.Output(ctx, "rev-list", "--count", rev, "--")
	if n, convErr := strconv.Atoi(out); err == nil && convErr == nil {
		p.SetTotal(n)
	}
}

// options validates flags and loads configuration.
func (f *ScanFlags) options() (scan.Options, *config.Config, error) {
	var o scan.Options
	switch {
	case f.Dir != "" && f.Repo != "":
		return o, nil, usageErr("--dir and --repo cannot be used together")
	case f.Dir != "":
		if f.Range != "" || f.Staged {
			return o, nil, usageErr("--range and --staged need --repo, not --dir")
		}
		o.Mode, o.Dir = scan.ModeDir, f.Dir
	case f.Repo != "":
		if f.Range != "" && f.Staged {
			return o, nil, usageErr("--range and --staged cannot be used together")
		}
		o.Dir, o.Range = f.Repo, f.Range
		o.Mode = scan.ModeHistory
		if f.Staged {
			o.Mode = scan.ModeStaged
		}
	default:
		return o, nil, usageErr("nothing to scan: give --dir DIR or --repo REPO")
	}
	switch f.Format {
	case "text", "json", "sarif":
	default:
		return o, nil, usageErr("--format %q is not one of text, json, sarif", f.Format)
	}
	switch f.Progress {
	case "auto", "always", "never":
	default:
		return o, nil, usageErr("--progress %q is not one of auto, always, never", f.Progress)
	}
	if st, err := os.Stat(o.Dir); err != nil || !st.IsDir() {
		return o, nil, runtimeErr("%s is not a readable directory", o.Dir)
	}

	cfgPath := f.ConfigPath
	if cfgPath == "" {
		cfgPath = config.Find(o.Dir)
	}
	cfg := config.Default()
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return o, nil, usageErr("%v", err)
		}
	}
	if f.FailOn != "" {
		cfg.FailOn = f.FailOn
		if _, err := cfg.FailOnSeverity(); err != nil {
			return o, nil, usageErr("--fail-on: %v", strings.TrimPrefix(err.Error(), "fail-on: "))
		}
	}
	if f.CreateIssues && !validRepo(f.GitHubRepo) {
		return o, nil, usageErr("--create-issues needs --github-repo OWNER/NAME (got %q)", f.GitHubRepo)
	}
	if f.GitHubTimeout < 0 {
		return o, nil, usageErr("--github-timeout must be positive")
	}
	if f.MaxFileSize < 0 {
		return o, nil, usageErr("--max-file-size must be positive")
	}
	if f.MaxFileSize > 0 {
		cfg.MaxFileSize = f.MaxFileSize
	}
	if f.IncidentPrefix != "" {
		cfg.Incidents.Prefix = f.IncidentPrefix
	}
	if f.ProductionBranches != "" {
		cfg.ProductionBranches = splitList(f.ProductionBranches)
	}
	o.Config = cfg
	o.Branch = f.Branch
	stage, err := f.stage(o.Mode, cfg)
	if err != nil {
		return o, nil, err
	}
	o.Stage = stage
	return o, cfg, nil
}

func (f *ScanFlags) stage(mode scan.Mode, cfg *config.Config) (classify.Stage, error) {
	if f.Stage != "" {
		s, err := classify.ParseStage(f.Stage)
		if err != nil {
			return "", usageErr("--stage: %v", err)
		}
		return s, nil
	}
	switch {
	case mode == scan.ModeStaged:
		return classify.PreCommit, nil
	case mode == scan.ModeHistory && f.Range == "":
		return classify.Audit, nil
	}
	return classify.StageFor(f.Branch, cfg.ProductionBranches, classify.Review), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// writeOutputs writes the requested files and stdout.
func writeOutputs(env *Env, f *ScanFlags, rep *report.Report) error {
	if f.SARIFPath != "" {
		if err := writeFile(f.SARIFPath, func(w io.Writer) error { return report.WriteSARIF(w, rep) }); err != nil {
			return err
		}
	}
	if f.JSONPath != "" {
		if err := writeFile(f.JSONPath, func(w io.Writer) error { return report.WriteJSON(w, rep) }); err != nil {
			return err
		}
	}
	switch f.Format {
	case "json":
		return report.WriteJSON(env.Stdout, rep)
	case "sarif":
		return report.WriteSARIF(env.Stdout, rep)
	}
	colour := env.IsTerminal && !f.NoColour && env.Getenv("NO_COLOR") == ""
	return report.WriteText(env.Stdout, rep, report.TextOptions{Colour: colour})
}

// writeFile writes in place. It never removes the path first: the path may
// be a device such as /dev/null, which deleting as root would destroy.
func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cannot create directory for %s: %v", path, err)
		}
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, errors.Unwrap(err))
	}
	if err := write(out); err != nil {
		out.Close()
		return fmt.Errorf("writing %s: %v", path, err)
	}
	return out.Close()
}

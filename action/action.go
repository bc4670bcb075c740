// Package action is `aiguard action`, the GitHub Action front end: it reads
// the triggering event as the runner gives it, picks what to scan, runs the
// scan pipeline and writes SARIF, annotations, the job summary, tracking
// issues and step outputs, and only then exits per fail-on.
package action

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/aiguard/aiguard/cli"
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect/source"
	"github.com/aiguard/aiguard/incident"
	"github.com/aiguard/aiguard/report"
	"github.com/aiguard/aiguard/scan"
)

func init() {
	cli.Register(&cli.Command{Name: "action", Summary: "run as a GitHub Action step (reads GITHUB_* and inputs from the environment)", Run: Run})
}

// Inputs are the action's inputs. Each is read from AIGUARD_<NAME> (how
// the composite action passes them, through env:) or else INPUT_<NAME> (how
// the runner passes inputs to JavaScript and Docker actions).
type Inputs struct {
	Token              string
	FailOn             string
	Config             string
	CreateIssues       bool
	SARIFFile          string
	IncidentPrefix     string
	Range              string
	ProductionBranches string
}

func readInputs(env *cli.Env, gha *githubactions.Action) (*Inputs, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(env.Getenv("AIGUARD_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")))); v != "" {
			return v
		}
		return gha.GetInput(name)
	}
	in := &Inputs{
		Token: get("token"), FailOn: get("fail-on"), Config: get("config"), SARIFFile: get("sarif-file"),
		IncidentPrefix: get("incident-prefix"), Range: get("range"), ProductionBranches: get("production-branches"),
	}
	if in.Token == "" {
		in.Token = env.Getenv("GITHUB_TOKEN")
	}
	if in.SARIFFile == "" {
		in.SARIFFile = "aiguard.sarif"
	}
	switch v := strings.ToLower(get("create-issues")); v {
	case "", "true", "yes", "1":
		in.CreateIssues = true
	case "false", "no", "0":
	default:
		return nil, fmt.Errorf("input create-issues is %q, want true or false", v)
	}
	return in, nil
}

// Run is the `aiguard action` command.
func Run(ctx context.Context, env *cli.Env, args []string) (int, error) {
	if len(args) > 0 {
		return cli.ExitUsage, fmt.Errorf("takes no arguments (got %q): it reads the event from GITHUB_* variables and its inputs from AIGUARD_* or INPUT_* variables", args[0])
	}
	gha := githubactions.New(githubactions.WithWriter(env.Stdout), githubactions.WithGetenv(env.Getenv))
	in, err := readInputs(env, gha)
	if err != nil {
		return cli.ExitUsage, err
	}
	ev, err := readEvent(env)
	if err != nil {
		return cli.ExitUsage, err
	}
	workspace := env.Getenv("GITHUB_WORKSPACE")
	if workspace == "" {
		workspace = "."
	}
	cfg, err := loadConfig(workspace, in)
	if err != nil {
		return cli.ExitUsage, err
	}
	r := &runner{env: env, in: in, ev: ev, cfg: cfg, workspace: workspace}
	return r.run(ctx)
}

func readEvent(env *cli.Env) (*Event, error) {
	name := env.Getenv("GITHUB_EVENT_NAME")
	if name == "" {
		return nil, errors.New("GITHUB_EVENT_NAME is not set: `aiguard action` runs as a GitHub Actions step (use `aiguard scan` elsewhere)")
	}
	var data []byte
	if p := env.Getenv("GITHUB_EVENT_PATH"); p != "" {
		var err error
		if data, err = os.ReadFile(p); err != nil {
			return nil, fmt.Errorf("cannot read the event payload GITHUB_EVENT_PATH=%s: %v", p, errors.Unwrap(err))
		}
	} else if name != "schedule" {
		return nil, fmt.Errorf("GITHUB_EVENT_PATH is not set: the %s event payload is needed", name)
	}
	ev, err := ParseEvent(name, data, env.Getenv("GITHUB_REF"), env.Getenv("GITHUB_REPOSITORY"))
	if err != nil {
		return nil, err
	}
	if !validRepo(ev.Repository) {
		return nil, fmt.Errorf("repository %q is not OWNER/NAME (GITHUB_REPOSITORY or the payload's repository.full_name)", truncate(ev.Repository, 80))
	}
	return ev, nil
}

func loadConfig(workspace string, in *Inputs) (*config.Config, error) {
	path := in.Config
	if path != "" && !filepath.IsAbs(path) {
		path = filepath.Join(workspace, path)
	}
	if path == "" {
		path = config.Find(workspace)
	}
	cfg := config.Default()
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	if in.FailOn != "" {
		cfg.FailOn = in.FailOn
		if _, err := cfg.FailOnSeverity(); err != nil {
			return nil, fmt.Errorf("input fail-on: %v", strings.TrimPrefix(err.Error(), "fail-on: "))
		}
	}
	if in.IncidentPrefix != "" {
		cfg.Incidents.Prefix = in.IncidentPrefix
	}
	if in.ProductionBranches != "" {
		cfg.ProductionBranches = nil
		for _, b := range strings.Split(in.ProductionBranches, ",") {
			if b = strings.TrimSpace(b); b != "" {
				cfg.ProductionBranches = append(cfg.ProductionBranches, b)
			}
		}
	}
	return cfg, nil
}

type runner struct {
	env       *cli.Env
	in        *Inputs
	ev        *Event
	cfg       *config.Config
	workspace string
	notes     []string
}

func (r *runner) getenv(k string) string { return r.env.Getenv(k) }

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintln(r.env.Stdout, breakSeparators(report.Sanitize(fmt.Sprintf(format, args...))))
}

func (r *runner) run(ctx context.Context) (int, error) {
	planner := &Planner{Git: source.Git{Dir: r.workspace}, ProductionBranches: r.cfg.ProductionBranches, RangeInput: r.in.Range, Logf: r.logf}
	plan, planErr := planner.Plan(ctx, r.ev)
	if planErr != nil {
		code := cli.ExitRuntime
		if errors.Is(planErr, ErrEvent) {
			code = cli.ExitUsage
		}
		// Nothing was scanned: say so everywhere a reader looks, and block.
		rep := &report.Report{Scan: report.Scan{Stage: "not scanned"}, Errors: []string{planErr.Error()}}
		rep.Summarise(0, 0)
		r.publish(rep, &Plan{}, nil)
		return code, planErr
	}
	if plan.Skip != "" {
		rep := &report.Report{Scan: report.Scan{Stage: string(plan.Stage)}}
		rep.Summarise(0, 0)
		r.notes = append(r.notes, plan.Skip)
		return cli.ExitOK, r.publish(rep, plan, nil)
	}
	opts := scan.Options{Mode: plan.Mode, Dir: r.workspace, Range: plan.Range, Config: r.cfg, Stage: plan.Stage, Branch: r.ev.Branch}
	if needsTrustedConfig(r.ev) {
		dir, err := r.trustedConfig(ctx)
		if err != nil {
			return cli.ExitRuntime, err
		}
		defer os.RemoveAll(dir)
		opts.Config, opts.ConfigDir = r.cfg, dir
	}
	r.logf("aiguard: %s event, scanning %s at stage %s", r.ev.Name, describe(plan), plan.Stage)
	rep, scanErr := scan.Run(ctx, opts)
	trackErr := r.track(ctx, plan, rep)
	failOn, _ := r.cfg.FailOnSeverity()
	rep.Summarise(failOn, rep.Summary.Suppressed)
	outErr := r.publish(rep, plan, report.WriteSARIF)

	switch {
	case scanErr != nil && errors.Is(scanErr, scan.ErrUsage):
		return cli.ExitUsage, scanErr
	case scanErr != nil:
		return cli.ExitRuntime, scanErr
	case trackErr != nil:
		return cli.ExitRuntime, trackErr
	case outErr != nil:
		return cli.ExitRuntime, outErr
	case rep.Summary.Blocked:
		return cli.ExitBlocked, nil
	}
	return cli.ExitOK, nil
}

// trustedConfig replaces the configuration with the base commit's, once
// planning has made sure the base is present, and returns the directory
// holding the base's tuning files.
func (r *runner) trustedConfig(ctx context.Context) (string, error) {
	g := source.Git{Dir: r.workspace}
	if _, err := g.Output(ctx, "cat-file", "-e", r.ev.Base+"^{commit}"); err != nil {
		return "", fmt.Errorf("the base commit %.12s is not in the checkout, so the repository's own configuration cannot be read from it; set fetch-depth: 0", r.ev.Base)
	}
	dir, err := materialiseTrusted(ctx, g, r.ev.Base, r.in.Config)
	if err != nil {
		return "", err
	}
	cfg, err := loadConfig(dir, r.in)
	if err == nil && cfg.Baseline != "" {
		err = copyFromCommit(ctx, g, r.ev.Base, filepath.ToSlash(filepath.Clean(cfg.Baseline)), filepath.Join(dir, cfg.Baseline))
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("configuration at the base commit %.12s: %w", r.ev.Base, err)
	}
	r.cfg = cfg
	r.logf("aiguard: using the configuration of the base commit %.12s: a pull request cannot change how it is scanned", r.ev.Base)
	return dir, nil
}

func describe(p *Plan) string {
	if p.Mode == scan.ModeDir {
		return "the checked-out tree"
	}
	return p.Range
}

// track opens or updates the tracking issues; a failure is recorded in the
// report (which then blocks) and explained, and every other output is kept.
func (r *runner) track(ctx context.Context, plan *Plan, rep *report.Report) error {
	if !r.in.CreateIssues || len(rep.Findings) == 0 {
		return nil
	}
	if r.in.Token == "" {
		r.notes = append(r.notes, "No tracking issue was opened: no token (set the token input or GITHUB_TOKEN).")
		return nil
	}
	apiURL := r.getenv("GITHUB_API_URL")
	if apiURL == "" {
		apiURL = cli.DefaultAPIURL
	}
	ie := incident.Event{
		Kind: r.ev.Name, Key: plan.Key, Repository: r.ev.Repository, PRNumber: r.ev.PRNumber, Ref: r.ev.Ref,
		BaseSHA: r.ev.Base, HeadSHA: plan.Head, ServerURL: r.serverURL(), RunURL: r.runURL(),
		Actor: r.getenv("GITHUB_ACTOR"), Author: r.ev.Author, DetectedAt: time.Now().UTC(),
	}
	err := cli.Track(ctx, apiURL, r.in.Token, ie, r.cfg, rep)
	if err == nil {
		return nil
	}
	rep.Errors = append(rep.Errors, err.Error())
	note := "The incident could not be fully tracked on GitHub (the error above says why), so this check fails; rerun it once GitHub and the token's issues: write permission allow."
	if r.ev.Fork {
		note = "No tracking issue could be opened: pull requests from forks get a read-only token. The findings above still fail this check; a maintainer should open the incident."
	}
	r.notes = append(r.notes, note)
	return err
}

func (r *runner) serverURL() string {
	if s := r.getenv("GITHUB_SERVER_URL"); s != "" {
		return strings.TrimSuffix(s, "/")
	}
	if a := r.getenv("GITHUB_API_URL"); a != "" {
		return cli.WebURL(a)
	}
	return "https://github.com"
}

func (r *runner) runURL() string {
	id := r.getenv("GITHUB_RUN_ID")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%s", r.serverURL(), r.ev.Repository, id)
}

// publish writes every output: SARIF (when writeSARIF is given),
// annotations, the job summary, the step outputs and the text report. It
// carries on past a failed output so the others are still written.
func (r *runner) publish(rep *report.Report, plan *Plan, writeSARIF func(io.Writer, *report.Report) error) error {
	var errs []error
	sarifPath := r.in.SARIFFile
	if !filepath.IsAbs(sarifPath) {
		sarifPath = filepath.Join(r.workspace, sarifPath)
	}
	if abs, err := filepath.Abs(sarifPath); err == nil {
		sarifPath = abs
	}
	if writeSARIF != nil {
		if err := writeFile(sarifPath, func(w io.Writer) error { return writeSARIF(w, rep) }); err != nil {
			errs = append(errs, err)
			sarifPath = ""
		}
	} else {
		sarifPath = ""
	}
	omitted, err := writeAnnotations(r.env.Stdout, rep.Findings)
	errs = append(errs, err)
	if omitted > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d finding(s) have no annotation (GitHub shows a limited number); all are in the SARIF file.", omitted))
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(r.env.Stdout, Command("error", "aiguard: "+e))
	}
	if p := r.getenv("GITHUB_STEP_SUMMARY"); p != "" {
		errs = append(errs, appendFile(p, Summary(SummaryInput{Report: rep, Plan: plan, Repository: r.ev.Repository,
			ServerURL: r.serverURL(), RunURL: r.runURL(), Notes: r.notes})))
	}
	if p := r.getenv("GITHUB_OUTPUT"); p != "" {
		errs = append(errs, appendFile(p, FormatOutputs(outputs(rep, sarifPath))))
	}
	// The text report repeats repository content: stop-commands keeps the
	// runner from reading any of it as a workflow command.
	token := randomToken()
	fmt.Fprintln(r.env.Stdout, "::stop-commands::"+token)
	errs = append(errs, report.WriteText(r.env.Stdout, rep, report.TextOptions{}))
	for _, n := range r.notes {
		fmt.Fprintln(r.env.Stdout, report.Sanitize(n))
	}
	fmt.Fprintln(r.env.Stdout, "::"+token+"::")
	return errors.Join(errs...)
}

func outputs(rep *report.Report, sarifPath string) []Output {
	var ids []string
	for _, inc := range rep.Incidents {
		ids = append(ids, inc.ID)
	}
	return []Output{
		{"incident-ids", strings.Join(ids, ",")},
		{"max-severity", rep.Summary.MaxSeverity},
		{"findings", strconv.Itoa(rep.Summary.Findings)},
		{"sarif-file", sarifPath},
		{"blocked", strconv.FormatBool(rep.Summary.Blocked)},
	}
}

// writeFile writes in place (os.WriteFile truncates, never removes: the
// path may be a device).
func writeFile(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("writing %s: %v", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cannot create directory for %s: %v", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %v", path, errors.Unwrap(err))
	}
	return nil
}

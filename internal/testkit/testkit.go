// Package testkit builds what end-to-end tests need: the real aiguard
// binary, real git repositories in temporary directories, and fake
// credentials generated at run time so that none is ever committed.
package testkit

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"html"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds cmd/aiguard once per test process, as a user would, and
// returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "aiguard-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "aiguard")
		cmd := exec.Command("go", "build", "-tags", "gore2regex", "-o", binPath, "./cmd/aiguard")
		cmd.Dir = ModuleRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatalf("building aiguard: %v", buildErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// ModuleRoot is the repository root, found from this source file.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Result is a finished run of the binary.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Output is stdout and stderr together, for leak checks.
func (r Result) Output() string { return r.Stdout + "\n" + r.Stderr }

// Run runs the binary in dir with args and extra environment.
func Run(t testing.TB, dir string, env []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1", "CI=true"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running aiguard: %v", err)
		}
		code = ee.ExitCode()
	}
	return Result{Code: code, Stdout: out.String(), Stderr: errb.String()}
}

// Repo is a real git repository in a temporary directory.
type Repo struct {
	t   testing.TB
	Dir string
}

// NewRepo creates an empty repository with a committer identity.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	r.Git("config", "user.name", "Dev Eloper")
	r.Git("config", "user.email", "dev@corp.test")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Git runs git in the repository and returns trimmed stdout.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-03-01T10:00:00Z", "GIT_COMMITTER_DATE=2026-03-01T10:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write creates or replaces a file (parents included).
func (r *Repo) Write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages everything and commits; it returns the new commit's SHA.
func (r *Repo) Commit(message string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", message)
	return r.Git("rev-parse", "HEAD")
}

// Fakes generates credentials that match real formats but are random, so
// tests never hold a literal secret. A fixed seed keeps runs reproducible.
type Fakes struct{ rnd *rand.Rand }

// NewFakes returns a generator seeded with seed.
func NewFakes(seed int64) *Fakes { return &Fakes{rnd: rand.New(rand.NewSource(seed))} }

const (
	alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexd  = "0123456789abcdef"
)

// Chars returns n random characters from set.
func (f *Fakes) Chars(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[f.rnd.Intn(len(set))]
	}
	return string(b)
}

// AWSKeyID is an AWS access key id.
func (f *Fakes) AWSKeyID() string { return "AKIA" + f.Chars(upper, 16) }

// GitHubPAT is a classic GitHub personal access token.
func (f *Fakes) GitHubPAT() string { return "ghp" + "_" + f.Chars(alnum, 36) }

// SlackBot is a Slack bot token.
func (f *Fakes) SlackBot() string {
	return "xox" + "b-" + f.Chars("0123456789", 12) + "-" + f.Chars("0123456789", 13) + "-" + f.Chars(alnum, 24)
}

// AnthropicKey is an Anthropic API key.
func (f *Fakes) AnthropicKey() string { return "sk-" + "ant-api03-" + f.Chars(alnum, 93) + "AA" }

// Password is a strong password with punctuation.
func (f *Fakes) Password() string { return f.Chars(alnum, 10) + "#!" + f.Chars(alnum, 6) }

// Encodings returns forms of a value a leak check must also look for:
// base64, hex and URL encodings that are trivially reversible.
func Encodings(v string) []string {
	out := []string{v, base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)),
		url.QueryEscape(v), url.PathEscape(v), hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v)))}
	// Any long enough middle piece: a value split across lines still shows one.
	if len(v) >= 24 {
		out = append(out, v[len(v)/2-8:len(v)/2+8])
	}
	return out
}

// invisible are characters escapers insert to defuse text (markdown
// backslashes, zero-width joiners and spaces) and whitespace a value may be
// split by; none hides a value from a reader, so the check ignores them.
var invisible = strings.NewReplacer("\\", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
	"\u00ad", "", " ", "", "\n", "", "\r", "", "\t", "")

// normalise undoes what makes a value look different without hiding it:
// JSON \u escapes, HTML entities, markdown escapes, zero-width characters and
// line breaks or spaces inserted into it.
func normalise(s string) string {
	s = jsonUnescape.ReplaceAllStringFunc(s, func(m string) string {
		r, err := strconv.ParseUint(m[2:], 16, 32)
		if err != nil {
			return m
		}
		return string(rune(r))
	})
	s = html.UnescapeString(s)
	s = strings.ReplaceAll(s, "\\n", "") // "\n" escapes in JSON strings split a value across lines
	return invisible.Replace(s)
}

var jsonUnescape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

// AssertNoLeak fails if any output contains a planted value in any form:
// as is, encoded (base64, hex, URL), as a long middle piece, or spread out
// by escapes, zero-width characters, spaces or line breaks.
func AssertNoLeak(t testing.TB, what, output string, planted ...string) {
	t.Helper()
	flat := normalise(output)
	for _, p := range planted {
		for _, form := range Encodings(p) {
			if form == "" {
				continue
			}
			if strings.Contains(output, form) {
				t.Errorf("%s contains a planted value (form %q…)", what, form[:min(6, len(form))])
			} else if f := invisible.Replace(form); len(f) >= 6 && strings.Contains(flat, f) {
				t.Errorf("%s contains a planted value behind escapes or line breaks (form %q…)", what, f[:min(6, len(f))])
			}
		}
	}
}

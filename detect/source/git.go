// Package source reads what aiguard scans: a directory tree, the commits of
// a git revision range, or the changes staged for the next commit. Every
// source fails closed: if git cannot deliver everything asked for, Scan
// returns an error rather than an empty, clean-looking result.
package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Git runs git in a repository and turns failures into one-line errors.
type Git struct {
	Dir string
}

// ErrSource marks runtime failures reading what was asked for (git missing,
// unreadable repository or file, revision that does not resolve) as opposed
// to bad usage.
var ErrSource = errors.New("cannot read source")

func (g Git) command(ctx context.Context, args ...string) *exec.Cmd {
	// -c options keep user configuration (external diff drivers, colour,
	// pagers, quoting) from changing the output we parse.
	base := []string{"-C", g.Dir, "-c", "core.quotePath=true", "-c", "diff.external=", "-c", "color.ui=never", "-c", "core.pager=cat", "-c", "log.showSignature=false"}
	cmd := exec.CommandContext(ctx, "git", append(base, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	return cmd
}

// Output runs git and returns its trimmed stdout.
func (g Git) Output(ctx context.Context, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := g.command(ctx, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", gitError(args, err, stderr.String())
	}
	return strings.TrimRight(string(out), "\n"), nil
}

func gitError(args []string, err error, stderr string) error {
	if errors.Is(err, exec.ErrNotFound) {
		return fmt.Errorf("%w: git is not installed or not on PATH", ErrSource)
	}
	msg := firstLine(stderr)
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("%w: git %s: %s", ErrSource, args[0], msg)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(strings.TrimPrefix(s, "fatal: "), "error: ")
}

// CheckRepo verifies that Dir is a readable git work tree or repository.
func (g Git) CheckRepo(ctx context.Context) error {
	if st, err := os.Stat(g.Dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrSource, g.Dir)
	}
	if _, err := g.Output(ctx, "rev-parse", "--git-dir"); err != nil {
		return err
	}
	return nil
}

// History scans the lines each commit of a revision range added, commit by
// commit, so a secret added and later deleted is still reported against the
// commit that added it. An empty Range scans every ref's whole history.
type History struct {
	Git   Git
	Range string
	// MaxFileSize skips (and reports) files whose added text is larger.
	MaxFileSize int64
	// SkipCommit lets allowlisted commits be passed over.
	SkipCommit func(sha string) bool
	// Trailers parses a commit message's trailers (package aitool).
	Trailers func(message string) []finding.Trailer

	blobs *blobReader
}

// Close releases the git process that serves whole files; the engine calls
// it once every detector is done with the fragments.
func (h *History) Close() error { h.blobs.Close(); return nil }

// revArgs turns the range into git log arguments, checking that each end
// resolves so that a typo is an error rather than an empty scan.
func (h *History) revArgs(ctx context.Context) ([]string, error) {
	r := strings.TrimSpace(h.Range)
	if r == "" {
		return []string{"--all"}, nil
	}
	if strings.HasPrefix(r, "-") {
		return nil, fmt.Errorf("%w: range %q must not start with '-'", ErrSource, r)
	}
	var ends []string
	switch {
	case strings.Contains(r, "..."):
		ends = strings.SplitN(r, "...", 2)
	case strings.Contains(r, ".."):
		ends = strings.SplitN(r, "..", 2)
	default:
		ends = []string{r}
	}
	for _, e := range ends {
		if e == "" {
			e = "HEAD"
		}
		if _, err := h.Git.Output(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", e+"^{commit}"); err != nil {
			return nil, fmt.Errorf("%w: range %q: %q does not resolve to a commit in %s", ErrSource, r, e, h.Git.Dir)
		}
	}
	return []string{r}, nil
}

// checkShallow fails when the range reaches a shallow boundary: git would
// silently treat the boundary commit as a root and show its whole tree as
// added, or show nothing of the history it lacks.
func (h *History) checkShallow(ctx context.Context, revs []string) error {
	shallow, err := h.Git.Output(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil || shallow != "true" {
		return err
	}
	path, err := h.Git.Output(ctx, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(path, "/") {
		path = h.Git.Dir + "/" + path
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: shallow repository but cannot read its boundary: %v", ErrSource, err)
	}
	boundary := map[string]bool{}
	for _, l := range strings.Fields(string(data)) {
		boundary[l] = true
	}
	list, err := h.Git.Output(ctx, append([]string{"rev-list"}, append(revs, "--")...)...)
	if err != nil {
		return err
	}
	for _, sha := range strings.Fields(list) {
		if boundary[sha] {
			return fmt.Errorf("%w: the clone is shallow and the history to scan goes past commit %s; fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)", ErrShallow, sha[:12])
		}
	}
	return nil
}

// ErrShallow reports history that a shallow clone does not have.
var ErrShallow = errors.New("shallow clone")

const headerMarker = "\x00\x00C"

// Scan implements detect.Source.
func (h *History) Scan(ctx context.Context, emit func(*detect.Fragment) error, skip func(detect.Skip)) error {
	if err := h.Git.CheckRepo(ctx); err != nil {
		return err
	}
	revs, err := h.revArgs(ctx)
	if err != nil {
		return err
	}
	if err := h.checkShallow(ctx, revs); err != nil {
		return err
	}
	h.blobs = newBlobReader(h.Git)
	args := []string{"log", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index", "-M",
		// remerge shows what a merge commit itself introduced (its conflict
		// resolutions and evil changes), not the merged branch again.
		"--diff-merges=remerge",
		"--format=%x00%x00C%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%B%x00"}
	args = append(args, revs...)
	args = append(args, "--")
	return runDiff(ctx, h.Git, args, diffOptions{
		stage: detect.StageHistory, maxSize: h.MaxFileSize, blobs: h.blobs,
		skipCommit: h.SkipCommit, trailers: h.Trailers,
	}, emit, skip)
}

// Staged scans what is staged for the next commit.
type Staged struct {
	Git         Git
	MaxFileSize int64

	blobs *blobReader
}

// Close releases the git process that serves whole files.
func (s *Staged) Close() error { s.blobs.Close(); return nil }

// Scan implements detect.Source.
func (s *Staged) Scan(ctx context.Context, emit func(*detect.Fragment) error, skip func(detect.Skip)) error {
	if err := s.Git.CheckRepo(ctx); err != nil {
		return err
	}
	s.blobs = newBlobReader(s.Git)
	args := []string{"diff", "--cached", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--full-index", "-M", "--"}
	return runDiff(ctx, s.Git, args, diffOptions{stage: detect.StageStaged, maxSize: s.MaxFileSize, blobs: s.blobs}, emit, skip)
}

type diffOptions struct {
	stage      detect.Stage
	maxSize    int64
	blobs      *blobReader
	skipCommit func(string) bool
	trailers   func(string) []finding.Trailer
}

func runDiff(ctx context.Context, g Git, args []string, opts diffOptions, emit func(*detect.Fragment) error, skip func(detect.Skip)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := g.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSource, err)
	}
	if err := cmd.Start(); err != nil {
		return gitError(args, err, "")
	}
	p := &diffParser{opts: opts, emit: emit, skip: skip}
	parseErr := p.parse(bufio.NewReaderSize(stdout, 1<<20))
	if parseErr != nil {
		cancel()
		_, _ = io.Copy(io.Discard, stdout)
	}
	waitErr := cmd.Wait()
	if parseErr != nil {
		return parseErr
	}
	if waitErr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return gitError(args, waitErr, stderr.String())
	}
	return nil
}

// diffParser turns `git log -p -U0` / `git diff -U0` output into one
// fragment per file per commit holding the added lines.
type diffParser struct {
	opts diffOptions
	emit func(*detect.Fragment) error
	skip func(detect.Skip)

	commit     *finding.Commit
	skipCommit bool

	path     string
	blobID   string
	inHunk   bool
	newLine  int
	text     []byte
	lines    []int
	oversize bool
	newFile  bool
}

func (p *diffParser) parse(r *bufio.Reader) error {
	for {
		line, err := readLine(r)
		if len(line) > 0 || err == nil {
			if perr := p.line(r, line); perr != nil {
				return perr
			}
		}
		if err == io.EOF {
			return p.flush()
		}
		if err != nil {
			return fmt.Errorf("%w: reading git output: %v", ErrSource, err)
		}
	}
}

// readLine returns one line without its newline, however long.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		buf := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	return bytes.TrimSuffix(line, []byte{'\n'}), err
}

func (p *diffParser) line(r *bufio.Reader, line []byte) error {
	switch {
	case bytes.HasPrefix(line, []byte(headerMarker)):
		if err := p.flush(); err != nil {
			return err
		}
		p.inHunk = false
		p.path = ""
		return p.header(r, line)
	case bytes.HasPrefix(line, []byte("diff --git ")), bytes.HasPrefix(line, []byte("diff --cc ")), bytes.HasPrefix(line, []byte("diff --combined ")):
		if err := p.flush(); err != nil {
			return err
		}
		p.inHunk = false
		p.path = ""
		p.blobID = ""
		p.oversize = false
		p.newFile = false
	case p.inHunk && len(line) > 0 && line[0] == '+':
		p.add(line[1:])
	case p.inHunk && len(line) > 0 && (line[0] == '-' || line[0] == ' ' || line[0] == '\\'):
		// Removed or context lines carry nothing new.
	case bytes.HasPrefix(line, []byte("@@ ")):
		p.inHunk = true
		p.newLine = hunkStart(line)
	case bytes.Equal(line, []byte("--- /dev/null")):
		p.newFile = true
	case bytes.HasPrefix(line, []byte("+++ ")):
		p.path = diffPath(string(line[4:]))
	case bytes.HasPrefix(line, []byte("index ")):
		p.blobID = blobAfter(string(line[6:]))
	case bytes.HasPrefix(line, []byte("Binary files ")):
		if p.path == "" {
			p.path = binaryPath(string(line))
		}
		if p.path != "" && !p.skipCommit {
			p.skip(detect.Skip{Path: p.path, Commit: p.sha(), Reason: "binary file"})
		}
	}
	return nil
}

func (p *diffParser) sha() string {
	if p.commit == nil {
		return ""
	}
	return p.commit.SHA
}

func (p *diffParser) add(content []byte) {
	line := p.newLine
	p.newLine++
	if p.skipCommit || p.path == "" || p.oversize {
		return
	}
	if p.opts.maxSize > 0 && int64(len(p.text)+len(content)) > p.opts.maxSize {
		p.oversize = true
		p.skip(detect.Skip{Path: p.path, Commit: p.sha(), Reason: fmt.Sprintf("added text larger than %d bytes", p.opts.maxSize)})
		p.text, p.lines = p.text[:0], nil
		return
	}
	if len(p.lines) > 0 {
		p.text = append(p.text, '\n')
	}
	p.text = append(p.text, content...)
	p.lines = append(p.lines, line)
}

func (p *diffParser) flush() error {
	// text is reused from fragment to fragment (the fragment gets a copy),
	// so it grows to the largest file once instead of for every file.
	if len(p.lines) == 0 || p.oversize {
		p.text, p.lines = p.text[:0], nil
		return nil
	}
	// A new file's added lines are the whole file: detectors that need it
	// get Text instead of a round trip through cat-file (nil whole).
	var whole func() (string, error)
	if p.opts.blobs != nil && p.blobID != "" && !p.newFile {
		whole = p.opts.blobs.loader(p.blobID)
	}
	frag := detect.NewDiffFragment(p.path, p.opts.stage, p.commit, string(p.text), p.lines, whole)
	p.text, p.lines = p.text[:0], nil
	return p.emit(frag)
}

// header reads the NUL-separated commit header that may span lines (the
// message body holds newlines) until all its fields are in.
func (p *diffParser) header(r *bufio.Reader, first []byte) error {
	const fields = 8
	buf := append([]byte(nil), first[len(headerMarker):]...)
	for bytes.Count(buf, []byte{0}) < fields {
		next, err := readLine(r)
		buf = append(buf, '\n')
		buf = append(buf, next...)
		if err != nil {
			return fmt.Errorf("%w: truncated commit header in git output", ErrSource)
		}
	}
	f := strings.SplitN(string(buf), "\x00", fields+1)
	date, _ := time.Parse(time.RFC3339, f[4])
	msg := strings.TrimRight(f[7], "\n")
	c := &finding.Commit{
		SHA: f[0], Author: f[2], AuthorEmail: f[3], Date: date,
		Committer: f[5], CommitterEmail: f[6], Message: msg, Subject: subject(msg),
	}
	if f[1] != "" {
		c.Parents = strings.Fields(f[1])
	}
	if p.opts.trailers != nil {
		c.Trailers = p.opts.trailers(msg)
	}
	p.commit = c
	p.skipCommit = p.opts.skipCommit != nil && p.opts.skipCommit(c.SHA)
	if p.skipCommit || strings.TrimSpace(msg) == "" {
		return nil
	}
	// A message is published with the history, and outputs quote its
	// subject: it is scanned like a file so that what it leaks is found
	// (and the subject withheld) rather than repeated.
	return p.emit(detect.NewTreeFragment(MessagePath, msg).WithCommit(c, p.opts.stage))
}

// MessagePath names a commit message in findings.
const MessagePath = "(commit message)"

func subject(msg string) string {
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		return msg[:i]
	}
	return msg
}

// hunkStart parses the new-file start line of "@@ -a,b +c,d @@".
func hunkStart(line []byte) int {
	s := string(line)
	i := strings.Index(s, " +")
	if i < 0 {
		return 1
	}
	s = s[i+2:]
	end := strings.IndexAny(s, ", ")
	if end < 0 {
		end = len(s)
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil {
		return 1
	}
	return n
}

// diffPath extracts the new path from a "+++ b/path" header, unquoting
// git's C-style quoting of unusual names.
func diffPath(s string) string {
	// git ends the name with a tab when it contains a space.
	s = strings.TrimSuffix(s, "\t")
	if s == "/dev/null" {
		return ""
	}
	if strings.HasPrefix(s, `"`) {
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
	}
	return strings.TrimPrefix(s, "b/")
}

func binaryPath(line string) string {
	// "Binary files a/x and b/y differ"
	i := strings.LastIndex(line, " and ")
	if i < 0 {
		return ""
	}
	return diffPath(strings.TrimSuffix(line[i+5:], " differ"))
}

func blobAfter(s string) string {
	// "index <old>..<new> <mode>"
	if i := strings.Index(s, ".."); i >= 0 {
		s = s[i+2:]
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	if strings.Trim(s, "0") == "" {
		return ""
	}
	return s
}

// blobReader loads file contents by blob id through one long-lived
// `git cat-file --batch`, started on first use: detectors that need whole
// files ask for few of them, and a process per file would dominate.
type blobReader struct {
	git  Git
	mu   sync.Mutex
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	err  error
	used bool
}

func newBlobReader(g Git) *blobReader { return &blobReader{git: g} }

func (b *blobReader) loader(id string) func() (string, error) {
	var once sync.Once
	var text string
	var err error
	return func() (string, error) {
		once.Do(func() { text, err = b.read(id) })
		return text, err
	}
}

func (b *blobReader) start() error {
	if b.used {
		return b.err
	}
	b.used = true
	cmd := b.git.command(context.Background(), "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.err = err
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.err = err
		return err
	}
	if err := cmd.Start(); err != nil {
		b.err = gitError([]string{"cat-file"}, err, "")
		return b.err
	}
	b.cmd, b.in, b.out = cmd, in, bufio.NewReaderSize(out, 1<<16)
	return nil
}

func (b *blobReader) read(id string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.start(); err != nil {
		return "", err
	}
	if _, err := io.WriteString(b.in, id+"\n"); err != nil {
		return "", fmt.Errorf("%w: cat-file: %v", ErrSource, err)
	}
	head, err := b.out.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("%w: cat-file: %v", ErrSource, err)
	}
	parts := strings.Fields(head)
	if len(parts) != 3 {
		return "", fmt.Errorf("%w: cat-file: blob %s: %s", ErrSource, id, strings.TrimSpace(head))
	}
	size, err := strconv.Atoi(parts[2])
	if err != nil {
		return "", fmt.Errorf("%w: cat-file: bad size for %s", ErrSource, id)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(b.out, data); err != nil {
		return "", fmt.Errorf("%w: cat-file: %v", ErrSource, err)
	}
	return string(data[:size]), nil
}

// Close stops the cat-file process.
func (b *blobReader) Close() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil {
		b.in.Close()
		_ = b.cmd.Wait()
	}
}

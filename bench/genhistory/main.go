// Command genhistory builds a large, realistic git history deterministically
// for the performance harness (bench/run.sh). It commits the text files of a
// source tree (by default the Go toolchain's own $GOROOT/src) in batches,
// interleaved with edit and deletion commits, and once the tree is used up
// it adds it again as a vendored copy under a new prefix, until the added
// text reaches the requested size. It also creates a branch "pr" one commit
// ahead of "main" (about 50 files, a few thousand added lines) for the
// pull-request and staged scan measurements.
//
// Everything is written through one `git fast-import` stream: committing file
// by file through `git add` would take longer than the scans being measured.
// The same source tree, size and seed always give the same commits.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// sizes are the named history sizes, in MB of added text (close to the size
// of `git log -p` output).
var sizes = map[string]int{"small": 50, "medium": 150, "large": 400}

const (
	// batch is how many new files one commit adds.
	batch = 40
	// maxFile keeps generated and huge files out, as a repository's
	// .gitattributes or review would.
	maxFile = 200 << 10
	prFiles = 50
	prLines = 80
)

type generator struct {
	w       *bufio.Writer
	rng     *rand.Rand
	when    time.Time
	commits int
	added   int64
	live    []file // files present at HEAD, in commit order
}

type file struct {
	path, src string
	gen, rev  int
	// pr adds the pull request's tracing lines on top of revision rev.
	pr bool
}

func main() {
	src := flag.String("src", "", "source tree whose text files are committed (default: $(go env GOROOT)/src)")
	out := flag.String("out", "", "repository to create (must not exist)")
	size := flag.String("size", "small", "small, medium, large, or a number of MB")
	seed := flag.Uint64("seed", 1, "seed for edits, deletions and authors")
	flag.Parse()
	if *out == "" {
		fatal("-out is required")
	}
	if *src == "" {
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			fatal("go env GOROOT: " + err.Error())
		}
		*src = filepath.Join(strings.TrimSpace(string(goroot)), "src")
	}
	mb, ok := sizes[*size]
	if !ok {
		if _, err := fmt.Sscanf(*size, "%d", &mb); err != nil || mb <= 0 {
			fatal("-size must be small, medium, large or a number of MB")
		}
	}
	if _, err := os.Stat(*out); err == nil {
		fatal(*out + " already exists")
	}
	files, err := textFiles(*src)
	if err != nil {
		fatal(err.Error())
	}
	if len(files) < prFiles {
		fatal("source tree has too few text files")
	}
	if err := run("", "git", "init", "-q", "-b", "main", *out); err != nil {
		fatal(err.Error())
	}
	cmd := exec.Command("git", "-C", *out, "fast-import", "--quiet")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		fatal(err.Error())
	}
	if err := cmd.Start(); err != nil {
		fatal(err.Error())
	}
	g := &generator{w: bufio.NewWriterSize(in, 1<<20), rng: rand.New(rand.NewPCG(*seed, 7)),
		when: time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)}
	if err := g.history(*src, files, int64(mb)<<20); err != nil {
		fatal(err.Error())
	}
	if err := g.w.Flush(); err != nil {
		fatal(err.Error())
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		fatal("git fast-import: " + err.Error())
	}
	fmt.Printf("%s: %d commits, %d MB added on main, branch pr with %d files\n", *out, g.commits, g.added>>20, prFiles)
}

// textFiles lists the regular text files under root, sorted, as git would
// treat them (no NUL byte in the first 8000 bytes).
func textFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == ".git" {
			return filepath.SkipDir
		}
		if !e.Type().IsRegular() {
			return nil
		}
		info, err := e.Info()
		if err != nil || info.Size() == 0 || info.Size() > maxFile {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out, err
}

func (g *generator) history(root string, files []string, target int64) error {
	for gen := 0; g.added < target; gen++ {
		prefix := ""
		if gen > 0 {
			prefix = fmt.Sprintf("third_party/go%d/", gen)
		}
		for i := 0; i < len(files) && g.added < target; i += batch {
			var add []file
			for _, p := range files[i:min(i+batch, len(files))] {
				add = append(add, file{path: prefix + p, src: filepath.Join(root, p), gen: gen})
			}
			if err := g.commit(fmt.Sprintf("Add %s and %d more", add[0].path, len(add)-1), add, nil); err != nil {
				return err
			}
			g.live = append(g.live, add...)
			// Every third batch, edit a few files already in the tree; every
			// seventh, delete a couple (deleted lines cost readers but are not
			// scanned, as in real histories).
			if i/batch%3 == 2 {
				if err := g.edits(8); err != nil {
					return err
				}
			}
			if i/batch%7 == 6 {
				if err := g.deletions(2); err != nil {
					return err
				}
			}
		}
	}
	// The pull request: one commit on a branch adding a few thousand lines
	// to 50 files.
	fmt.Fprintf(g.w, "reset refs/heads/pr\nfrom refs/heads/main\n\n")
	var pr []file
	for _, i := range g.rng.Perm(len(g.live))[:prFiles] {
		f := g.live[i]
		f.pr = true
		pr = append(pr, f)
	}
	return g.commitTo("refs/heads/pr", "Add request tracing to 50 files", pr, nil)
}

func (g *generator) edits(n int) error {
	var ed []file
	for range n {
		i := g.rng.IntN(len(g.live))
		g.live[i].rev++
		ed = append(ed, g.live[i])
	}
	return g.commit(fmt.Sprintf("Fix %s and %d more", ed[0].path, n-1), ed, nil)
}

func (g *generator) deletions(n int) error {
	var del []string
	for range n {
		i := g.rng.IntN(len(g.live))
		del = append(del, g.live[i].path)
		g.live = append(g.live[:i], g.live[i+1:]...)
	}
	return g.commit("Remove "+strings.Join(del, ", "), nil, del)
}

var authors = []string{"Ada Lovelace <ada@example.org>", "Alan Turing <alan@example.org>",
	"Grace Hopper <grace@example.org>", "Edsger Dijkstra <edsger@example.org>"}

// trailers declare AI assistants on some commits, as teams using them do.
var trailers = []string{"", "", "", "\nCo-authored-by: Claude <noreply@anthropic.com>\n",
	"", "\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n"}

func (g *generator) commit(msg string, files []file, del []string) error {
	return g.commitTo("refs/heads/main", msg, files, del)
}

func (g *generator) commitTo(ref, msg string, files []file, del []string) error {
	g.commits++
	g.when = g.when.Add(time.Duration(37+g.rng.IntN(300)) * time.Minute)
	who := authors[g.rng.IntN(len(authors))]
	msg += "\n" + trailers[g.commits%len(trailers)]
	fmt.Fprintf(g.w, "commit %s\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n",
		ref, who, g.when.Unix(), who, g.when.Unix(), len(msg), msg)
	for _, p := range del {
		fmt.Fprintf(g.w, "D %s\n", p)
	}
	for _, f := range files {
		data, err := content(f)
		if err != nil {
			return err
		}
		g.added += int64(len(data))
		fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n", f.path, len(data))
		g.w.Write(data)
		g.w.WriteByte('\n')
	}
	g.w.WriteByte('\n')
	return nil
}

// content derives a file's text at a revision from its source: copies carry
// a header naming their generation, edits add a comment after every 17th
// line from an offset that moves with the revision, and the pull request
// spreads prLines logging lines over the file.
func content(f file) ([]byte, error) {
	data, err := os.ReadFile(f.src)
	if err != nil {
		return nil, err
	}
	if f.gen > 0 {
		data = append([]byte(fmt.Sprintf("// Vendored copy %d; do not edit.\n", f.gen)), data...)
	}
	if f.rev == 0 && !f.pr {
		return data, nil
	}
	lines := strings.SplitAfter(string(data), "\n")
	var b strings.Builder
	added, every := 0, max(1, len(lines)/prLines)
	for i, l := range lines {
		b.WriteString(l)
		if f.rev > 0 && i%17 == f.rev%17 {
			fmt.Fprintf(&b, "\t// revised in revision %d: keep this in step with the caller\n", f.rev)
		}
		if f.pr && i%every == every-1 && added < prLines {
			added++
			fmt.Fprintf(&b, "\tlog.Printf(\"trace: %%s step %d took %%v\", name, time.Since(start))\n", i)
		}
	}
	return []byte(b.String()), nil
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func fatal(msg string) {
	fmt.Fprintln(os.Stderr, "genhistory:", msg)
	os.Exit(2)
}

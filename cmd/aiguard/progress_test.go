package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// The progress bar is for people at a terminal: redirected output, even to
// /dev/null (a character device), gets none unless asked for.
func TestProgressBarOnlyOnATerminal(t *testing.T) {
	r := testkit.NewRepo(t)
	r.Write("a.txt", "a\n")
	r.Commit("a")
	run := func(args ...string) string {
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer devnull.Close()
		cmd := exec.Command(testkit.Binary(t), args...)
		cmd.Dir = r.Dir
		cmd.Env = append(os.Environ(), "CI=")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = devnull, &stderr
		_ = cmd.Run()
		return stderr.String()
	}
	if got := run("scan", "--repo", "."); strings.Contains(got, "scanning:") {
		t.Errorf("progress bar drawn into a redirected stderr: %q", got)
	}
	if got := run("scan", "--repo", ".", "--progress", "always"); !strings.Contains(got, "scanning:") && !strings.Contains(got, "\x1b[2K") {
		t.Errorf("--progress always drew nothing: %q", got)
	}
}

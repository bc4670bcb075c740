// Package cli implements the aiguard command line. It parses arguments,
// runs the scan pipeline and maps the outcome to documented exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/aiguard/aiguard/report"
)

// Exit codes, documented in the README.
const (
	ExitOK      = 0 // nothing at or above --fail-on
	ExitBlocked = 1 // findings at or above --fail-on
	ExitUsage   = 2 // bad usage or bad configuration
	ExitRuntime = 3 // git missing, unreadable repository, range that does not resolve...
)

// exitError carries an exit code and a one-line message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &exitError{ExitUsage, fmt.Sprintf(format, args...)}
}

func runtimeErr(format string, args ...any) error {
	return &exitError{ExitRuntime, fmt.Sprintf(format, args...)}
}

// Env is what a command sees of the world, so tests can run it in-process.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	// IsTerminal reports whether stdout is a terminal (for colour).
	IsTerminal bool
	// StderrTerminal reports whether stderr is a terminal (for the progress bar).
	StderrTerminal bool
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, env *Env, args []string) (int, error)
}

var commands []*Command

// Register adds a subcommand; packages with front ends (the Action, the
// hook) register themselves so main stays thin.
func Register(c *Command) { commands = append(commands, c) }

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands {
		if c.Name == args[0] {
			code, err := c.Run(ctx, env, args[1:])
			if err != nil {
				fmt.Fprintf(env.Stderr, "aiguard %s: %s\n", c.Name, report.Sanitize(oneLine(err.Error())))
				var ee *exitError
				if errors.As(err, &ee) {
					return ee.code
				}
				if code == ExitOK {
					return ExitRuntime
				}
			}
			return code
		}
	}
	fmt.Fprintf(env.Stderr, "aiguard: unknown command %q (run 'aiguard help')\n", args[0])
	return ExitUsage
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: aiguard <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage or configuration; 3 runtime failure")
}

// OSEnv is the real process environment.
func OSEnv() *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv,
		IsTerminal: isTerminal(os.Stdout), StderrTerminal: isTerminal(os.Stderr)}
}

// isTerminal asks the terminal driver, not the file mode: /dev/null is a
// character device too, and must not get colour or a progress bar.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

func init() {
	Register(&Command{Name: "version", Summary: "print the version", Run: func(_ context.Context, env *Env, _ []string) (int, error) {
		fmt.Fprintln(env.Stdout, "aiguard", version())
		return ExitOK, nil
	}})
}

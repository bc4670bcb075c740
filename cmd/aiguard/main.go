// Command aiguard scans commits, pull requests and files for leaked
// credentials, personal data, risky code and prompt injection, and turns
// what it finds into playbook incidents.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/aiguard/aiguard/action"
	"github.com/aiguard/aiguard/cli"
	_ "github.com/aiguard/aiguard/hook"
)

// interruptGrace is how long a cancelled scan may take to write what it
// found before the process gives up on it.
const interruptGrace = 10 * time.Second

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		// The first signal cancels the scan so it can write partial results;
		// a second one, or a detector that does not stop, ends the process.
		cancel()
		select {
		case <-signals:
		case <-time.After(interruptGrace):
		}
		fmt.Fprintln(os.Stderr, "aiguard: interrupted; the scan is incomplete")
		os.Exit(cli.ExitRuntime)
	}()
	os.Exit(cli.Main(ctx, cli.OSEnv(), os.Args[1:]))
}

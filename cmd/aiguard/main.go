// Command aiguard scans commits, pull requests and files for leaked
// credentials, personal data, risky code and prompt injection, and turns
// what it finds into playbook incidents.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/aiguard/aiguard/action"
	"github.com/aiguard/aiguard/cli"
	_ "github.com/aiguard/aiguard/hook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}

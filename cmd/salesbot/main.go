// Command salesbot runs a sales team's pipeline in Slack. main only reads
// the configuration, wires the parts together and runs a subcommand.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"salesbot/bot"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `salesbot runs your sales pipeline in Slack.

Usage:
  salesbot run       connect to Slack and serve (applies migrations first)
  salesbot dev       try it without a workspace: a local Slack simulator in the browser
  salesbot demo-data [--team T] [--reset]  add a demo pipeline to a workspace (--reset: empty it first)
  salesbot digest --print --team T [--day YYYY-MM-DD]  render the daily digest to the terminal
  salesbot import --team T --file leads.csv [--as U…]  import leads from CSV
  salesbot export [--team T] [--file out.csv]  write the pipeline as CSV
  salesbot migrate   apply database migrations and exit
  salesbot version   print the version

Configuration comes from the environment; see .env.example and the README.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries a process exit code; 2 means a configuration problem.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if len(args) > 1 && (args[1] == "-h" || args[1] == "--help") {
		fmt.Fprint(stdout, usage)
		return 0
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, getenv, stderr)
	case "dev":
		err = cmdDev(ctx, getenv, os.Stdin, stdout, stderr)
	case "demo-data":
		err = cmdDemoData(ctx, args[1:], getenv, stdout, stderr)
	case "digest":
		err = cmdDigest(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		err = cmdImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		err = cmdExport(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, getenv, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "salesbot", version)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "salesbot: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == nil {
		return 0
	}
	for line := range strings.SplitSeq(bot.RedactError(err).Error(), "\n") {
		fmt.Fprintln(stderr, "salesbot:", line)
	}
	if ee, ok := errors.AsType[*exitError](err); ok {
		return ee.code
	}
	return 1
}

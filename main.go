// Command pinready tells a Pinterest app developer, before they apply for API
// Standard access, which of Pinterest's denial reasons their app would hit,
// and records the OAuth demo video the reviewers ask for.
//
// main only wires real dependencies (signals, stdout, stderr, the embedded
// rules) and exits with the code run returns; nothing else calls os.Exit.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/pinready/pinready/checks"
)

//go:embed rules.yaml
var defaultRules []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code of the contract.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal(stdout)}
	err := newApp(e).RunContext(ctx, args)
	var st exitStatus
	switch {
	case errors.As(err, &st):
		return int(st) // the report already said why
	case err != nil && ctx.Err() != nil:
		fmt.Fprintln(stderr, "pinready: interrupted")
		return checks.ExitSignal
	case err != nil:
		fmt.Fprintf(stderr, "pinready: %v\n", err)
		return checks.ExitCodeFor(err)
	}
	return checks.ExitOK
}

// exitStatus ends a command with a code and no further message: the report
// (or the command's own output) has said everything.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// env holds what commands need from the outside world, injected by run so
// tests can hand fakes.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

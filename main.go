// Command pinready tells a Pinterest app developer, before they apply for API
// Standard access, which of Pinterest's denial reasons their app would hit,
// and records the OAuth demo video the reviewers ask for.
//
// main only wires the process (signals, streams, the embedded rules) to
// internal/cli and exits with the code it returns; nothing else exits.
package main

import (
	"context"
	_ "embed"
	"os"
	"os/signal"
	"syscall"

	"github.com/pinready/pinready/internal/cli"
)

//go:embed rules.yaml
var defaultRules []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args, cli.System{Stdout: os.Stdout, Stderr: os.Stderr}, defaultRules)
	stop()
	os.Exit(code)
}

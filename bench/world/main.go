// Command world serves the offline world of `pinready example` (the sample
// app and the fake Pinterest on loopback) for the benchmarks in bench/, so
// pinready and its peers (curl, the Playwright script) run against the very
// same servers in the same run.
//
// It writes the sample app's pinready.yaml to --config, prints one JSON line
// on stdout that says how to reach the world, and serves until SIGTERM,
// SIGINT or EOF on stdin:
//
//	{"app_url": "...", "authorize_url": "...", "resolve": ["HOST:PORT:ADDR", ...],
//	 "host_resolver_rules": "MAP acme-pins.test 127.0.0.1, ...", "config": "PATH"}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/pinready/pinready/internal/example"
)

// Ready is the line printed once the world is serving.
type Ready struct {
	AppURL            string   `json:"app_url"`             // the sample app's home page
	AuthorizeURL      string   `json:"authorize_url"`       // the fake Pinterest's consent page
	Resolve           []string `json:"resolve"`             // curl/pinready --resolve values
	HostResolverRules string   `json:"host_resolver_rules"` // Chromium's --host-resolver-rules
	Config            string   `json:"config"`              // absolute path of the written pinready.yaml
	// Env is what pinready's environment must hold for the config (the
	// terminal stack's app secret, a fake one), as NAME=value.
	Env []string `json:"env,omitempty"`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "write the sample app's pinready.yaml to `FILE` (required)")
	stack := fs.String("stack", "go", "how the sample app is built: go, authjs or terminal (a script beside the config runs the flow)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *config == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: world --config FILE")
		return 2
	}
	st, ok := example.Stacks[*stack]
	if !ok {
		fmt.Fprintf(stderr, "world: --stack %q: want go, authjs or terminal\n", *stack)
		return 2
	}
	if err := serve(ctx, *config, st, stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "world:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, config, stack string, stdin io.Reader, stdout io.Writer) error {
	w, err := example.Start(example.Options{Stack: stack})
	if err != nil {
		return fmt.Errorf("start the sample app and the fake Pinterest: %w", err)
	}
	defer w.Close()
	abs, err := filepath.Abs(config)
	if err != nil {
		return err
	}
	if err := os.WriteFile(abs, []byte(w.Config()), 0o644); err != nil {
		return fmt.Errorf("write the config: %w", err)
	}
	if err := w.WriteFiles(filepath.Dir(abs)); err != nil {
		return fmt.Errorf("write the terminal script: %w", err)
	}
	ready := Ready{AppURL: w.AppURL, AuthorizeURL: w.AuthorizeURL, Resolve: w.ResolveFlags(),
		HostResolverRules: w.Resolve.HostResolverRules(), Config: abs}
	if stack == example.StackTerminal {
		ready.Env = []string{example.SecretEnv + "=" + w.ClientSecret}
	}
	if err := json.NewEncoder(stdout).Encode(ready); err != nil {
		return fmt.Errorf("print the ready line: %w", err)
	}
	// Serve until a signal, or until whoever started us closes our stdin.
	eof := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stdin)
		close(eof)
	}()
	select {
	case <-ctx.Done():
	case <-eof:
	}
	return nil
}

package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/pipeline"
	"github.com/pinready/pinready/internal/redact"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/report"
)

// System is what a run takes from its process: streams and environment.
type System struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string // value_env and NO_COLOR lookups; nil means os.Getenv
}

// Main runs one command line and returns the exit code of the contract
// (exit.go). rules is the embedded rules.yaml.
func Main(ctx context.Context, args []string, sys System, rules []byte) int {
	if sys.Getenv == nil {
		sys.Getenv = os.Getenv
	}
	// Progress lines and errors quote pages and configs: no escape
	// sequence or bidi override of theirs reaches the terminal, and no
	// token, credential or URL userinfo (internal/redact's grammar).
	stderr := redact.NewWriter(report.TerminalWriter(sys.Stderr), nil)
	defer stderr.Flush()
	sys.Stderr = stderr
	terminal := isTerminal(sys.Stdout)
	stdout := newStdoutGuard(sys.Stdout)
	sys.Stdout = stdout
	if len(args) == 2 && args[1] == "--version" {
		// The commonest short command answers before the command tree
		// (every command, flag and help text) is built: what the app's
		// Action would print, at a fraction of the start-up (bench/startup.sh).
		fmt.Fprintf(stdout, "pinready version %s\n", versionLine())
		return exitCode(ctx, stdout.failed(nil), sys.Stderr)
	}
	e := &env{System: sys, rules: rules, isTerminal: terminal}
	done := make(chan error, 1)
	go func() { done <- newApp(e).RunContext(ctx, args) }()
	select {
	case err := <-done:
		return exitCode(ctx, stdout.failed(err), sys.Stderr)
	case <-ctx.Done():
	}
	// Interrupted: the command winds down (Chromium stopped, temporary
	// folders removed, what finished reported). One stuck in a read or a
	// write that no signal ends (a FIFO with no reader) is not waited for
	// past interruptGrace: a signal always ends pinready, with 130.
	select {
	case err := <-done:
		return exitCode(ctx, stdout.failed(err), sys.Stderr)
	case <-time.After(interruptGrace):
		fmt.Fprintln(sys.Stderr, "pinready: interrupted (gave up waiting for a blocked read or write)")
		return exitSignal
	}
}

// interruptGrace is how long an interrupted command may take to wind down.
// It outlasts the browser's own bounded close (internal/browser: 10 s asked,
// 1 s more, 5 s for the killed group, 3 s of reaping), so a Chromium slow to
// close on a loaded machine is still closed, and its temporary profile
// removed, before pinready gives up on the rest.
const interruptGrace = 25 * time.Second

// env is what every command shares: the process's streams and environment,
// and the embedded rules.
type env struct {
	System
	rules      []byte
	isTerminal bool
}

// pipelineEnv is the pipeline's view of a run.
func (e *env) pipelineEnv(rs *checks.Ruleset) pipeline.Env {
	return pipeline.Env{Rules: rs, Tool: checks.Tool{Name: "pinready", Version: Version}, Progress: e.Stderr, Getenv: e.Getenv}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newApp builds the command line of the contract (README, "Commands").
func newApp(e *env) *cli.App {
	usageErr := func(_ *cli.Context, err error, _ bool) error { return &checks.UsageError{Msg: err.Error()} }
	commands := []*cli.Command{
		newCheckCommand(e), newRecordCommand(e), newPackCommand(e), newRulesCommand(e),
		newMergeCommand(e), newInitCommand(e), newExampleCommand(e), newSandboxCommand(e), newCompletionCommand(e),
		newManCommand(e),
	}
	for _, c := range commands {
		c.OnUsageError = usageErr
	}
	var showVersion, verbose bool // the root flags
	return &cli.App{
		Name:    "pinready",
		Usage:   "audit a Pinterest app before it applies for API Standard access, and record its OAuth demo video",
		Version: versionLine(),
		// --version is a flag of ours: urfave's has -v, which every peer
		// reads as --verbose, and ours takes --verbose for the tools.
		HideVersion: true,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Usage: "print the version; with --verbose, also the Chromium and ffmpeg pinready would use", Destination: &showVersion},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "with --version: name the Chromium and ffmpeg, with their versions; before a command: its --verbose", Destination: &verbose},
		},
		// `pinready … --generate-bash-completion` lists what may come next:
		// the protocol `pinready completion bash|zsh` scripts use.
		EnableBashCompletion: true,
		Description:          exitCodesHelp + "\n" + envHelp + "\nDocs: README.md; rules: `pinready rules`; this page: `pinready man`.",
		Commands:             commands,
		Writer:               e.Stdout,
		ErrWriter:            e.Stderr,
		OnUsageError:         usageErr,
		ExitErrHandler:       func(*cli.Context, error) {}, // exit.go decides exit codes, never urfave
		// A path may contain a comma; --only and --format split their own lists.
		DisableSliceFlagSeparator: true,
		Action: func(c *cli.Context) error {
			if showVersion {
				fmt.Fprintf(e.Stdout, "pinready version %s\n", versionLine())
				if verbose {
					ffmpeg := e.Getenv("PINREADY_FFMPEG")
					writeTools(c.Context, e.Stdout, "", &ffmpeg)
				}
				return nil
			}
			if c.Args().Present() {
				return &checks.UsageError{Msg: fmt.Sprintf("unknown command %q (see pinready --help)", c.Args().First())}
			}
			return cli.ShowAppHelp(c)
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(e.Stderr, "pinready: unknown command %q (see pinready --help)\n", name)
		},
	}
}

// parseResolve reads the repeatable --resolve flag.
func parseResolve(values []string) (resolve.Map, error) {
	m, err := resolve.ParseAll(values)
	if err != nil {
		return nil, &checks.UsageError{Msg: err.Error()}
	}
	return m, nil
}

// loadRules reads the embedded rules and applies a user's --rules file.
func (e *env) loadRules(path string) (*checks.Ruleset, error) {
	const embedded = "rules.yaml (embedded)"
	rs, err := checks.ParseRules(embedded, e.rules)
	if err != nil {
		return nil, fmt.Errorf("embedded rules: %w", err) // a bug in the build, not the user's input
	}
	file := embedded
	if path != "" {
		file = path
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &checks.ConfigError{File: path, Msg: err.Error()}
		}
		if err := rs.Extend(path, data); err != nil {
			return nil, err
		}
	}
	// A --rules file may bring a pattern or a parameter that does not
	// compile: an error now, naming its line. The embedded rules' are
	// tested, and compiled when a rule first needs them.
	if path != "" {
		if err := rs.CompilePatterns(file); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// loadApp reads what a one-app command (record, pack) reads: its config,
// then the rules (embedded, and a --rules file). folder names where the
// command writes, known once the config is; it is refused when it would
// write over the config or the rules file.
func (e *env) loadApp(ctx context.Context, configPath, rulesPath string, folder func(*checks.Config) (outputFolder, error)) (*checks.Config, *checks.Ruleset, error) {
	cfg, err := checks.LoadConfigContext(ctx, configPath)
	if err != nil {
		return nil, nil, err
	}
	rs, err := e.loadRules(rulesPath)
	if err != nil {
		return nil, nil, err
	}
	out, err := folder(cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := refuseEatenInputs([]namedPath{{"--config", cfg.File}, {"--rules", rulesPath}}, nil, []outputFolder{out}); err != nil {
		return nil, nil, err
	}
	return cfg, rs, nil
}

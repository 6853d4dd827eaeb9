package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
)

// newApp builds the command line of DESIGN.md ("Contract: commands").
func newApp(e *env) *cli.App {
	usageErr := func(_ *cli.Context, err error, _ bool) error { return &checks.UsageError{Msg: err.Error()} }
	commands := []*cli.Command{
		checkCommand(e), recordCommand(e), packCommand(e), rulesCommand(e), initCommand(e), exampleCommand(e), sandboxCommand(e),
	}
	for _, c := range commands {
		c.OnUsageError = usageErr
	}
	return &cli.App{
		Name:    "pinready",
		Usage:   "audit a Pinterest app before it applies for API Standard access, and record its OAuth demo video",
		Version: version,
		Description: "Exit codes: 0 ready at --fail-on, 1 failing findings, 2 usage or config error, 3 a check could not run, 130 interrupted.\n" +
			"Docs: README.md; rules: `pinready rules`.",
		Commands:       commands,
		Writer:         e.stdout,
		ErrWriter:      e.stderr,
		OnUsageError:   usageErr,
		ExitErrHandler: func(*cli.Context, error) {}, // run() decides exit codes, never urfave
		// A path may contain a comma; --only and --format split their own lists.
		DisableSliceFlagSeparator: true,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return &checks.UsageError{Msg: fmt.Sprintf("unknown command %q (see pinready --help)", c.Args().First())}
			}
			return cli.ShowAppHelp(c)
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(e.stderr, "pinready: unknown command %q (see pinready --help)\n", name)
		},
	}
}

// Flags shared by several commands.
func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Value: "pinready.yaml", EnvVars: []string{"PINREADY_CONFIG"},
		Usage: "the app's pinready.yaml"}
}

func resolveFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "resolve", Usage: "HOST:PORT:ADDR: connect to ADDR for HOST:PORT, in the HTTP client and the browser (repeatable)"}
}

func rulesFlag() cli.Flag {
	return &cli.StringFlag{Name: "rules", Usage: "a rules file that overrides severity, params or disables rule ids"}
}

func timeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "timeout", Value: 15 * time.Second, Usage: "how long one page, request or flow step may take"}
}

func failOnFlag() cli.Flag {
	return &cli.StringFlag{Name: "fail-on", Value: "blocker", Usage: "exit 1 when a finding at this severity or above fails: blocker, warning or never"}
}

// splitList reads a flag given as a list and/or comma-separated values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

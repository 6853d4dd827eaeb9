package cli

import (
	_ "embed"
	"fmt"

	"github.com/urfave/cli/v2"
)

// manPage is the manual page, written by urfave/cli from the same commands,
// flags and usage texts as --help (through go-md2man), so it never
// disagrees with them: at build time, not at run time. `go generate
// ./internal/cli` rewrites it, and TestManPageIsCurrent fails when it is
// stale. Release builds leave urfave/cli's docs out (-tags
// urfave_cli_no_docs): the Markdown parser they link builds its tables at
// every start of every command.
//
//go:generate go test -run ^TestManPageIsCurrent$ -update .
//go:embed pinready.1
var manPage string

func newManCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:        "man",
		Usage:       "print pinready's manual page (roff, section 1)",
		Description: "read it: pinready man | man -l -\ninstall it: pinready man > /usr/local/share/man/man1/pinready.1",
		Action: func(c *cli.Context) error {
			_, err := fmt.Fprint(e.Stdout, manPage)
			return err
		},
	}
}

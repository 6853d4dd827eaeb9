package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// The manual page is written by urfave/cli from the same commands, flags and
// usage texts as --help (through go-md2man), so it never disagrees with them.
func newManCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:        "man",
		Usage:       "print pinready's manual page (roff, section 1)",
		Description: "read it: pinready man | man -l -\ninstall it: pinready man > /usr/local/share/man/man1/pinready.1",
		Action: func(c *cli.Context) error {
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return fmt.Errorf("write the manual page: %w", err)
			}
			fmt.Fprint(e.Stdout, page)
			return nil
		},
	}
}

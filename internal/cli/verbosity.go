package cli

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
)

// verbosityFlags are -v/--verbose and -q/--quiet, on the commands that print
// progress (check, record, pack, example). -v is never --version: every
// peer reads it as verbose.
func verbosityFlags(verbose string) []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: verbose},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress or status lines on stderr: errors only (reports still go to stdout or their files)"},
	}
}

// envHelp is the environment line of `pinready --help` and the man page.
const envHelp = "Environment: PINREADY_CONFIG (--config), PINREADY_CHROMIUM (the Chromium or Chrome to run), PINREADY_FFMPEG (--ffmpeg), NO_COLOR."

// toolsVerbose is the -v text every progress command shares.
const toolsVerbose = "first name the Chromium (and ffmpeg) this run uses, with their versions"

// isSet says whether the flag was given to this command or before it
// (`pinready -v check`): urfave/cli v2 looks a flag up only in the nearest
// command that defines it. -v and -q are the flags no Destination can bind:
// the root's and the command's are two flags, and a command's flag, bound
// to the root's variable, would reset it to false when parsed.
func isSet(c *cli.Context, name string) bool {
	for _, l := range c.Lineage() {
		if l.IsSet(name) && l.Bool(name) {
			return true
		}
	}
	return false
}

// beforeProgress is the Before of a command with verbosityFlags: -q sends
// the command's progress and status lines nowhere (errors still reach
// stderr: Main prints them on its own stream), -v names the tools the run
// will use. ffmpeg is the command's bound --ffmpeg, nil when it has none.
func (e *env) beforeProgress(ffmpeg *string) cli.BeforeFunc {
	return func(c *cli.Context) error {
		verbose, quiet := isSet(c, "verbose"), isSet(c, "quiet")
		if verbose && quiet {
			return &checks.UsageError{Msg: "--verbose and --quiet: choose one"}
		}
		if quiet {
			e.Stderr = io.Discard
		}
		if verbose {
			writeTools(c.Context, e.Stderr, "pinready: ", ffmpeg)
		}
		return nil
	}
}

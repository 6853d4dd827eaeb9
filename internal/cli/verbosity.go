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
// command that defines it.
func isSet(c *cli.Context, name string) bool {
	for _, l := range c.Lineage() {
		if l.IsSet(name) && l.Bool(name) {
			return true
		}
	}
	return false
}

// applyVerbosity runs before a command with verbosityFlags: -q sends the
// command's progress and status lines nowhere (errors still reach stderr:
// Main prints them on its own stream), -v names the tools the run will use.
// ffmpeg is the command's --ffmpeg flag, "" when it has none.
func (e *env) applyVerbosity(c *cli.Context, ffmpegFlag string) error {
	verbose, quiet := isSet(c, "verbose"), isSet(c, "quiet")
	if verbose && quiet {
		return &checks.UsageError{Msg: "--verbose and --quiet: choose one"}
	}
	if quiet {
		e.Stderr = io.Discard
	}
	if verbose {
		var ffmpeg *string
		if ffmpegFlag != "" {
			v := c.String(ffmpegFlag)
			ffmpeg = &v
		}
		writeTools(c.Context, e.Stderr, "pinready: ", ffmpeg)
	}
	return nil
}

// ffmpegFlag is --ffmpeg, for the commands that encode a video.
func ffmpegFlag() cli.Flag {
	return &cli.StringFlag{Name: "ffmpeg", EnvVars: []string{"PINREADY_FFMPEG"},
		Usage: "the ffmpeg to encode with: a path, or a name on PATH (default: ffmpeg on PATH)"}
}

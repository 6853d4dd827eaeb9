package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/report"
)

// Every flag is declared once, bound to the options field it fills
// (urfave's Destination). A flag whose value must be checked or parsed does
// it in its Action, which urfave runs once the flag is given (on the command
// line or through its environment variable), before the command's Action:
// by then a command's options are filled and valid, and its Action only
// runs it. A flag left out keeps its default, which is valid.

// Flags shared by several commands.

func configFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "config", Value: "pinready.yaml", EnvVars: []string{"PINREADY_CONFIG"},
		Usage: "the app's pinready.yaml", Destination: dest}
}

func resolveFlag(dest *resolve.Map) cli.Flag {
	return &cli.StringSliceFlag{Name: "resolve", Usage: "HOST:PORT:ADDR: connect to ADDR for HOST:PORT, in the HTTP client and the browser (repeatable)",
		Action: func(_ *cli.Context, values []string) error {
			m, err := parseResolve(values)
			*dest = m
			return err
		}}
}

func allowPrivateFlag(dest *bool) cli.Flag {
	return &cli.BoolFlag{Name: "allow-private", Destination: dest,
		Usage: "let the HTTP client and the browser reach internal addresses (loopback, private networks, cloud metadata) that no --resolve or config URL names; off by default, so a hostile page cannot redirect pinready into your network"}
}

func rulesFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "rules", Usage: "a rules file that overrides severity, params or disables rule ids", Destination: dest}
}

func timeoutFlag(dest *time.Duration) cli.Flag {
	return &cli.DurationFlag{Name: "timeout", Value: 15 * time.Second, Usage: "how long one page, request or flow step may take", Destination: dest,
		Action: func(_ *cli.Context, d time.Duration) error {
			if d <= 0 {
				return &checks.UsageError{Msg: "--timeout must be positive"}
			}
			return nil
		}}
}

func failOnFlag(dest *checks.FailOn) cli.Flag {
	return enumFlag(&cli.StringFlag{Name: "fail-on", Value: string(checks.FailOnBlocker),
		Usage: "exit 1 when a finding at this severity or above fails: blocker, warning or never"}, (*string)(dest), checks.FailOns)
}

// ffmpegFlag is --ffmpeg, for the commands that encode a video.
func ffmpegFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "ffmpeg", EnvVars: []string{"PINREADY_FFMPEG"}, Destination: dest,
		Usage: "the ffmpeg to encode with: a path, or a name on PATH (default: ffmpeg on PATH)"}
}

// Flags of the commands that write reports (check, merge).

func formatFlag(dest *[]string) cli.Flag {
	return enumListFlag(&cli.StringFlag{Name: "format", Value: "text",
		Usage: "text, json, junit, sarif, markdown or html; several comma-separated with --output-dir"}, dest, report.Formats)
}

func outputFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "output", Usage: "write the report to FILE instead of stdout", Destination: dest,
		Action: func(_ *cli.Context, v string) error {
			if v == "-" {
				*dest = "" // stdout, as - means to every Unix tool
			}
			return nil
		}}
}

func outputDirFlag(dest *string) cli.Flag {
	return &cli.StringFlag{Name: "output-dir", Usage: "write one report per --format into DIR (report.txt, report.json, …)", Destination: dest}
}

func noColorFlag(dest *bool) cli.Flag {
	return &cli.BoolFlag{Name: "no-color", Usage: "no colour in text output (NO_COLOR is honoured too)", Destination: dest}
}

// stringsFlag binds a repeatable flag to dest (urfave's own Destination
// for it is a *cli.StringSlice, not a []string).
func stringsFlag(f *cli.StringSliceFlag, dest *[]string) *cli.StringSliceFlag {
	f.Action = func(_ *cli.Context, values []string) error {
		*dest = values
		return nil
	}
	return f
}

// enumFlag binds f, whose value must be one of allowed, to dest.
func enumFlag[T ~string](f *cli.StringFlag, dest *string, allowed []T) *cli.StringFlag {
	f.Destination = dest
	f.Action = func(_ *cli.Context, v string) error { return oneOf("--"+f.Name, T(v), allowed) }
	return f
}

// enumListFlag binds f, a comma-separated list of values of allowed, to
// dest; f.Value is its default. An empty list is refused: a report in no
// format is a mistake.
func enumListFlag(f *cli.StringFlag, dest *[]string, allowed []string) *cli.StringFlag {
	*dest = splitList([]string{f.Value})
	f.Action = func(_ *cli.Context, v string) error {
		list, err := enumList("--"+f.Name, []string{v}, allowed)
		if err == nil && len(list) == 0 {
			err = oneOf("--"+f.Name, "", allowed)
		}
		*dest = list
		return err
	}
	return f
}

// enumList splits a list flag's values (repeated and/or comma-separated)
// and checks each is one of allowed.
func enumList(flag string, values, allowed []string) ([]string, error) {
	list := splitList(values)
	for _, v := range list {
		if err := oneOf(flag, v, allowed); err != nil {
			return nil, err
		}
	}
	return list, nil
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

// oneOf is the one check of a value that must be one of a list (an enum
// flag's, a shell's name): nil when allowed holds it, else a usage error
// (exit 2) naming what is allowed and, when the value looks like a typo of
// one of them, that one.
//
//	--format jsn: want one of text, json, junit, sarif, markdown, html; did you mean json?
func oneOf[T ~string](what string, value T, allowed []T) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if a == value {
			return nil
		}
		names[i] = string(a)
	}
	msg := fmt.Sprintf("%s %s: want one of %s", what, shown(string(value)), strings.Join(names, ", "))
	if s := suggest(string(value), names); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return &checks.UsageError{Msg: msg}
}

// suggest is the allowed value the user most likely meant: one it begins
// (warn → warning), or one at most two edits away (jsn → json, jsno →
// json, mp5 → mp4) that is not all edits ("gp" is no typo of "go"); ""
// for none. An edit is a letter added or dropped; a letter changed counts
// two, so two swapped letters (a common slip) are as close as one changed
// letter, and tcsh is not taken for bash. The distance is xrash/smetrics'
// Wagner-Fischer, already linked for urfave/cli's flag-name suggestions.
func suggest(value string, allowed []string) string {
	v := strings.ToLower(strings.TrimSpace(value))
	if len(v) >= 2 {
		for _, a := range allowed {
			if strings.HasPrefix(a, v) {
				return a
			}
		}
	}
	best, bestDist := "", 0
	for _, a := range allowed {
		if d := smetrics.WagnerFischer(v, a, 1, 1, 2); best == "" || d < bestDist {
			best, bestDist = a, d
		}
	}
	if bestDist <= 2 && bestDist < len(best) {
		return best
	}
	return ""
}

// shown is a value as a message quotes it: bare when it is a plain word,
// quoted when it is empty or holds spaces or punctuation.
func shown(v string) string {
	plain := v != "" && !strings.ContainsFunc(v, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_./:", r)
	})
	if plain {
		return v
	}
	return strconv.Quote(v)
}

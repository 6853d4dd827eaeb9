package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/outfile"
	"github.com/pinready/pinready/report"
)

// reportOutput is where and how a command writes a report.
type reportOutput struct {
	formats    []string
	file       string // --output: one format into this file; "" for stdout
	dir        string // --output-dir: one file per format
	noColor    bool   // --no-color
	verbose    bool   // --verbose: every rule on its own line
	checkpoint bool   // a checkpoint's report (rewritten later): no "wrote FILE" line
}

// useColor is the one decision about colour: text on a terminal, never into a
// file, never with NO_COLOR or --no-color.
func (e *env) useColor(o reportOutput) bool {
	return e.isTerminal && o.file == "" && o.dir == "" && !o.noColor && e.Getenv("NO_COLOR") == ""
}

// writeReports renders the report in each format: one format to the file or
// stdout, several into the folder.
func (e *env) writeReports(rep *checks.Report, rules *checks.Ruleset, o reportOutput) error {
	color := e.useColor(o)
	for _, format := range o.formats {
		path := o.file
		if o.dir != "" {
			path = filepath.Join(o.dir, report.FileName(format))
		}
		w, err := report.New(format, report.Options{Color: color, Rules: rules, ConfigPath: rep.App.Config, OutputPath: path, Verbose: o.verbose})
		if err != nil {
			return err
		}
		if path == "" {
			if err := w.Write(e.Stdout, rep); err != nil {
				return &checks.CannotRunError{What: "write the report", Err: err}
			}
			continue
		}
		write := outfile.Write // a file of ours in --output-dir: a link there is not followed
		if o.dir == "" {
			write = outfile.WriteNamed // --output FILE, as the user named it (/dev/stdout, a FIFO)
		}
		if err := write(path, func(f io.Writer) error { return w.Write(f, rep) }); err != nil {
			return &checks.CannotRunError{What: "write the report", Err: err}
		}
		if !o.checkpoint {
			fmt.Fprintf(e.Stderr, "pinready: wrote %s\n", path)
		}
	}
	return nil
}

// check refuses what the report flags cannot do together.
func (o reportOutput) check() error {
	if len(o.formats) > 1 && o.dir == "" {
		return &checks.UsageError{Msg: "several --format values need --output-dir"}
	}
	return nil
}

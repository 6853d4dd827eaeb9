// Package report renders a checks.Report in every output format pinready
// offers. Each format is one small Writer in its own file; New picks one by
// name so main only ever sees the interface.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pinready/pinready/checks"
)

// Writer renders a report. Implementations must not depend on global state
// (colour, working directory) other than what Options gave them, so that the
// same report always renders the same bytes.
type Writer interface {
	Write(w io.Writer, r *checks.Report) error
}

// Options carry what main knows and the report does not.
type Options struct {
	// Color turns on ANSI colour in the text format. main decides it
	// (terminal, NO_COLOR, --no-color); writers never look at the terminal.
	Color bool
	// Rules supply SARIF's tool.driver.rules and the stable rule titles of
	// JUnit and HTML. Nil is allowed: writers fall back to finding titles.
	Rules *checks.Ruleset
	// ConfigPath is the pinready.yaml the findings point into, as SARIF's
	// artifactLocation (GitHub code scanning annotates that file).
	ConfigPath string
	// Verbose lists every rule on its own line in the human formats (text,
	// Markdown, HTML); otherwise rules outside --only are one line and rules
	// blocked by a root cause are named under it.
	Verbose bool
	// OutputPath is the file the report is being written to ("" for
	// stdout). HTML and Markdown make artifact and evidence paths relative
	// to its directory, so their links still work when the report is
	// written away from the working directory (--output-dir, pack).
	OutputPath string
}

// Formats are the names New accepts, in the order --help lists them.
var Formats = []string{"text", "json", "junit", "sarif", "markdown", "html"}

// extensions are the file name endings of each format in an output folder.
var extensions = map[string]string{"text": ".txt", "json": ".json", "junit": ".junit.xml", "sarif": ".sarif", "markdown": ".md", "html": ".html"}

// FileName is the name of the report of this format in an output folder:
// report.txt, report.json, report.junit.xml, …
func FileName(format string) string { return "report" + extensions[format] }

// New returns the writer for a --format value.
func New(format string, o Options) (Writer, error) {
	switch format {
	case "text":
		return NewText(o), nil
	case "json":
		return &JSON{}, nil
	case "junit":
		return &JUnit{Rules: o.Rules}, nil
	case "sarif":
		return &SARIF{Rules: o.Rules, ConfigPath: o.ConfigPath}, nil
	case "markdown":
		return &Markdown{Rules: o.Rules, OutputPath: o.OutputPath, Verbose: o.Verbose}, nil
	case "html":
		return &HTML{Rules: o.Rules, OutputPath: o.OutputPath, Verbose: o.Verbose}, nil
	}
	return nil, &checks.UsageError{Msg: fmt.Sprintf("--format %q: want one of %s", format, strings.Join(Formats, ", "))}
}

// Compile-time checks that every format implements Writer.
var (
	_ Writer = (*Text)(nil)
	_ Writer = (*JSON)(nil)
	_ Writer = (*JUnit)(nil)
	_ Writer = (*SARIF)(nil)
	_ Writer = (*Markdown)(nil)
	_ Writer = (*HTML)(nil)
)

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pinready/pinready/checks"
)

// The exit codes of the contract, the same for every --format. This file is
// the only place that maps errors, reports and --fail-on to them.
const (
	exitOK       = 0   // no failing finding at or above --fail-on
	exitFindings = 1   // at least one failing finding at or above --fail-on
	exitUsage    = 2   // usage or configuration error (names file, line, field)
	exitCannot   = 3   // a selected check could not run
	exitSignal   = 130 // interrupted (SIGINT, SIGTERM)
)

// exitCodesHelp is the exit-code line of `pinready --help`.
var exitCodesHelp = fmt.Sprintf("Exit codes: %d ready at --fail-on, %d failing findings, %d usage or config error, %d a check could not run, %d interrupted.",
	exitOK, exitFindings, exitUsage, exitCannot, exitSignal)

// errFindings ends a command whose report is out and has a failing finding at
// or above --fail-on: the report said everything.
var errFindings = errors.New("failing findings at or above --fail-on")

// errInterruptedAfterReport ends a command interrupted after it wrote what
// finished.
var errInterruptedAfterReport = errors.New("interrupted; the report holds what finished")

// afterReports is how a command that wrote its reports ends: interrupted,
// a check that could not run, then the findings judged at failOn.
func afterReports(ctx context.Context, runErr error, failOn checks.FailOn, reps ...*checks.Report) error {
	switch {
	case ctx.Err() != nil:
		return errInterruptedAfterReport
	case runErr != nil:
		return runErr
	}
	for _, r := range reps {
		if r.Fails(failOn) {
			return errFindings
		}
	}
	return nil
}

// exitCode prints what the user needs to know about err and returns the
// process's exit code.
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	var ce *checks.ConfigError
	var ue *checks.UsageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.Is(err, errInterruptedAfterReport):
		fmt.Fprintln(stderr, "pinready:", err)
		return exitSignal
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "pinready: interrupted")
		return exitSignal
	case errors.As(err, &ce), errors.As(err, &ue):
		fmt.Fprintf(stderr, "pinready: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "pinready: %v\n", err) // a CannotRunError, or a bug
	return exitCannot
}

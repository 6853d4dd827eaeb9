package checks

import "fmt"

// The kinds of error a run can end with. Which exit code each one gives is
// decided in one place, internal/cli/exit.go; this package only names them.

// ConfigError is a problem in a file the user wrote (pinready.yaml, --rules):
// it names the file, line and field so the user can go straight to it.
type ConfigError struct {
	File  string
	Line  int    // 0 when the whole file is at fault
	Field string // dotted key path, e.g. "app.privacy_policy_url"
	Msg   string
}

func (e *ConfigError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// UsageError is a bad flag or argument.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// CannotRunError says a selected check could not run at all (browser missing,
// output unwritable, ffmpeg failed). Hint tells the user what to do next.
type CannotRunError struct {
	What string
	Err  error
	Hint string
}

func (e *CannotRunError) Error() string {
	msg := fmt.Sprintf("%s: %v", e.What, e.Err)
	if e.Hint != "" {
		msg += "\n  " + e.Hint
	}
	return msg
}

func (e *CannotRunError) Unwrap() error { return e.Err }

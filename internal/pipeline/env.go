package pipeline

import (
	"io"

	"github.com/pinready/pinready/checks"
)

// Env is what every step needs from the outside world, injected so that
// tests hand their own.
type Env struct {
	Rules    *checks.Ruleset
	Tool     checks.Tool         // name and version in every report
	Progress io.Writer           // progress lines (stderr); never stdout
	Getenv   func(string) string // value_env lookups
}

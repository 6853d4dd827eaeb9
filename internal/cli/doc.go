// Package cli is pinready's command line: one file per command, each an
// Options struct filled from flags and a run function that does no flag
// parsing; exit.go is the only mapping from errors and reports to exit
// codes. The work itself is internal/pipeline's. Only package main imports
// this package.
//
// See docs/ARCHITECTURE.md for how the packages fit together.
package cli

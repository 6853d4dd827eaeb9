// Package pipeline is what pinready's commands do, as Go functions over typed
// options: Check audits apps, Record drives the OAuth flow on camera, Pack
// assembles the submission folder. The CLI (internal/cli) fills the options
// from flags and turns the results into output and exit codes; `pack` and
// `example` call these functions directly, never the command line.
//
// See docs/ARCHITECTURE.md for how the packages fit together.
package pipeline

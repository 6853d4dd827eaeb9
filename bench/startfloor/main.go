// Command startfloor is the floor of pinready's start-up (bench/startup.sh):
// the same packages linked (internal/cli imports every one pinready runs),
// their package initialisation run by the Go runtime, and nothing else, so
// what `pinready --version` costs beyond it is pinready's own doing.
package main

import _ "github.com/pinready/pinready/internal/cli"

func main() {}

//go:build !urfave_cli_no_docs

package cli

import (
	"os"
	"testing"
)

// The embedded manual page is what urfave/cli writes from the commands of
// this build; `go generate ./internal/cli` (this test with -update)
// rewrites it. Builds with -tags urfave_cli_no_docs have no writer to
// compare with and skip this file.
func TestManPageIsCurrent(t *testing.T) {
	app := newApp(&env{System: System{Getenv: os.Getenv}})
	app.Setup() // what a run does first: the --help flag
	page, err := app.ToManWithSection(1)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("pinready.1", []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		manPage = page
	}
	if page != manPage {
		t.Errorf("pinready.1 is stale: run go generate ./internal/cli")
	}
}

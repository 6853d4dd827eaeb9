package sampleapp

import (
	_ "embed"
	"os"
	"path/filepath"
)

// PinToolsScript is the terminal sample: a single-user Python script that
// runs the OAuth flow from a terminal (webbrowser, http.server on a
// loopback port, the code exchanged with Basic auth, then the account and
// boards read from the API), as `pinready example --stack terminal` records.
//
//go:embed scripts/pin_tools.py
var PinToolsScript []byte

// PinToolsName is the script's file name.
const PinToolsName = "pin_tools.py"

// WriteScript writes the terminal sample into dir and returns its path.
func WriteScript(dir string) (string, error) {
	p := filepath.Join(dir, PinToolsName)
	return p, os.WriteFile(p, PinToolsScript, 0o755)
}

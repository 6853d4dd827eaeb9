package browser

import (
	"os"

	"github.com/pinready/pinready/checks"
)

// makeTempDir gives Chromium a TMPDIR of its own under pinready's temporary
// directory: Chromium leaves org.chromium.Chromium.* folders in its TMPDIR
// after every run, and more after a kill (Ctrl-C); Close removes them all.
func (b *Browser) makeTempDir() error {
	dir, err := os.MkdirTemp("", "pinready-chromium-tmp-")
	if err != nil {
		return &checks.CannotRunError{What: "create a temporary folder for Chromium", Err: err}
	}
	b.tmpDir = dir
	return nil
}

// removeTempDir removes Chromium's TMPDIR, once its processes are gone.
func (b *Browser) removeTempDir() {
	if b.tmpDir == "" {
		return
	}
	reap(b.tmpDir)
	os.RemoveAll(b.tmpDir)
}

package browser

import (
	"os"

	"github.com/pinready/pinready/checks"
)

// makeTempDir gives Chromium a TMPDIR of its own under pinready's temporary
// directory: Chromium leaves org.chromium.Chromium.* folders in its TMPDIR
// after every run, and more after a kill (Ctrl-C); Close removes them all.
func (b *Browser) makeTempDir() error {
	dir, err := os.MkdirTemp("", "pinready-tmp-")
	if err == nil && len(dir)+len(socketSuffix) >= maxSocketPath {
		// Chromium puts its SingletonSocket in there, and a Unix socket's
		// path is at most 107 bytes: a deep TMPDIR would stop it starting.
		os.Remove(dir)
		dir, err = os.MkdirTemp("/tmp", "pinready-tmp-")
	}
	if err != nil {
		return &checks.CannotRunError{What: "create a temporary folder for Chromium", Err: err}
	}
	b.tmpDir = dir
	return nil
}

// socketSuffix is what Chromium adds to its TMPDIR for its singleton socket.
const socketSuffix = "/org.chromium.Chromium.XXXXXX/SingletonSocket"

// maxSocketPath is sizeof(sockaddr_un.sun_path) on Linux.
const maxSocketPath = 108

// removeTempDir removes Chromium's TMPDIR, once its processes are gone.
func (b *Browser) removeTempDir() {
	if b.tmpDir == "" {
		return
	}
	reap(func() []int { return ProcessesUsing(b.tmpDir) })
	os.RemoveAll(b.tmpDir)
}

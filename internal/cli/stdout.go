package cli

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/pinready/pinready/checks"
)

// stdoutGuard is the process's standard output as every command sees it:
// the first failed write is remembered, so that a command whose report
// (or list, or script) did not reach stdout ends with exit 3 and says why,
// whatever the command did with the error itself.
type stdoutGuard struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

// errStdoutClosed is the write error of a standard output that was closed
// when pinready started (`pinready check >&-`).
var errStdoutClosed = errors.New("standard output is closed (as with >&-), so the report would be lost; write it with --output FILE, or send standard output to /dev/null (>/dev/null) to discard it on purpose")

func newStdoutGuard(w io.Writer) *stdoutGuard {
	if stdoutClosed(w) {
		w = failingWriter{errStdoutClosed}
	}
	return &stdoutGuard{w: w}
}

func (g *stdoutGuard) Write(p []byte) (int, error) {
	n, err := g.w.Write(p)
	if err != nil {
		g.mu.Lock()
		if g.err == nil {
			g.err = err
		}
		g.mu.Unlock()
	}
	return n, err
}

// failed is the command's error, or, when the command ended without one
// that outranks it (a success or a verdict) but a write to stdout failed,
// that failure: exit 3, never a silent success.
func (g *stdoutGuard) failed(cmdErr error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil || (cmdErr != nil && !errors.Is(cmdErr, errFindings)) {
		return cmdErr
	}
	return &checks.CannotRunError{What: "write to standard output", Err: g.err}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

// stdoutClosed reports whether w is a standard output that was closed when
// the process started. Go's runtime opens /dev/null, read-write, on a
// standard descriptor it finds closed, so writes would vanish without an
// error; a shell's >/dev/null opens it write-only. Linux only (it asks
// /proc); elsewhere it answers false.
func stdoutClosed(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f.Fd() != 1 {
		return false
	}
	if target, err := os.Readlink("/proc/self/fd/1"); err != nil || target != os.DevNull {
		return false
	}
	info, err := os.ReadFile("/proc/self/fdinfo/1")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(line, "flags:"); ok {
			flags, err := strconv.ParseInt(strings.TrimSpace(v), 8, 64)
			return err == nil && flags&syscall.O_ACCMODE == syscall.O_RDWR
		}
	}
	return false
}

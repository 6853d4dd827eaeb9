package terminal

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// shimNames are the commands programs run to open a URL in "the browser":
// freedesktop's xdg-open (and what Go's pkg/browser, Node's open package
// and Python's webbrowser fall back to on Linux), macOS's open (Pinterest's
// bash quickstart calls it), Debian's sensible-browser, x-www-browser and
// www-browser, the desktops' own, and WSL's wslview. Each is a shim first
// on the command's PATH.
var shimNames = []string{"xdg-open", "open", "sensible-browser", "x-www-browser", "www-browser", "gnome-open", "kde-open", "wslview"}

// browserShim is the shim $BROWSER names: Python's webbrowser, Rust's
// webbrowser, Ruby's launchy and xdg-open itself honour $BROWSER first.
const browserShim = "pinready-browser"

// shims is a folder of tiny sh scripts that hand the URL they are asked to
// open to pinready through a FIFO, and return at once: Python's webbrowser
// waits for the $BROWSER command to exit before it starts its loopback
// listener, so a shim that waited would deadlock the flow.
type shims struct {
	dir     string
	browser string   // the $BROWSER shim
	fifo    *os.File // read end (opened read-write, so a shim never blocks for want of a reader)
	opened  chan Opened
}

// Opened is a URL the command asked the system to open, or printed.
type Opened struct {
	URL string // raw: may hold a secret; never write it out unmasked
	// Via is the shim that received it ("xdg-open", "open", "$BROWSER") or
	// "printed" for a URL read in the output.
	Via  string
	Line int // for a printed URL: its line of the output
	At   time.Time
}

func newShims() (*shims, error) {
	dir, err := os.MkdirTemp("", "pinready-open-")
	if err != nil {
		return nil, fmt.Errorf("create the browser shims: %w", err)
	}
	sh := &shims{dir: dir, browser: filepath.Join(dir, browserShim), opened: make(chan Opened, 16)}
	fifo := filepath.Join(dir, ".urls")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create the browser shims: %w", err)
	}
	// Read-write: the FIFO always has a reader, so a shim's write never
	// blocks, and pinready's read never sees end-of-file between shims.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create the browser shims: %w", err)
	}
	sh.fifo = f
	for _, name := range append(shimNames, browserShim) {
		via := name
		if name == browserShim {
			via = "$BROWSER"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(shimScript(via, fifo)), 0o700); err != nil {
			sh.close()
			return nil, fmt.Errorf("create the browser shims: %w", err)
		}
	}
	go sh.read()
	return sh, nil
}

// shimScript hands its URL argument (the last argument with a scheme, else
// the last argument) to pinready as one line "VIA URL" and exits 0. A line
// of at most PIPE_BUF bytes is written to a FIFO whole, so shims run at
// once do not mix their lines.
func shimScript(via, fifo string) string {
	return `#!/bin/sh
# pinready: open this URL in pinready's browser instead of the system's.
url=""
for a in "$@"; do url="$a"; done
for a in "$@"; do case "$a" in *://*) url="$a";; esac; done
printf '%s %s\n' ` + shellQuote(via) + ` "$url" >> ` + shellQuote(fifo) + `
exit 0
`
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (sh *shims) read() {
	r := bufio.NewReaderSize(sh.fifo, 64<<10)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			close(sh.opened)
			return
		}
		via, u, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		sh.opened <- Opened{URL: u, Via: via, At: time.Now()}
	}
}

func (sh *shims) close() {
	sh.fifo.Close() // ends read
	os.RemoveAll(sh.dir)
}

// watchShims moves what the shims hand over into the session's URLs.
func (s *Session) watchShims() {
	for o := range s.shims.opened {
		s.mu.Lock()
		s.log.opened = append(s.log.opened, o)
		s.mu.Unlock()
		s.signal()
	}
}

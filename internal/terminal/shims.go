package terminal

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
// open to pinready and return at once: Python's webbrowser waits for the
// $BROWSER command to exit before it starts its loopback listener, so a
// shim that waited would deadlock the flow.
//
// A shim writes its URL as a file into the spool folder (renamed into
// place, so it is whole) before it exits, then writes a byte to a FIFO to
// wake pinready. The file, not the byte, carries the URL: once the command
// has exited, every URL its shims handed over is in the folder, and
// collect reads them without waiting on any goroutine.
type shims struct {
	dir     string
	spool   string
	browser string   // the $BROWSER shim
	fifo    *os.File // wake-ups (opened read-write, so a shim never blocks for want of a reader)
	wake    func()   // the session's: something new may be in the spool

	mu     sync.Mutex // one collect at a time
	opened []Opened   // every URL collected, in the order the shims wrote them
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

func newShims(wake func()) (*shims, error) {
	dir, err := os.MkdirTemp("", "pinready-open-")
	if err != nil {
		return nil, fmt.Errorf("create the browser shims: %w", err)
	}
	sh := &shims{dir: dir, spool: filepath.Join(dir, ".spool"), browser: filepath.Join(dir, browserShim), wake: wake}
	fail := func(err error) (*shims, error) {
		if sh.fifo != nil {
			sh.fifo.Close()
		}
		os.RemoveAll(dir)
		return nil, fmt.Errorf("create the browser shims: %w", err)
	}
	if err := os.Mkdir(sh.spool, 0o700); err != nil {
		return fail(err)
	}
	fifo := filepath.Join(dir, ".wake")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		return fail(err)
	}
	if sh.fifo, err = os.OpenFile(fifo, os.O_RDWR, 0); err != nil {
		return fail(err)
	}
	for _, name := range append(shimNames, browserShim) {
		via := name
		if name == browserShim {
			via = "$BROWSER"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(shimScript(via, sh.spool, fifo)), 0o700); err != nil {
			return fail(err)
		}
	}
	go sh.listen()
	return sh, nil
}

// shimScript hands its URL argument (the last argument with a scheme, else
// the last argument) to pinready as a file holding "VIA URL", wakes it, and
// exits 0.
func shimScript(via, spool, fifo string) string {
	return `#!/bin/sh
# pinready: open this URL in pinready's browser instead of the system's.
url=""
for a in "$@"; do url="$a"; done
for a in "$@"; do case "$a" in *://*) url="$a";; esac; done
f=` + shellQuote(spool) + `/$$.$(date +%s 2>/dev/null)
printf '%s %s\n' ` + shellQuote(via) + ` "$url" > "$f.tmp" && mv "$f.tmp" "$f.url"
printf x >> ` + shellQuote(fifo) + `
exit 0
`
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// listen collects the spool at every wake-up until the FIFO closes.
func (sh *shims) listen() {
	buf := make([]byte, 512)
	for {
		if _, err := sh.fifo.Read(buf); err != nil {
			return
		}
		if sh.collect() {
			sh.wake()
		}
	}
}

// collect reads the URL files in the spool into opened, oldest first, and
// removes them; it reports whether there were any.
func (sh *shims) collect() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	entries, err := os.ReadDir(sh.spool)
	if err != nil {
		return false
	}
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".url") {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{filepath.Join(sh.spool, e.Name()), info.ModTime()})
		}
	}
	slices.SortStableFunc(files, func(a, b file) int { return a.mod.Compare(b.mod) })
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		os.Remove(f.path)
		if err != nil {
			continue
		}
		via, u, _ := strings.Cut(strings.TrimSuffix(string(data), "\n"), " ")
		sh.opened = append(sh.opened, Opened{URL: u, Via: via, At: f.mod})
	}
	return len(files) > 0
}

// urls returns every URL collected so far.
func (sh *shims) urls() []Opened {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return slices.Clone(sh.opened)
}

func (sh *shims) close() {
	sh.fifo.Close() // ends listen
	os.RemoveAll(sh.dir)
}

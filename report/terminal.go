package report

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Printable is s with control characters and bidirectional overrides
// replaced by U+FFFD (see printable): text from a page or a config made safe
// to print on a terminal or into a human report.
func Printable(s string) string { return printable(s) }

// TerminalWriter makes every line written through it safe for a terminal:
// control characters but tab and newline, and bidirectional overrides,
// become U+FFFD. The CLI wraps stderr with it, where progress lines quote
// button labels, captions, URLs and config names. It writes no colour of
// its own, so none is lost. Safe for concurrent use; a character split
// across two writes is kept whole.
func TerminalWriter(w io.Writer) io.Writer { return &terminalWriter{w: w} }

type terminalWriter struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte // the start of a multi-byte character the last write cut
}

func (t *terminalWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	buf := append(t.pending, p...)
	cut := len(buf)
	// Keep an incomplete UTF-8 sequence at the end for the next write.
	for i := 1; i <= utf8.UTFMax-1 && i <= len(buf); i++ {
		if utf8.RuneStart(buf[len(buf)-i]) {
			if !utf8.FullRune(buf[len(buf)-i:]) {
				cut = len(buf) - i
			}
			break
		}
	}
	t.pending = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(t.w, printable(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

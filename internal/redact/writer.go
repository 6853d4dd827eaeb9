package redact

import (
	"bytes"
	"io"
	"sync"
)

// Writer masks what passes through it a line at a time, for progress on
// stderr: a line is masked whole, so a secret split over two Write calls is
// still found. Call Flush to pass on an unfinished last line.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	m   *Masker
	buf []byte
}

// NewWriter masks with m (nil: the grammar only) everything written to w.
func NewWriter(w io.Writer, m *Masker) *Writer { return &Writer{w: w, m: m} }

// Write masks every complete line of p and keeps the rest for later. It
// reports len(p) written unless w fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	i := bytes.LastIndexByte(w.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	lines := w.buf[:i+1]
	rest := append([]byte(nil), w.buf[i+1:]...)
	w.buf = rest
	if _, err := io.WriteString(w.w, w.m.Text(string(lines))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush masks and writes a last line that has no newline yet.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return nil
	}
	s := w.m.Text(string(w.buf))
	w.buf = w.buf[:0]
	_, err := io.WriteString(w.w, s)
	return err
}

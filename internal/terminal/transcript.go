package terminal

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/pinready/pinready/internal/redact"
)

// maxLines bounds the lines kept in memory: a command that prints for ever
// must not grow pinready without bound. The oldest are dropped (their
// credentials and URLs were found as they came).
const maxLines = 2000

// maxLineBytes bounds one line: a command that never prints a newline.
const maxLineBytes = 64 << 10

// transcript is the command's output as lines of text, as a person reads
// them: escape sequences removed, a carriage return starting the line over.
// Lines are kept raw and masked only when handed out, so a secret learned
// later is hidden in them too.
type transcript struct {
	m         *redact.Masker
	partial   []byte
	lines     []rawLine
	dropped   int
	n         int // lines completed so far
	lastWrite time.Time
	opened    []Opened
	printed   []Printed
}

type rawLine struct {
	text string
	at   time.Time
}

// Line is a line of the command's output, masked.
type Line struct {
	N    int       `json:"n"` // from 1, in the command's whole output
	Text string    `json:"text"`
	At   time.Time `json:"-"`
}

// Printed is a credential the command printed in clear.
type Printed struct {
	Line    int    // its line of the output
	Rule    string // the redact rule that matched ("pinterest-token", "secret", …)
	Excerpt string // the line, masked
}

func (t *transcript) write(p []byte, at time.Time) {
	t.lastWrite = at
	for len(p) > 0 {
		i := strings.IndexByte(string(p), '\n')
		if i < 0 {
			t.partial = append(t.partial, p...)
			if len(t.partial) > maxLineBytes {
				t.complete(at)
			}
			return
		}
		t.partial = append(t.partial, p[:i]...)
		p = p[i+1:]
		t.complete(at)
	}
}

// flush ends the last line when the command ends without a newline.
func (t *transcript) flush(at time.Time) {
	if len(t.partial) > 0 {
		t.complete(at)
	}
}

func (t *transcript) complete(at time.Time) {
	text := plain(t.partial)
	t.partial = t.partial[:0]
	t.n++
	t.lines = append(t.lines, rawLine{text: text, at: at})
	if len(t.lines) > maxLines {
		t.lines = t.lines[1:]
		t.dropped++
	}
	t.scan(text, t.n, at)
}

// plain is a line as a terminal shows it: no escape sequences, and a
// carriage return (a progress bar redrawn) keeps what was written last.
func plain(raw []byte) string {
	s := ansi.Strip(string(raw))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if i := strings.LastIndexByte(strings.TrimRight(s, "\r"), '\r'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimRight(s, "\r")
}

// urlPattern finds URLs in a line of output.
var urlPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`https?://[^\s"'<>` + "`" + `]+`) })

// scan finds the URLs and the credentials in a completed line.
func (t *transcript) scan(text string, n int, at time.Time) {
	for _, u := range printedURLs(text) {
		t.opened = append(t.opened, Opened{URL: u, Via: "printed", Line: n, At: at})
	}
	for _, m := range t.m.FindPrinted(text) {
		if len(t.printed) < 50 {
			t.printed = append(t.printed, Printed{Line: n, Rule: m.Rule, Excerpt: clip(t.m.Text(text), 200)})
		}
	}
}

func printedURLs(text string) []string {
	var out []string
	for _, u := range urlPattern().FindAllString(text, -1) {
		// Prose around a URL: "(see https://…)." or "https://…,".
		out = append(out, strings.TrimRight(u, ".,;:!?)]}"))
	}
	return out
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Lines returns the command's output so far, masked, with the line being
// written last (if any); at most max lines, the last ones (max <= 0: all
// that are kept).
func (s *Session) Lines(max int) []Line {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.log
	var out []Line
	for i, l := range t.lines {
		out = append(out, Line{N: t.dropped + i + 1, Text: s.m.Text(l.text), At: l.at})
	}
	if len(t.partial) > 0 {
		out = append(out, Line{N: t.n + 1, Text: s.m.Text(plain(t.partial)), At: t.lastWrite})
	}
	if max > 0 && len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

// Pending is the line the command is writing and has not ended, raw (it
// may hold a secret: compare it, never write it out): a prompt waiting for
// an answer.
func (s *Session) Pending() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return plain(s.log.partial)
}

// Quiet is how long the command has printed nothing.
func (s *Session) Quiet() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log.lastWrite.IsZero() {
		return 0
	}
	return time.Since(s.log.lastWrite)
}

// Opened returns the URLs the command asked the system to open or printed,
// in the order they came, raw. A URL at the end of a line still being written counts once
// the command has been quiet for settle: the URL may not be whole before.
func (s *Session) Opened(settle time.Duration) []Opened {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append(s.shims.urls(), s.log.opened...)
	if len(s.log.partial) > 0 && time.Since(s.log.lastWrite) >= settle {
		for _, u := range printedURLs(plain(s.log.partial)) {
			out = append(out, Opened{URL: u, Via: "printed", Line: s.log.n + 1, At: s.log.lastWrite})
		}
	}
	// A shim's URL reaches pinready through the FIFO a little after the
	// command printed what follows it.
	slices.SortStableFunc(out, func(a, b Opened) int { return a.At.Compare(b.At) })
	return out
}

// Printed returns the credentials the command printed in clear, with
// their lines.
func (s *Session) Printed() []Printed {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]Printed(nil), s.log.printed...)
	if len(s.log.partial) > 0 {
		// A prompt that shows a token ("Token: pina_… [y/N]") counts too.
		text := plain(s.log.partial)
		for _, m := range s.m.FindPrinted(text) {
			out = append(out, Printed{Line: s.log.n + 1, Rule: m.Rule, Excerpt: clip(s.m.Text(text), 200)})
		}
	}
	return out
}

// FindLine returns the first line of the output (the pending one included)
// that match reports true for, masked; ok is false when none does.
func (s *Session) FindLine(match func(raw string) bool) (Line, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.log
	for i, l := range t.lines {
		if match(l.text) {
			return Line{N: t.dropped + i + 1, Text: s.m.Text(l.text), At: l.at}, true
		}
	}
	if p := plain(t.partial); p != "" && match(p) {
		return Line{N: t.n + 1, Text: s.m.Text(p), At: t.lastWrite}, true
	}
	return Line{}, false
}

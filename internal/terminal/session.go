// Package terminal runs a command the way its developer runs it in a
// terminal: in a pseudo-terminal of a fixed size, in a process group of its
// own, with a terminal emulator keeping the screen as a person would see it.
//
// It is how pinready drives an app with no web page (oauth.command): the
// command opens Pinterest's authorize page in "the browser" — the shims
// of shims.go hand that URL to pinready instead — or prints it; pinready
// drives the consent in its own Chromium, and the redirect reaches the
// command's loopback listener. Meanwhile the Session keeps the command's
// output as numbered lines (transcript.go), finds the credentials it
// prints, and gives masked snapshots of its screen for the video
// (screen.go). Nothing it hands out holds a secret: every snapshot and
// every line goes through the run's redact.Masker.
package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"github.com/pinready/pinready/internal/redact"
)

// Default size of the terminal, in cells: what fits a 1080p frame at a
// size a reviewer reads without effort, and wide enough that most lines of
// a script's output do not wrap.
const (
	DefaultCols = 100
	DefaultRows = 28
)

// Options say what to run and how.
type Options struct {
	Argv []string // the program and its arguments
	Dir  string   // working directory; "" is pinready's own
	// Env is added to pinready's environment (NAME=value).
	Env        []string
	Cols, Rows int // default DefaultCols x DefaultRows
	// Masker hides the run's secrets in every snapshot and line handed out
	// (nil: the token grammar only). The session adds nothing to it.
	Masker *redact.Masker
}

// Session is one command in its terminal. Create it with New, show what a
// person types with Show, then Start the command; Stop ends it. Its methods
// are safe for concurrent use.
type Session struct {
	o     Options
	m     *redact.Masker
	shims *shims
	// changed is signalled (never blocks) when the screen, the lines, the
	// URLs or the process change: a waiter looks again.
	changed chan struct{}

	mu    sync.Mutex
	emu   *vt.Emulator
	title string
	log   transcript
	ptmx  *os.File
	// input is ptmx for the writers that must not wait for mu:
	// answerQueries runs while a Write to the emulator holds mu and waits
	// for it.
	input    atomic.Pointer[os.File]
	cmd      *exec.Cmd
	started  time.Time
	startErr error
	exited   chan struct{} // closed when the process has exited and its output is read
	status   Status
	stopOnce sync.Once
}

// Status is how the command ended.
type Status struct {
	Exited bool   // false while it runs, or when it could not start
	Code   int    // exit code; -1 when a signal ended it
	Signal string // "killed", "terminated", … when a signal ended it
	// StoppedBy is set when pinready ended the command (Stop).
	StoppedBy bool
}

func (s Status) String() string {
	switch {
	case !s.Exited:
		return "still running"
	case s.Signal != "" && s.StoppedBy:
		return "ended by pinready (" + s.Signal + ")"
	case s.Signal != "":
		return "ended by a signal (" + s.Signal + ")"
	}
	return fmt.Sprintf("exit status %d", s.Code)
}

// New prepares the terminal and the URL shims; nothing runs yet.
func New(o Options) (*Session, error) {
	if len(o.Argv) == 0 || o.Argv[0] == "" {
		return nil, errors.New("terminal: no command to run")
	}
	if o.Cols <= 0 {
		o.Cols = DefaultCols
	}
	if o.Rows <= 0 {
		o.Rows = DefaultRows
	}
	m := o.Masker
	if m == nil {
		m = redact.NewMasker()
	}
	s := &Session{o: o, m: m, changed: make(chan struct{}, 1), exited: make(chan struct{}),
		emu: vt.NewEmulator(o.Cols, o.Rows)}
	sh, err := newShims(s.signal)
	if err != nil {
		return nil, err
	}
	s.shims = sh
	s.log.m = m
	s.emu.SetScrollbackSize(200)
	s.emu.SetCallbacks(vt.Callbacks{Title: func(t string) { s.title = t }}) // called under s.mu, from Write
	go s.answerQueries()
	return s, nil
}

// Changed is signalled whenever something new can be read: a screen
// change, a line, a URL, the end of the process.
func (s *Session) Changed() <-chan struct{} { return s.changed }

func (s *Session) signal() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Show writes text onto the screen as if the terminal had echoed it: the
// prompt, and the command as a person types it, before Start. It is not
// part of the command's output.
func (s *Session) Show(text string) {
	s.mu.Lock()
	s.emu.WriteString(text)
	s.mu.Unlock()
	s.signal()
}

// Start runs the command. An error means it could not start at all (no
// such program, not executable); Status then stays not exited.
func (s *Session) Start() error {
	o := s.o
	cmd := exec.Command(o.Argv[0], o.Argv[1:]...)
	cmd.Dir = o.Dir
	cmd.Env = s.environ()
	s.mu.Lock()
	defer s.mu.Unlock()
	// Setsid makes the command the leader of a session and a process group
	// of its own, with the pty as its controlling terminal: Stop ends the
	// whole group (a backgrounded `open … &`, nc, a server it forked).
	ptmx, err := pty.StartWithAttrs(cmd, &pty.Winsize{Cols: uint16(o.Cols), Rows: uint16(o.Rows)},
		&syscall.SysProcAttr{Setsid: true, Setctty: true})
	if err != nil {
		s.startErr = err
		close(s.exited)
		s.signal()
		return fmt.Errorf("start %s: %w", o.Argv[0], err)
	}
	s.ptmx, s.cmd, s.started = ptmx, cmd, time.Now()
	s.input.Store(ptmx)
	read := make(chan struct{})
	go s.read(ptmx, read)
	go s.wait(cmd, read)
	return nil
}

// environ is pinready's environment, the command's oauth.env, and the
// shims: first on PATH and as $BROWSER, so whatever way the command asks
// the system to open a URL, pinready gets it.
func (s *Session) environ() []string {
	env := os.Environ()
	env = append(env, s.o.Env...)
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	if path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	return append(env,
		"PATH="+s.shims.dir+string(os.PathListSeparator)+path,
		"BROWSER="+s.shims.browser,
		"TERM=xterm-256color",
		fmt.Sprintf("COLUMNS=%d", s.o.Cols), fmt.Sprintf("LINES=%d", s.o.Rows),
	)
}

// read feeds the command's output to the emulator and the transcript
// until the pty closes.
func (s *Session) read(ptmx *os.File, done chan<- struct{}) {
	defer close(done)
	buf := make([]byte, 32<<10)
	for {
		n, err := ptmx.Read(buf)
		if n > 0 {
			s.mu.Lock()
			s.emu.Write(buf[:n])
			s.log.write(buf[:n], time.Now())
			s.mu.Unlock()
			s.signal()
		}
		if err != nil {
			return
		}
	}
}

// drainAfterExit bounds how long the output is read after the process
// exits: a background child that keeps the pty open (nc waiting for the
// browser to hang up) must not hold the session.
const drainAfterExit = 2 * time.Second

func (s *Session) wait(cmd *exec.Cmd, read <-chan struct{}) {
	err := cmd.Wait()
	select {
	case <-read:
	case <-time.After(drainAfterExit):
	}
	s.shims.collect() // what its shims handed over before it exited
	st := Status{Exited: true, Code: -1}
	if ps := cmd.ProcessState; ps != nil {
		st.Code = ps.ExitCode()
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			st.Signal = signalName(ws.Signal())
		}
	} else if err != nil {
		st.Signal = err.Error()
	}
	s.mu.Lock()
	s.log.flush(time.Now())
	st.StoppedBy = s.status.StoppedBy
	s.status = st
	s.mu.Unlock()
	close(s.exited)
	s.signal()
}

func signalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGKILL:
		return "killed"
	case syscall.SIGTERM:
		return "terminated"
	case syscall.SIGHUP:
		return "hangup"
	case syscall.SIGINT:
		return "interrupted"
	}
	return sig.String()
}

// Exited is closed when the command has exited (or could not start) and
// its output has been read.
func (s *Session) Exited() <-chan struct{} { return s.exited }

// Status says whether and how the command ended.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// StartError is why the command could not start; nil when it did.
func (s *Session) StartError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startErr
}

// stopGrace is how long the command has to end after SIGTERM before its
// process group is killed.
const stopGrace = 1500 * time.Millisecond

// Stop ends the command and every process of its group (SIGHUP and SIGTERM,
// then SIGKILL after stopGrace), closes the terminal and removes the shims.
// It returns within a few seconds whatever the command does, and is safe to
// call more than once.
func (s *Session) Stop() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		cmd, ptmx := s.cmd, s.ptmx
		if cmd != nil && !s.status.Exited {
			s.status.StoppedBy = true
		}
		s.mu.Unlock()
		if cmd != nil && cmd.Process != nil {
			pgid := cmd.Process.Pid
			// The group, even when its leader has exited: a child it left
			// behind (nc, a server) is still in it.
			syscall.Kill(-pgid, syscall.SIGHUP)
			syscall.Kill(-pgid, syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(stopGrace):
			}
			syscall.Kill(-pgid, syscall.SIGKILL)
			select {
			case <-s.exited:
			case <-time.After(stopGrace):
			}
		}
		if ptmx != nil {
			ptmx.Close()
		}
		s.shims.close()
		s.emu.Close()
	})
}

// Wait waits until the command exits, ctx ends or Stop is called.
func (s *Session) Wait(ctx context.Context) error {
	select {
	case <-s.exited:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// answerQueries sends the command the emulator's answers to its queries
// (cursor position, device attributes), as a terminal does: a program that
// asks where the cursor is would otherwise wait for ever.
func (s *Session) answerQueries() {
	buf := make([]byte, 1024)
	for {
		n, err := s.emu.Read(buf)
		if p := s.input.Load(); n > 0 && p != nil {
			p.Write(buf[:n])
		}
		if err != nil {
			return // the emulator closed (Stop)
		}
	}
}

// Type sends text to the command as if typed on its keyboard.
func (s *Session) Type(text string) error {
	p := s.input.Load()
	if p == nil {
		return errors.New("the command is not running")
	}
	_, err := io.WriteString(p, text)
	return err
}

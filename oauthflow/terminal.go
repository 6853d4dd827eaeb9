package oauthflow

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/terminal"
)

// The terminal flow (oauth.command): an app with no web page, whose only
// user is its author, runs the OAuth flow from a script. Pinterest accepts
// a recording of it (KNOWLEDGE.md, "Apps with one user"). pinready runs the
// command in a terminal (internal/terminal), takes the authorize URL it
// opens or prints, drives the consent in Chromium as for a web app, lets
// the redirect reach the command's own loopback listener, and watches the
// command exchange the code and print what it read from the API.

// TerminalObserver is an Observer that also shows the command's terminal
// (demo.Recorder): the video draws a terminal window beside the browser.
type TerminalObserver interface {
	VideoObserver
	// TerminalScreen is what the terminal shows now (masked); the window
	// shows the latest screen whether it is in front or not.
	TerminalScreen(s *terminal.Screen)
	// ShowTerminal brings the terminal window, titled title, to the front
	// until the next Tab call brings a browser tab there.
	ShowTerminal(title string)
	// HighlightTerminal outlines cells [x0, x1) of row y of the terminal,
	// as Highlight outlines a control; a new step removes it.
	HighlightTerminal(y, x0, x1 int)
}

// TerminalRun is what the command of a terminal flow did.
type TerminalRun struct {
	Command string `json:"command"` // as shown typed at the prompt, masked
	Dir     string `json:"dir"`     // the folder it ran in
	Size    string `json:"size"`    // the terminal, COLSxROWS
	// Opened are the URLs the command asked the system to open (Via names
	// the shim: xdg-open, open, $BROWSER…) or printed (Via "printed"), masked.
	Opened []OpenedURL `json:"opened,omitempty"`
	// Exit is how it ended: "exit status 0", "ended by pinready (killed)",
	// "did not start: …".
	Exit     string `json:"exit"`
	ExitCode *int   `json:"exit_code,omitempty"`
	// Prompt is a password prompt the command showed, masked: pinready
	// never answers one, and an app must not ask for a Pinterest password.
	Prompt *TerminalPrompt `json:"prompt,omitempty"`
	// Lines are its output, masked: the last MaxTerminalLines.
	Lines []terminal.Line `json:"lines"`
}

// MaxTerminalLines bounds the output a trace keeps.
const MaxTerminalLines = 300

// OpenedURL is a URL the command opened or printed.
type OpenedURL struct {
	URL  string `json:"url"`
	Via  string `json:"via"`
	Line int    `json:"line,omitempty"`
}

// TerminalPrompt is a prompt for a secret.
type TerminalPrompt struct {
	Line int    `json:"line"`
	Text string `json:"text"`
	Step string `json:"step"` // the step it was shown in
}

// terminalTab stands for the terminal where a step's record names its tab.
var terminalTab = &tab{name: "terminal"}

// urlSettle is how long a URL printed at the end of an unfinished line must
// stay unchanged before it is taken as whole.
const urlSettle = 300 * time.Millisecond

// connectTerminal runs the whole terminal flow once: the command, its
// authorize URL, consent, callback, the command's live data, its end.
func (d *driver) connectTerminal() error {
	cfg := d.cfg.OAuth
	env, missing := d.commandEnv()
	shown := d.m.mask(commandLine(cfg.Command))
	dir := d.commandDir()
	sess, err := terminal.New(terminal.Options{Argv: cfg.Command, Dir: dir, Env: env, Masker: &d.m.r})
	if err != nil {
		return &checks.CannotRunError{What: "prepare the terminal for oauth.command", Err: err}
	}
	defer sess.Stop()
	sc := sess.Snapshot()
	d.mu.Lock()
	d.tr.Terminal = &TerminalRun{Command: shown, Dir: d.m.mask(dir), Size: fmt.Sprintf("%dx%d", sc.Cols, sc.Rows)}
	d.mu.Unlock()
	defer d.finishTerminal(sess)
	stopMirror := d.mirror(sess)
	defer stopMirror()

	tv := d.termVideo()
	if tv != nil {
		tv.ShowTerminal(shown)
	}
	d.setTiming(func(t *Timing) { t.SetupMS = since(d.started) })
	d.begin(terminalTab, "run", "Run "+clipWords(shown, 80))
	d.typeCommand(sess, promptFor(dir), shown)
	if missing != "" {
		d.stallTerminal(sess, "%s", missing)
		return nil
	}
	if err := sess.Start(); err != nil {
		d.stallTerminal(sess, "could not start the command: %v", err)
		return nil
	}
	d.termMoment(sess, "")

	raw, ok := d.awaitAuthorizeURL(sess)
	if !ok {
		return nil
	}
	// The moment the script opens the browser, in the terminal; then
	// Pinterest's consent, in the browser, as for a web app.
	d.begin(terminalTab, "connect", "The script opens Pinterest's authorize page in the browser")
	d.termMoment(sess, "")
	bc, err := d.o.Browser.NewContext(nil)
	if err != nil {
		return &checks.CannotRunError{What: "open a browser context for the OAuth flow", Err: err}
	}
	from := len(d.tabs)
	main, err := d.openTab(bc, "tab")
	if err != nil {
		bc.Close()
		return &checks.CannotRunError{What: "open a browser tab for the OAuth flow", Err: err}
	}
	defer func() {
		start := time.Now()
		d.drainNetwork()
		d.closeTabs(bc, from)
		d.setTiming(func(t *Timing) { t.CloseMS = since(start) })
	}()
	if d.obs != nil {
		if err := d.obs.Tab(main.ctx); err != nil {
			return &checks.CannotRunError{What: "start recording the OAuth flow", Err: err}
		}
	}
	d.recordAuthorize(raw, main.name)
	if err := d.navigate(main, raw); err != nil {
		d.stall(main, "could not open the authorize URL the command opened: %v", err)
		return nil
	}
	d.record(main) // the step was pictured in the terminal, and held there
	if _, ok := d.consentAndApprove(main, main); !ok {
		return nil
	}
	d.afterCallback(sess)
	return nil
}

// commandEnv is oauth.env as NAME=value, with value_env read from
// pinready's environment and registered as secrets, with the forms a
// script may print them in (HTTP Basic auth of the app id and the
// secret). missing says which value_env is unset.
func (d *driver) commandEnv() (env []string, missing string) {
	for _, e := range d.cfg.OAuth.Env {
		v := e.Value
		if e.ValueEnv != "" {
			v = d.o.Getenv(e.ValueEnv)
			if v == "" && missing == "" {
				missing = fmt.Sprintf("%s: the environment variable %s is empty or unset", e.Field, e.ValueEnv)
			}
			d.secret(v)
			if id := d.cfg.App.ID; id != "" && v != "" {
				basic := base64.StdEncoding.EncodeToString([]byte(id + ":" + v))
				d.secret(basic)
				d.secret(strings.TrimRight(basic, "="))
			}
		}
		env = append(env, e.Name+"="+v)
	}
	return env, missing
}

// secret registers a value no output may show.
func (d *driver) secret(v string) {
	if v == "" {
		return
	}
	d.m.add(v)
	if d.obs != nil {
		d.obs.Secret(v)
	}
}

// commandDir is the config file's folder: where the command runs.
func (d *driver) commandDir() string {
	if d.cfg.File == "" {
		return "."
	}
	dir, err := filepath.Abs(filepath.Dir(d.cfg.File))
	if err != nil {
		return filepath.Dir(d.cfg.File)
	}
	return dir
}

// promptFor is the shell prompt the video shows: the folder's name only
// (a home folder's path would say who the developer is).
func promptFor(dir string) string {
	return filepath.Base(dir) + " $ "
}

// commandLine is argv as a person would type it at a shell.
func commandLine(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = shellWord(a)
	}
	return strings.Join(parts, " ")
}

var plainWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`) })

func shellWord(s string) string {
	if plainWord().MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// typeDelay is the time between two keystrokes of the command typed at the
// prompt in a recording, and maxTyping the most the whole line may take.
const (
	typeDelay = 45 * time.Millisecond
	maxTyping = 2500 * time.Millisecond
)

// typeCommand shows the prompt and the command typed at it, key by key when
// recording, and the Enter that runs it.
func (d *driver) typeCommand(sess *terminal.Session, prompt, line string) {
	sess.Show("\x1b[1;32m" + prompt + "\x1b[0m")
	if d.termVideo() == nil {
		sess.Show(line + "\r\n")
		return
	}
	sleep(d.parent, d.o.Pace/3)
	runes := []rune(line)
	delay := min(typeDelay, maxTyping/time.Duration(max(1, len(runes))))
	for _, r := range runes {
		sess.Show(string(r))
		if sleep(d.parent, delay) != nil {
			break
		}
	}
	sleep(d.parent, d.o.Pace/3)
	sess.Show("\r\n")
}

// termVideo is the observer as a TerminalObserver, when recording.
func (d *driver) termVideo() TerminalObserver {
	if d.quiet {
		return nil
	}
	v, _ := d.obs.(TerminalObserver)
	return v
}

// mirrorEvery is the least time between two screens sent to the video:
// fifteen a second follow typing and output smoothly, and each screen is a
// masked copy of every cell.
const mirrorEvery = 66 * time.Millisecond

// mirror wakes the flow's waits whenever the terminal changes, and hands
// the recorder the terminal's screen, at most one a frame. It returns the
// function that stops it.
func (d *driver) mirror(sess *terminal.Session) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	tv := d.termVideo()
	go func() {
		defer close(finished)
		var last time.Time
		for {
			select {
			case <-done:
				return
			case <-sess.Changed():
			}
			d.nudge()
			if tv == nil {
				continue
			}
			if wait := mirrorEvery - time.Since(last); wait > 0 {
				select {
				case <-done:
					return
				case <-time.After(wait):
				}
			}
			last = time.Now()
			tv.TerminalScreen(sess.Snapshot())
		}
	}()
	return func() {
		close(done)
		<-finished
		if tv != nil {
			tv.TerminalScreen(sess.Snapshot()) // the last screen, whatever the throttle held back
		}
	}
}

// termMoment pictures the current step in the terminal, with the text hl
// outlined where the screen shows it ("" for none), and holds it.
func (d *driver) termMoment(sess *terminal.Session, hl string) {
	tv := d.termVideo()
	if tv == nil {
		return
	}
	sleep(d.parent, restTime)
	if hl != "" {
		sc := sess.Snapshot()
		tv.TerminalScreen(sc)
		if y, x0, x1, ok := findOnScreen(sc, hl); ok {
			tv.HighlightTerminal(y, x0, x1)
			sleep(d.parent, restTime)
		}
	}
	tv.Moment()
	d.hold()
}

// findOnScreen finds the last row of the screen that shows text (masked,
// as the screen is), trailing blanks ignored.
func findOnScreen(sc *terminal.Screen, text string) (y, x0, x1 int, ok bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, 0, 0, false
	}
	rows := strings.Split(strings.TrimSuffix(sc.Text(), "\n"), "\n")
	for y := len(rows) - 1; y >= 0; y-- {
		if i := strings.Index(rows[y], text); i >= 0 {
			x0 := len([]rune(rows[y][:i]))
			return y, x0, min(sc.Cols, x0+len([]rune(text))), true
		}
	}
	return 0, 0, 0, false
}

// passwordPrompt is a prompt for a secret at the end of a line being
// written: "Password:", "Pinterest password: ", "Enter your password >".
var passwordPrompt = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(password|passwd|passcode|passphrase|mot de passe|contraseña|passwort|senha|パスワード|密码)[^\n]{0,40}[:?>]\s*$`)
})

// promptShown reports a password prompt the command shows and waits at;
// it records it in the trace once.
func (d *driver) promptShown(sess *terminal.Session, step string) bool {
	if sess.Quiet() < urlSettle {
		return false
	}
	p := sess.Pending()
	if !passwordPrompt().MatchString(p) {
		return false
	}
	lines := sess.Lines(1)
	d.mu.Lock()
	if d.tr.Terminal.Prompt == nil && len(lines) > 0 {
		d.tr.Terminal.Prompt = &TerminalPrompt{Line: lines[0].N, Text: clip(strings.TrimSpace(lines[0].Text), 160), Step: step}
	}
	d.mu.Unlock()
	return true
}

// awaitAuthorizeURL waits for the command to open or print Pinterest's
// authorize URL. It stalls the flow, saying why, when the command ends
// first, asks for a password, opens only other sites, or does nothing
// within the timeout.
func (d *driver) awaitAuthorizeURL(sess *terminal.Session) (string, bool) {
	d.mu.Lock()
	d.step = "connect"
	d.mu.Unlock()
	ctx, cancel := context.WithTimeout(d.parent, d.o.Timeout)
	defer cancel()
	for {
		var others []string
		for _, o := range sess.Opened(urlSettle) {
			if d.isAuthorize(o.URL) {
				return o.URL, true
			}
			if o.Via != "printed" { // a printed URL is often a log line ("POST …/v5/oauth/token")
				others = append(others, o.URL)
			}
		}
		exited := false
		select {
		case <-sess.Exited():
			exited = true
		default:
		}
		switch {
		case exited:
			// The URL may have come with its last words: look once more.
			for _, o := range sess.Opened(0) {
				if d.isAuthorize(o.URL) {
					return o.URL, true
				}
			}
			d.begin(terminalTab, "connect", "The script opens Pinterest's authorize page in the browser")
			d.stallTerminal(sess, "the command ended (%s) before it opened %s%s", sess.Status(), d.cfg.OAuth.AuthorizeURL, d.otherSites(others))
			return "", false
		case d.promptShown(sess, "run"):
			d.begin(terminalTab, "connect", "The script opens Pinterest's authorize page in the browser")
			d.stallTerminal(sess, "the command asks for a password in the terminal before Pinterest's authorize page; pinready never types one")
			return "", false
		}
		if err := d.pause(ctx); err != nil {
			if d.parent.Err() != nil {
				return "", false
			}
			d.begin(terminalTab, "connect", "The script opens Pinterest's authorize page in the browser")
			d.stallTerminal(sess, "the command did not open %s within %s (it is %s)%s", d.cfg.OAuth.AuthorizeURL, d.o.Timeout, sess.Status(), d.otherSites(others))
			return "", false
		}
	}
}

// otherSites names what the command opened instead of Pinterest.
func (d *driver) otherSites(urls []string) string {
	if len(urls) == 0 {
		return ""
	}
	var shown []string
	for _, u := range urls[:min(3, len(urls))] {
		shown = append(shown, checks.Shorten(d.m.mask(u), 80))
	}
	return "; it opened " + strings.Join(shown, ", ") + " instead"
}

// afterCallback watches the command after Pinterest sent the browser back:
// it receives the code, exchanges it, reads the API and prints what it read.
func (d *driver) afterCallback(sess *terminal.Session) {
	tv := d.termVideo()
	if tv != nil {
		tv.ShowTerminal(d.tr.Terminal.Command)
	}
	d.mu.Lock()
	cb := d.tr.Callback
	d.mu.Unlock()
	where := "its redirect URI"
	if u, err := url.Parse(cb.URL); err == nil && u.Host != "" {
		where = u.Host
	}
	caption := "The script received the code on " + where
	if cb.Status == 0 {
		caption = "Pinterest sent the code to " + where
	}
	d.begin(terminalTab, "exchange", caption)
	d.termMoment(sess, "")

	text, pattern := d.cfg.OAuth.SuccessText, d.cfg.OAuth.SuccessPattern
	proof := ""
	var match func(string) bool
	switch {
	case text != "":
		proof = fmt.Sprintf("text %q", text)
		match = func(l string) bool { return strings.Contains(l, text) }
	case pattern != "":
		proof = fmt.Sprintf("pattern %q", pattern)
		re, _ := checks.Regexp(pattern) // validated with the config
		match = re.MatchString
	}
	d.mu.Lock()
	d.tr.Success.Proof = proof
	d.mu.Unlock()
	if match == nil {
		d.awaitExit(sess, "exchange")
		return
	}
	// The exchange step goes on until the data shows: the live-data step's
	// caption quotes it.
	ctx, cancel := context.WithTimeout(d.parent, d.o.Timeout)
	defer cancel()
	for {
		if l, ok := sess.FindLine(match); ok {
			line := strings.TrimSpace(l.Text)
			d.begin(terminalTab, "live-data", "The script shows live data from the Pinterest API: "+clipWords(line, 70))
			d.mu.Lock()
			d.tr.Success.Found = true
			d.tr.Success.Excerpt = fmt.Sprintf("line %d: %s", l.N, clip(line, 200))
			d.mu.Unlock()
			d.termMoment(sess, line)
			d.awaitExit(sess, "")
			return
		}
		select {
		case <-sess.Exited():
			if _, ok := sess.FindLine(match); ok {
				continue
			}
			d.stallTerminal(sess, "after the callback the command ended (%s) without printing %s", sess.Status(), proof)
			return
		default:
		}
		if d.promptShown(sess, "exchange") {
			d.stallTerminal(sess, "after the callback the command asks for a password in the terminal; pinready never types one")
			return
		}
		if err := d.pause(ctx); err != nil {
			if d.parent.Err() == nil {
				d.stallTerminal(sess, "after the callback the command printed no %s within %s (it is %s)", proof, d.o.Timeout, sess.Status())
			}
			return
		}
	}
}

// exitAfterProof bounds the wait for a command to end once it has shown
// its live data: one that goes on (a bot that now posts on a schedule) is
// ended by pinready, which is not a finding.
const exitAfterProof = 5 * time.Second

// awaitExit waits for the command to end. With stallStep set (no proof of
// live data is configured), ending in failure or not ending within the
// timeout stalls the flow; otherwise the command is given exitAfterProof.
func (d *driver) awaitExit(sess *terminal.Session, stallStep string) {
	budget := exitAfterProof
	if stallStep != "" {
		budget = d.o.Timeout
	}
	ctx, cancel := context.WithTimeout(d.parent, budget)
	defer cancel()
	select {
	case <-sess.Exited():
	case <-ctx.Done():
	}
	st := sess.Status()
	if stallStep != "" && d.parent.Err() == nil {
		switch {
		case !st.Exited:
			d.stallTerminal(sess, "after the callback the command did not end within %s", d.o.Timeout)
			return
		case st.Code != 0:
			d.stallTerminal(sess, "after the callback the command ended with %s", st)
			return
		}
	}
	d.hold() // the last screen stays on the video
}

// stallTerminal records where a terminal flow stopped, with the command's
// state and last lines, so the finding tells the developer what their
// script said.
func (d *driver) stallTerminal(sess *terminal.Session, format string, args ...any) {
	if d.quiet {
		return
	}
	reason := fmt.Sprintf(format, args...)
	if last := lastWords(sess.Lines(4)); last != "" {
		reason += "; its last lines: " + last
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tr.Stalled = &Stall{Step: d.step, Tab: terminalTab.name, Reason: d.m.mask(reason)}
	if n := len(d.tr.Steps); n > 0 {
		d.tr.Steps[n-1].Error = d.tr.Stalled.Reason
	}
	if d.o.Progress != nil {
		fmt.Fprintf(d.o.Progress, "oauth: stopped at %s: %s\n", d.step, d.tr.Stalled.Reason)
	}
}

// lastWords quotes the last non-empty lines of output.
func lastWords(lines []terminal.Line) string {
	var out []string
	for _, l := range lines {
		if t := strings.TrimSpace(l.Text); t != "" {
			out = append(out, fmt.Sprintf("%q", clip(t, 120)))
		}
	}
	return strings.Join(out, " / ")
}

// finishTerminal ends the command (its whole process group) and records
// what it did: its URLs, how it ended, its output, what it printed in clear.
func (d *driver) finishTerminal(sess *terminal.Session) {
	sess.Stop()
	st := sess.Status()
	exit := st.String()
	if err := sess.StartError(); err != nil {
		exit = "did not start: " + err.Error()
	}
	run := TerminalRun{Exit: d.m.mask(exit), Lines: sess.Lines(MaxTerminalLines)}
	if st.Exited && st.Signal == "" {
		code := st.Code
		run.ExitCode = &code
	}
	for _, o := range sess.Opened(0) {
		run.Opened = append(run.Opened, OpenedURL{URL: d.m.mask(o.URL), Via: o.Via, Line: o.Line})
	}
	var exposures []Exposure
	for _, p := range sess.Printed() {
		exposures = append(exposures, Exposure{Where: "terminal", Line: p.Line, Pattern: p.Rule, Excerpt: p.Excerpt})
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.tr.Terminal
	run.Command, run.Dir, run.Size, run.Prompt = t.Command, t.Dir, t.Size, t.Prompt
	*t = run
	d.tr.Exposures = append(d.tr.Exposures, exposures...)
}

// secondTerminalConnect runs the command again up to its authorize URL,
// for --state-twice: a script's state must differ from run to run.
func (d *driver) secondTerminalConnect() error {
	d.quiet = true
	obs := d.obs
	d.obs = nil
	defer func() { d.quiet, d.obs = false, obs }()
	env, missing := d.commandEnv()
	if missing != "" {
		return nil
	}
	sess, err := terminal.New(terminal.Options{Argv: d.cfg.OAuth.Command, Dir: d.commandDir(), Env: env, Masker: &d.m.r})
	if err != nil {
		return &checks.CannotRunError{What: "prepare the terminal for a second run of oauth.command", Err: err}
	}
	defer sess.Stop()
	if sess.Start() != nil {
		return nil
	}
	stop := d.mirror(sess)
	defer stop()
	if raw, ok := d.awaitAuthorizeURL(sess); ok {
		d.recordAuthorize(raw, "terminal")
	}
	return nil
}

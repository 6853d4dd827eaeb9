package terminal

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/redact"
	"github.com/pinready/pinready/internal/testenv"
)

// run starts script (sh) in a session and returns it; the test stops it.
func run(t *testing.T, script string, o Options) *Session {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "flow.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	o.Argv, o.Dir = []string{"sh", path}, dir
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// waitFor waits, event by event, until cond holds or the command exits and
// it still does not.
func waitFor(t *testing.T, s *Session, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testenv.Hang)
	defer cancel()
	for !cond() {
		select {
		case <-s.Changed():
		case <-s.Exited():
			if !cond() {
				t.Fatalf("the command ended (%s) before %s; output:\n%s", s.Status(), what, s.Snapshot().Text())
			}
			return
		case <-ctx.Done():
			t.Fatalf("no %s; output:\n%s", what, s.Snapshot().Text())
		}
	}
}

func TestShimsCatchEveryWayOfOpeningAURL(t *testing.T) {
	s := run(t, `
xdg-open 'https://www.pinterest.test/oauth/?client_id=1&state=a'
open 'https://www.pinterest.test/oauth/?client_id=2'
"$BROWSER" 'https://www.pinterest.test/oauth/?client_id=3'
sensible-browser https://example.test/docs
echo "Open https://www.pinterest.test/oauth/?client_id=4&scope=boards:read, then come back."
echo done
`, Options{})
	waitFor(t, s, "exit", func() bool { return s.Status().Exited })
	want := []struct{ via, url string }{
		{"xdg-open", "https://www.pinterest.test/oauth/?client_id=1&state=a"},
		{"open", "https://www.pinterest.test/oauth/?client_id=2"},
		{"$BROWSER", "https://www.pinterest.test/oauth/?client_id=3"},
		{"sensible-browser", "https://example.test/docs"},
		{"printed", "https://www.pinterest.test/oauth/?client_id=4&scope=boards:read"},
	}
	got := s.Opened(0)
	if len(got) != len(want) {
		t.Fatalf("opened %d URLs, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Via != w.via || got[i].URL != w.url {
			t.Errorf("URL %d: %s %q, want %s %q", i, got[i].Via, got[i].URL, w.via, w.url)
		}
	}
	if st := s.Status(); st.Code != 0 || st.StoppedBy {
		t.Errorf("status %+v, want exit 0", st)
	}
	lines := s.Lines(0)
	if n := len(lines); n == 0 || lines[n-1].Text != "done" {
		t.Errorf("last line %+v, want done", lines)
	}
}

// Python's webbrowser runs $BROWSER and waits for it to exit before the
// script goes on to start its listener: the shim must return at once.
func TestPythonWebbrowserReturns(t *testing.T) {
	testenv.Program(t, "python3")
	s := run(t, `python3 -c '
import webbrowser
ok = webbrowser.open_new("https://www.pinterest.test/oauth/?client_id=9")
print("opened", ok)
'`, Options{})
	waitFor(t, s, "exit", func() bool { return s.Status().Exited })
	got := s.Opened(0)
	if len(got) != 1 || got[0].Via != "$BROWSER" {
		t.Fatalf("opened %+v, want one URL through $BROWSER", got)
	}
	if l := s.Lines(0); len(l) == 0 || l[len(l)-1].Text != "opened True" {
		t.Errorf("output %+v, want opened True", l)
	}
}

// A token printed in clear is never on a snapshot, even wrapped over two
// rows, and the line that printed it is reported.
func TestSecretsMaskedOnScreenAndReported(t *testing.T) {
	token := "pina_" + strings.Repeat("AbCdEfGh", 6)
	m := redact.NewMasker("s3cr3t-of-the-app")
	s := run(t, `
printf 'hashed access token: 1f2e3d\n'
printf 'clear text access token: `+token+`\n'
printf 'app secret \033[1ms3cr3t-of-the-app\033[0m\n'
`, Options{Cols: 40, Rows: 10, Masker: m})
	waitFor(t, s, "exit", func() bool { return s.Status().Exited })
	screen := s.Snapshot().Text()
	for _, part := range []string{token[:12], token[30:], "s3cr3t"} {
		if strings.Contains(screen, part) {
			t.Errorf("the screen shows %q:\n%s", part, screen)
		}
	}
	if !strings.Contains(screen, "clear text access token: ••") {
		t.Errorf("the screen lost the line's words:\n%s", screen)
	}
	printed := s.Printed()
	if len(printed) != 2 || printed[0].Line != 2 || printed[0].Rule != "pinterest-token" || printed[1].Line != 3 || printed[1].Rule != "secret" {
		t.Errorf("printed %+v, want lines 2 (token) and 3 (secret)", printed)
	}
	for _, l := range s.Lines(0) {
		if strings.Contains(l.Text, token[5:15]) || strings.Contains(l.Text, "s3cr3t") {
			t.Errorf("line %d shows a secret: %q", l.N, l.Text)
		}
	}
}

// Stop ends the whole process group, a child left in the background
// included, and removes the shims.
func TestStopEndsTheProcessGroup(t *testing.T) {
	s := run(t, `
sleep 600 &
echo "child $!"
trap '' TERM HUP
echo ready
while :; do sleep 1; done
`, Options{})
	waitFor(t, s, "ready", func() bool { _, ok := s.FindLine(func(l string) bool { return l == "ready" }); return ok })
	pgid := s.cmd.Process.Pid
	dir := s.shims.dir
	s.Stop()
	if st := s.Status(); !st.Exited || !st.StoppedBy || st.Signal != "killed" {
		t.Errorf("status %+v (%s), want killed by pinready", st, st)
	}
	if alive := liveInGroup(t, pgid); len(alive) > 0 {
		t.Errorf("process group %d still has live processes: %v", pgid, alive)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the shims folder %s is left behind", dir)
	}
}

// A program that asks the terminal where its cursor is gets an answer.
func TestQueriesAreAnswered(t *testing.T) {
	s := run(t, `
stty raw -echo
printf '\033[6n'
reply=$(dd bs=1 count=6 2>/dev/null)
stty sane
printf 'got %s\n' "$(printf '%s' "$reply" | tr -d '\033')"
`, Options{})
	// The answer is awaited as an event: dd blocks until it comes.
	waitFor(t, s, "the answer to the cursor query", func() bool {
		_, ok := s.FindLine(func(l string) bool { return strings.HasPrefix(l, "got ") })
		return ok
	})
	if l, _ := s.FindLine(func(l string) bool { return strings.HasPrefix(l, "got ") }); l.Text != "got [1;1R" {
		t.Errorf("the command read %q, want the cursor's position [1;1R", l.Text)
	}
}

func TestStartErrorForMissingProgram(t *testing.T) {
	s, err := New(Options{Argv: []string{"no-such-program-pinready"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.Start(); err == nil || !strings.Contains(err.Error(), "no-such-program-pinready") {
		t.Fatalf("Start = %v, want an error naming the program", err)
	}
	select {
	case <-s.Exited():
	default:
		t.Error("Exited is not closed after a failed start")
	}
}

// liveInGroup lists the processes of group pgid that are not zombies (a
// killed child is reaped by init in its own time).
func liveInGroup(t *testing.T, pgid int) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc to look for processes in")
	}
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp …: comm may hold spaces, so read after ")".
		i := strings.LastIndexByte(string(stat), ')')
		f := strings.Fields(string(stat)[i+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			out = append(out, e.Name()+" "+string(stat[:i+1]))
		}
	}
	return out
}

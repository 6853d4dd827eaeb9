package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcessesUsing returns the live processes whose command line mentions dir.
// Every Chromium process (browser, zygote, renderers) carries the
// --user-data-dir of its profile, so this finds all of one browser's
// processes, whoever their parent is now. Linux only (/proc); elsewhere none.
func ProcessesUsing(dir string) []int {
	if dir == "" {
		return nil
	}
	var pids []int
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range cmdlines {
		b, err := os.ReadFile(f)
		if err != nil || !mentions(string(b), dir) {
			continue
		}
		procDir := filepath.Dir(f)
		if stat, _ := os.ReadFile(filepath.Join(procDir, "stat")); isZombie(string(stat)) {
			continue
		}
		if pid, err := strconv.Atoi(filepath.Base(procDir)); err == nil && pid != os.Getpid() {
			pids = append(pids, pid)
		}
	}
	return pids
}

// mentions reports whether a command line names dir as a whole argument
// value or as a parent directory, so /tmp/x-12 never matches another run's
// /tmp/x-123. Arguments end in NUL, but Chromium's helpers (renderers, the
// GPU process, the zygote) rewrite their command line into one string with
// the arguments separated by spaces.
func mentions(cmdline, dir string) bool {
	for rest := cmdline; ; {
		i := strings.Index(rest, dir)
		if i < 0 {
			return false
		}
		rest = rest[i+len(dir):]
		if rest == "" || rest[0] == 0 || rest[0] == ' ' || rest[0] == '/' {
			return true
		}
	}
}

// isZombie reads the state field of /proc/PID/stat ("pid (comm) S ...").
func isZombie(stat string) bool {
	i := strings.LastIndexByte(stat, ')')
	return i >= 0 && len(stat) > i+2 && stat[i+2] == 'Z'
}

// reap waits briefly for the processes of a profile to end after the browser
// was stopped, then kills any that remain: when the browser process is killed
// (Ctrl-C), its helpers can outlive it for a moment and write into the profile.
func reap(dir string) {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if len(ProcessesUsing(dir)) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, pid := range ProcessesUsing(dir) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	for i := 0; i < 50 && len(ProcessesUsing(dir)) > 0; i++ {
		time.Sleep(20 * time.Millisecond)
	}
}

package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcessesUsing returns the live processes whose command line mentions
// dir, and the other processes of the process groups they lead. Full
// Chromium's processes all carry the --user-data-dir of their profile; the
// browser pinready starts leads a process group of its own (ownGroup),
// which the headless shell's helpers, whose command lines name no profile,
// join. So this finds all of one browser's processes while it runs,
// whoever their parent is now. Linux only (/proc); elsewhere none.
func ProcessesUsing(dir string) []int {
	if dir == "" {
		return nil
	}
	procs := processes()
	leaders := map[int]bool{}
	for _, p := range procs {
		if mentions(p.cmdline, dir) && p.pid == p.pgid {
			leaders[p.pid] = true
		}
	}
	var pids []int
	for _, p := range procs {
		if mentions(p.cmdline, dir) || leaders[p.pgid] {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// inGroup returns the live processes of the process group pgid (none for
// 0).
func inGroup(pgid int) []int {
	if pgid <= 0 {
		return nil
	}
	var pids []int
	for _, p := range processes() {
		if p.pgid == pgid {
			pids = append(pids, p.pid)
		}
	}
	return pids
}

// proc is what processes reads of one process.
type proc struct {
	pid, pgid int
	cmdline   string
}

// processes lists the live processes but this one, zombies left out.
func processes() []proc {
	var out []proc
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		stat, err := os.ReadFile(f)
		if err != nil || isZombie(string(stat)) {
			continue
		}
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err != nil || pid == os.Getpid() {
			continue
		}
		pgid, ok := statPgrp(string(stat))
		if !ok {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(filepath.Dir(f), "cmdline"))
		out = append(out, proc{pid: pid, pgid: pgid, cmdline: string(cmdline)})
	}
	return out
}

// statPgrp reads the process group, field 5 of /proc/PID/stat ("pid (comm)
// state ppid pgrp …").
func statPgrp(stat string) (int, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 3 {
		return 0, false
	}
	pgid, err := strconv.Atoi(f[2])
	return pgid, err == nil
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

// reap waits briefly for the processes list returns to end after the
// browser was stopped, then kills any that remain: when the browser
// process is killed (Ctrl-C), its helpers can outlive it for a moment and
// write into the profile.
func reap(list func() []int) {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if len(list()) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, pid := range list() {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	for i := 0; i < 50 && len(list()) > 0; i++ {
		time.Sleep(20 * time.Millisecond)
	}
}

// Processes returns the browser's live processes: those of its process
// group (every helper, whatever its command line) and any other that
// names its profile. It still answers after Close, for tests that look for
// leftovers.
func (b *Browser) Processes() []int {
	seen := map[int]bool{}
	var out []int
	for _, list := range [][]int{ProcessesUsing(b.profile), inGroup(b.pgid)} {
		for _, pid := range list {
			if !seen[pid] {
				seen[pid] = true
				out = append(out, pid)
			}
		}
	}
	return out
}

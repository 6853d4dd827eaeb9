package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// userHZ is the unit of the times in /proc/PID/stat: Linux exports them in
// USER_HZ, 100 a second on every architecture.
const userHZ = 100

// CPUTime is the CPU time (user and system) the browser's processes have
// used so far: each live process's own time and that of its children it
// has reaped (a renderer that exited counts in the zygote that forked it).
// The processes are the browser's process tree (the headless shell's
// helpers do not carry the profile on their command line), and any other
// process of its profile (one orphaned by a crash). Linux only (/proc);
// elsewhere 0. Call it before Close: once the browser is gone, its
// processes' times are gone with it.
func (b *Browser) CPUTime() time.Duration {
	pids := map[int]bool{}
	if c := chromedp.FromContext(b.ctx); c != nil && c.Browser != nil {
		if p := c.Browser.Process(); p != nil {
			pids[p.Pid] = true
			for _, d := range descendants(p.Pid) {
				pids[d] = true
			}
		}
	}
	for _, pid := range ProcessesUsing(b.profile) {
		pids[pid] = true
	}
	var total time.Duration
	for pid := range pids {
		stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err == nil {
			total += statCPU(string(stat))
		}
	}
	return total
}

// descendants lists the live processes below root, from the parent links
// of /proc/PID/stat.
func descendants(root int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if ppid, ok := statPPID(string(b)); ok {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	for queue := []int{root}; len(queue) > 0; queue = queue[1:] {
		for _, c := range children[queue[0]] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// statPPID reads the parent's pid, field 4 of /proc/PID/stat.
func statPPID(stat string) (int, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// statCPU reads utime, stime, cutime and cstime from a /proc/PID/stat line
// ("pid (comm) state ppid …"; the times are fields 14 to 17).
func statCPU(stat string) time.Duration {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3, the state
	if len(f) < 15 {
		return 0
	}
	var ticks int64
	for _, s := range f[11:15] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ
}

// CPUTime is the started browser's CPU time so far (Browser.CPUTime), 0 if
// none was started.
func (l *Lazy) CPUTime() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b == nil {
		return 0
	}
	return l.b.CPUTime()
}

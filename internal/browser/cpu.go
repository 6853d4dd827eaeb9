package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the times in /proc/PID/stat: Linux exports them in
// USER_HZ, 100 a second on every architecture.
const userHZ = 100

// CPUTime is the CPU time (user and system) the browser's processes have
// used so far (Processes): each live process's own time and that of its
// children it has reaped (a renderer that exited counts in the zygote that
// forked it).
// Linux only (/proc); elsewhere 0. Call it before Close: once the browser
// is gone, its processes' times are gone with it.
func (b *Browser) CPUTime() time.Duration {
	var total time.Duration
	for _, pid := range b.Processes() {
		stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err == nil {
			total += statCPU(string(stat))
		}
	}
	return total
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

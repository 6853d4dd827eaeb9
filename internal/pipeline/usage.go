package pipeline

import (
	"syscall"
	"time"

	"github.com/pinready/pinready/internal/browser"
)

// Usage is where a run's CPU time went, so a user sees that an OAuth audit
// costs Chromium's time far more than pinready's. Like Timing, it changes
// from run to run and is never evidence.
type Usage struct {
	// CPU is the run's whole CPU time (user and system): pinready's
	// process, the children it has waited for, and Chromium's processes.
	CPU time.Duration
	// Chromium is the part of CPU spent in Chromium's processes.
	Chromium time.Duration
}

// measureUsage reads the CPU time so far, with lazy's browser still running
// (its processes' times end with them).
func measureUsage(lazy *browser.Lazy) Usage {
	chromium := lazy.CPUTime()
	return Usage{CPU: ownCPU() + chromium, Chromium: chromium}
}

// ownCPU is the CPU time of this process and of the children it has waited
// for (a terminal flow's command).
func ownCPU() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}

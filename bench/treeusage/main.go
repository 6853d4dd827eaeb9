//go:build linux

// Command treeusage runs a command and measures what its whole process tree
// cost: CPU time of every process (Chromium's renderers, zygotes and
// helpers included), wall time, and the peak of the tree's resident memory.
// It is how bench/ compares pinready with its peers side by side on a
// machine others use too: it counts the tree's own time, never the
// machine's.
//
//	treeusage [-json FILE] [-interval 100ms] -- CMD ARGS...
//
// Chromium's browser process exits without waiting for its zygotes, so
// their renderers' time never reaches the command's rusage (GNU time
// misses most of it). treeusage makes itself the tree's child subreaper
// (Linux prctl PR_SET_CHILD_SUBREAPER): every process orphaned in the tree
// becomes its child, and it reaps each one with its rusage, until the tree
// is empty. The sum of those rusages is the tree's CPU time, exactly.
// Memory is sampled: every interval, the resident set of every process of
// the tree, summed (shared pages count once per process, as in top).
//
// It prints, and writes to -json, one JSON object; its exit code is the
// command's.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Result is what a run cost.
type Result struct {
	Command []string `json:"command"`
	Exit    int      `json:"exit"`
	WallMS  int64    `json:"wall_ms"` // start to the command's own exit
	// CPUMS is user + system time of every process of the tree; UserMS
	// and SysMS split it.
	CPUMS  int64 `json:"cpu_ms"`
	UserMS int64 `json:"user_ms"`
	SysMS  int64 `json:"sys_ms"`
	// PeakRSSKB is the largest sum of the tree's resident sets seen;
	// PeakProcs the most processes the tree had at once.
	PeakRSSKB int64 `json:"peak_rss_kb"`
	PeakProcs int   `json:"peak_procs"`
	// MachineBusyMS is the whole machine's busy CPU time meanwhile
	// (/proc/stat), others' work included: compare it with CPUMS to see how
	// busy the machine was.
	MachineBusyMS int64 `json:"machine_busy_ms"`
	// Lingered is how many processes outlived the command and were
	// killed after the grace period.
	Lingered int `json:"lingered,omitempty"`
	// SampledByKind splits the tree's CPU time by kind of process, as last
	// sampled (so it misses each process's last interval): "renderer",
	// "gpu-process", "zygote", "utility", the browser ("chromium") and
	// other commands by name.
	SampledByKind map[string]int64 `json:"sampled_cpu_ms_by_kind"`
}

func main() {
	out := flag.String("json", "", "also write the result to `FILE`")
	interval := flag.Duration("interval", 100*time.Millisecond, "how often memory is sampled")
	grace := flag.Duration("grace", 10*time.Second, "how long processes may outlive the command before they are killed")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: treeusage [-json FILE] [-interval 100ms] -- CMD ARGS...")
		os.Exit(2)
	}
	res, err := run(flag.Args(), *interval, *grace)
	if err != nil {
		fmt.Fprintln(os.Stderr, "treeusage:", err)
		os.Exit(2)
	}
	data, _ := json.Marshal(res)
	fmt.Fprintln(os.Stderr, string(data))
	if *out != "" {
		if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "treeusage:", err)
			os.Exit(2)
		}
	}
	os.Exit(res.Exit)
}

func run(args []string, interval, grace time.Duration) (*Result, error) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return nil, fmt.Errorf("become the tree's subreaper: %w", err)
	}
	path, err := lookPath(args[0])
	if err != nil {
		return nil, err
	}
	// Signals for the command reach it; treeusage waits for its tree.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	busy0 := machineBusy()
	start := time.Now()
	p, err := os.StartProcess(path, args, &os.ProcAttr{Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err != nil {
		return nil, err
	}
	go func() {
		for s := range sigs {
			p.Signal(s)
		}
	}()
	res := &Result{Command: args, Exit: -1}
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		seen := map[int]sample{} // pid -> its last sample
		defer func() {
			res.SampledByKind = map[string]int64{}
			for _, s := range seen {
				res.SampledByKind[s.kind] += s.cpu.Milliseconds()
			}
		}()
		for {
			rss, n := sampleTree(os.Getpid(), seen)
			res.PeakRSSKB, res.PeakProcs = max(res.PeakRSSKB, rss), max(res.PeakProcs, n)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var user, sys time.Duration
	var lingered atomic.Int32
	for {
		var ws unix.WaitStatus
		var ru unix.Rusage
		pid, err := unix.Wait4(-1, &ws, 0, &ru)
		switch {
		case errors.Is(err, unix.ECHILD):
			close(stop)
			<-sampled
			res.UserMS, res.SysMS = user.Milliseconds(), sys.Milliseconds()
			res.CPUMS = (user + sys).Milliseconds()
			res.MachineBusyMS = (machineBusy() - busy0).Milliseconds()
			res.Lingered = int(lingered.Load())
			return res, nil
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return nil, err
		}
		user += time.Duration(ru.Utime.Nano())
		sys += time.Duration(ru.Stime.Nano())
		if pid == p.Pid {
			res.WallMS = time.Since(start).Milliseconds()
			res.Exit = ws.ExitStatus()
			if ws.Signaled() {
				res.Exit = 128 + int(ws.Signal())
			}
			// Processes that outlive the command past the grace period
			// are ended, so the run ends and their time is counted.
			time.AfterFunc(grace, func() {
				for _, pid := range descendants(os.Getpid()) {
					if unix.Kill(pid, unix.SIGKILL) == nil {
						lingered.Add(1)
					}
				}
			})
		}
	}
}

func lookPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found on PATH", name)
}

// descendants lists every process below root, from /proc's parent links.
func descendants(root int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		fields := strings.Fields(s[i+1:]) // state, ppid, …
		if i < 0 || len(fields) < 2 {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		ppid, _ := strconv.Atoi(fields[1])
		children[ppid] = append(children[ppid], pid)
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// sample is what was last seen of one process.
type sample struct {
	kind string
	cpu  time.Duration // its own user + system time
}

// sampleTree sums the resident sets of the processes below root and notes
// each one's own CPU time in seen.
func sampleTree(root int, seen map[int]sample) (kb int64, procs int) {
	page := int64(os.Getpagesize() / 1024)
	for _, pid := range descendants(root) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			continue
		}
		pages, _ := strconv.ParseInt(f[1], 10, 64)
		kb += pages * page
		procs++
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		st := string(stat)
		fields := strings.Fields(st[strings.LastIndexByte(st, ')')+1:])
		if len(fields) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(fields[11], 10, 64)
		stt, _ := strconv.ParseInt(fields[12], 10, 64)
		s, ok := seen[pid]
		if !ok {
			s.kind = kindOf(pid)
		}
		s.cpu = time.Duration(ut+stt) * 10 * time.Millisecond
		seen[pid] = s
	}
	return kb, procs
}

// kindOf names a process by Chromium's --type=, else by its command.
func kindOf(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	cmd := strings.ReplaceAll(string(b), "\x00", " ")
	if _, rest, ok := strings.Cut(cmd, " --type="); ok {
		kind, _, _ := strings.Cut(rest, " ")
		return kind
	}
	name, _, _ := strings.Cut(cmd, " ")
	return filepath.Base(name)
}

// machineBusy is the machine's busy CPU time so far (user, nice, system,
// irq, softirq, steal) from /proc/stat, in USER_HZ ticks of 10 ms.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		if i < len(f) {
			n, _ := strconv.ParseInt(f[i], 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

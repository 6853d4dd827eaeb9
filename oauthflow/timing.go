package oauthflow

import "time"

// Timing is where Drive's wall time went, in milliseconds. It is not
// evidence (it changes from run to run); it tells a person auditing many
// apps at once which app, and which step of it, is slow.
type Timing struct {
	TotalMS int64 `json:"total_ms"` // all of Drive
	// SetupMS is the time before the first step: a browser context of the
	// app's own and its first tab.
	SetupMS int64 `json:"setup_ms"`
	// CloseMS is the time after the last step: the network bodies still
	// loading, then the disposal of the browser context.
	CloseMS int64 `json:"close_ms"`
	// SecondConnectMS is --state-twice's second connect, all of it.
	SecondConnectMS int64 `json:"second_connect_ms,omitempty"`
}

// Slowest names the part of the flow that took longest: a step of the
// flow ("consent", "after-2"), or "setup", "close" or "second-connect" when
// pinready's own work around the steps was slower than any of them. ok is
// false for a trace with no timing (one not made by Drive).
func (t *Trace) Slowest() (name string, took time.Duration, ok bool) {
	best := int64(-1)
	consider := func(n string, ms int64) {
		if ms > best {
			name, best = n, ms
		}
	}
	if t.Timing.TotalMS == 0 {
		return "", 0, false
	}
	consider("setup", t.Timing.SetupMS)
	for _, s := range t.Steps {
		consider(s.Name, s.DurationMS)
	}
	consider("close", t.Timing.CloseMS)
	if t.Timing.SecondConnectMS > 0 {
		consider("second-connect", t.Timing.SecondConnectMS)
	}
	return name, time.Duration(best) * time.Millisecond, true
}

// endStep ends the timing of the step being recorded, if any.
func (d *driver) endStep() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.endStepLocked()
}

func (d *driver) endStepLocked() {
	if d.quiet || d.stepStart.IsZero() || len(d.tr.Steps) == 0 {
		return
	}
	d.tr.Steps[len(d.tr.Steps)-1].DurationMS = since(d.stepStart)
	d.stepStart = time.Time{}
}

// setTiming changes the trace's timing under the lock the tabs' event loops
// take too.
func (d *driver) setTiming(change func(*Timing)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	change(&d.tr.Timing)
}

// since is the wall time from start, in whole milliseconds.
func since(start time.Time) int64 { return time.Since(start).Milliseconds() }

package demo

import (
	"sync"
	"time"

	"github.com/pinready/pinready/internal/terminal"
)

// clock is the video's constant frame rate laid over wall time: flow frame k
// shows the state at t0 + k/fps. Events carry their wall time, so the video's
// timeline is the flow's, however late an event reaches the stage.
type clock struct {
	t0  time.Time
	fps int
}

func (c clock) at(k int) time.Time {
	return c.t0.Add(time.Duration(int64(k) * int64(time.Second) / int64(c.fps)))
}

// framesBefore is the number of ticks strictly before t: the frames a flow
// of duration t-t0 has.
func (c clock) framesBefore(t time.Time) int {
	d := t.Sub(c.t0)
	if d <= 0 {
		return 0
	}
	// ceil(d * fps / 1s) without overflow for any realistic duration.
	n := (int64(d)*int64(c.fps) + int64(time.Second) - 1) / int64(time.Second)
	return int(n)
}

type evKind int

const (
	evFrame      evKind = iota // a screencast frame of a tab
	evTabOpen                  // a tab joined: it becomes the one shown
	evTabClose                 // a tab went away: back to the previous one
	evURL                      // a tab's URL changed
	evTitle                    // a tab's title changed
	evStep                     // a step begins: name, caption
	evPointer                  // the mouse moved (CSS px of the viewport)
	evClick                    // a click is about to happen there
	evSecret                   // one more value to mask
	evHighlight                // outline a control (CSS px box), or none
	evMoment                   // the current frame is the step's picture
	evRedirect                 // a URL answered with a redirect: draw the hop
	evTermScreen               // the terminal's screen changed
	evTermShow                 // the terminal window comes to the front (s1: its title)
	evTermMark                 // outline cells x..w of row y of the terminal, or none
	evFinish                   // the end of the flow
)

// event is one thing that happened at a wall time.
type event struct {
	kind evKind
	at   time.Time
	tab  int
	jpeg []byte
	s1   string // URL, title, step name or secret
	s2   string // step caption
	x, y float64
	w, h float64 // a highlight's size
	n    int     // a redirect's status
	term *terminal.Screen
}

// queue hands events from the browser's and the driver's goroutines to the
// stage. Pushing never blocks: chromedp's listeners must return at once and
// the screencast must be acknowledged without waiting for the encoder.
type queue struct {
	mu     sync.Mutex
	items  []event
	wake   chan struct{}
	closed bool
}

func newQueue() *queue { return &queue{wake: make(chan struct{}, 1)} }

// push adds e; it reports false once the queue is closed.
func (q *queue) push(e event) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, e)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return true
}

// close stops the queue; the stage drops what is left.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take waits for events and returns them all, reusing buf. It returns false
// when the queue is closed.
func (q *queue) take(buf []event) ([]event, bool) {
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return nil, false
		}
		if len(q.items) > 0 {
			buf = append(buf[:0], q.items...)
			clear(q.items) // drop references to JPEG data
			q.items = q.items[:0]
			q.mu.Unlock()
			return buf, true
		}
		q.mu.Unlock()
		<-q.wake
	}
}

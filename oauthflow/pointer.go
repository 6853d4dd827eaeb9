package oauthflow

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

//go:embed find.js
var findJS string

// element is what find.js returns.
type element struct {
	X     float64 `json:"x"` // the centre, viewport CSS px
	Y     float64 `json:"y"`
	Left  float64 `json:"left"` // the box
	Top   float64 `json:"top"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
	Text  string  `json:"text"`
	Name  string  `json:"name"` // what a person sees of it: label, text, aria-label, placeholder, alt, title
	Tag   string  `json:"tag"`  // "button", "input", …
	Error string  `json:"error"`
}

// errBadSelector ends a wait at once: waiting longer cannot help.
var errBadSelector = errors.New("invalid selector")

// find looks for sel in the tab once; nil when it is not (yet) there.
func find(ctx context.Context, sel string, scroll bool) (*element, error) {
	arg, _ := json.Marshal(sel)
	el, err := chromedp.Run(ctx, chromedp.Evaluate[*element](fmt.Sprintf("(%s)(%s, %t)", findJS, arg, scroll)))
	if err != nil {
		return nil, err
	}
	if el != nil && el.Error != "" {
		return nil, fmt.Errorf("%w %q: %s", errBadSelector, sel, el.Error)
	}
	return el, nil
}

// waitElement polls until sel is visible in the tab, scrolled into view.
func (d *driver) waitElement(t *tab, sel string) (*element, error) {
	return d.waitElementScroll(t, sel, true, nil)
}

// waitElementScroll is waitElement that scrolls only when asked: the
// consent page is shown from its top (the app's name, the first scopes)
// until the cursor goes to its button. While sel is not there, hopeless
// (when not nil) may end the wait with an error wrapping errNoUse: the
// page can no longer show it.
func (d *driver) waitElementScroll(t *tab, sel string, scroll bool, hopeless func(context.Context) error) (*element, error) {
	var el *element
	err := d.poll(t, func(ctx context.Context) (bool, error) {
		e, err := find(ctx, sel, scroll)
		if errors.Is(err, errBadSelector) {
			return false, err
		}
		el = e
		if e == nil && hopeless != nil {
			if err := hopeless(ctx); err != nil {
				return false, err
			}
		}
		return e != nil, nil
	})
	if err != nil {
		return nil, err
	}
	return el, nil
}

// click moves the mouse to sel's centre the way a person would (so hover
// styles show in the video), then presses and releases it there. When
// recording, the cursor first rests on the outlined control (restTime), and
// that frame, just before the press, is the step's picture.
func (d *driver) click(t *tab, sel string) (*element, error) {
	return d.clickWhen(t, sel, time.Time{})
}

// clickWhen is click that, when recording, presses no earlier than
// notBefore (the consent page's time on screen).
func (d *driver) clickWhen(t *tab, sel string, notBefore time.Time) (*element, error) {
	el, err := d.waitElement(t, sel)
	if err != nil {
		return nil, err
	}
	ctx, cancel := d.within(t)
	defer cancel()
	if err := d.glide(ctx, t, el.X, el.Y); err != nil {
		return nil, err
	}
	// The page may have moved under the glide (a late image, a sticky bar).
	if again, err := find(ctx, sel, false); err == nil && again != nil && math.Hypot(again.X-el.X, again.Y-el.Y) > 2 {
		el = again
		if err := d.glide(ctx, t, el.X, el.Y); err != nil {
			return nil, err
		}
	}
	if v := d.video(); v != nil {
		v.Highlight(el.Left, el.Top, el.W, el.H)
		if err := sleep(ctx, max(restTime, time.Until(notBefore))); err != nil {
			return nil, err
		}
		v.Moment()
	}
	if d.obs != nil {
		d.obs.Click(el.X, el.Y)
	}
	err = chromedp.Do(ctx,
		chromedp.MouseEvent(chromedp.MousePressed, el.X, el.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseReleased, el.X, el.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	if err != nil && !t.closed() { // a click that closes its own window is fine
		return nil, fmt.Errorf("click %s: %w", sel, err)
	}
	return el, nil
}

// glide sends real mouseMoved events along an eased path: over glideTime
// when recording, in a few quick steps otherwise.
func (d *driver) glide(ctx context.Context, t *tab, x, y float64) error {
	steps, pause := 4, time.Duration(0)
	if d.obs != nil {
		steps = 20
		pause = glideTime / time.Duration(steps)
	}
	x0, y0 := t.x, t.y
	for i := 1; i <= steps; i++ {
		p := float64(i) / float64(steps)
		p = p * p * (3 - 2*p) // ease in and out
		px, py := x0+(x-x0)*p, y0+(y-y0)*p
		if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, px, py)); err != nil {
			return fmt.Errorf("move the mouse: %w", err)
		}
		t.x, t.y = px, py
		if d.obs != nil {
			d.obs.Pointer(px, py)
		}
		if pause > 0 {
			if err := sleep(ctx, pause); err != nil {
				return err
			}
		}
	}
	return nil
}

// fill clicks the field and types value into it. A secret is registered with
// the observer first and then drawn as discs, so no screenshot shows it.
func (d *driver) fill(t *tab, sel, value string, secret bool) error {
	if secret && d.obs != nil {
		d.obs.Secret(value)
	}
	if _, err := d.click(t, sel); err != nil {
		return err
	}
	ctx, cancel := d.within(t)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](clearActiveJS)); err != nil {
		return fmt.Errorf("clear %s: %w", sel, err)
	}
	if secret {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](hideActiveJS)); err != nil {
			return fmt.Errorf("hide %s: %w", sel, err)
		}
	}
	chunks := []string{value}
	if d.obs != nil { // type visibly, a character at a time, for the video
		chunks = chunks[:0]
		for _, r := range value {
			chunks = append(chunks, string(r))
		}
	}
	for _, c := range chunks {
		if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: c}); err != nil {
			return fmt.Errorf("type into %s: %w", sel, err)
		}
		if len(chunks) > 1 {
			if err := sleep(ctx, typingPause(len(chunks))); err != nil {
				return err
			}
		}
	}
	// The step's picture is the field filled in (a secret as discs).
	if v := d.video(); v != nil {
		sleep(ctx, restTime)
		v.Moment()
	}
	return nil
}

const clearActiveJS = `(() => { const e = document.activeElement; if (e && 'value' in e) { e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); } })()`

// hideActiveJS draws a non-password field as discs, as a password field is.
const hideActiveJS = `(() => { const e = document.activeElement; if (e && e.style) e.style.webkitTextSecurity = 'disc'; })()`

// typingPause keeps typing under about 1.5 s however long the value.
func typingPause(n int) time.Duration {
	return min(60*time.Millisecond, 1500*time.Millisecond/time.Duration(n))
}

func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

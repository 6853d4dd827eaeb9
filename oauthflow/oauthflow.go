// Package oauthflow drives an app's "Connect Pinterest" flow in a real
// browser, the way a reviewer clicks through it, and judges what it saw.
//
// Drive is the gatherer: it clicks, follows the flow into popups and through
// redirects, and records a Trace (navigations, the authorize and callback
// parameters, screenshots, storage, page texts). Assess is the audit: a pure
// function from the Trace to one finding per rule in Rules, so every rule is
// unit-tested on hand-built traces without a browser.
package oauthflow

import (
	"context"
	"io"
	"time"

	"github.com/pinready/pinready/internal/browser"
)

// Rules are the rule ids Assess evaluates, one finding each.
var Rules = []string{
	"oauth.authorize", "oauth.client-id", "oauth.response-type", "oauth.redirect-uri",
	"oauth.redirect-https", "oauth.state", "oauth.scopes", "oauth.no-credentials",
	"oauth.consent", "oauth.callback", "oauth.token-exposure", "demo.live-integration",
	"demo.trial-sandbox",
}

// Observer sees the flow as it happens; the demo recorder implements it
// (structurally: demo and oauthflow do not import each other).
type Observer interface {
	// Tab is called when the flow starts working in a tab (the first tab,
	// then a popup, then the first tab again if the popup closes), before the
	// flow navigates or acts in it. ctx is that tab's chromedp context.
	Tab(ctx context.Context) error
	// Step is called when a step begins. name is a slug ("open-app",
	// "connect", "consent", "approve", "callback", "live-data", "step-1",
	// "after-1"); caption is the sentence the video shows.
	Step(name, caption string)
	// Pointer reports the mouse at (x, y) CSS pixels of the current tab's viewport.
	Pointer(x, y float64)
	// Click is called just before the driver presses the mouse at (x, y).
	Click(x, y float64)
	// Secret registers a value (from value_env) that must never be shown.
	Secret(value string)
}

// Options configure Drive.
type Options struct {
	Browser  *browser.Browser
	Timeout  time.Duration // each wait (selector, navigation, consent); default 15s
	Observer Observer      // nil when only checking
	// Pace is how long each step is held when Observer is set, so the video
	// can be read (record --pace, default 1.5s); the cursor also glides for
	// about 0.6s before each click.
	Pace        time.Duration
	StateTwice  bool      // connect a second time (fresh app cookies) and compare state
	EvidenceDir string    // write step screenshots here; none when empty
	Progress    io.Writer // one line per step; may be nil
	// Getenv looks up value_env variables; default os.Getenv.
	Getenv func(string) string
}

// DefaultTimeout is the limit of each wait when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// DefaultPace is how long a step is held in a recording when Options.Pace is zero.
const DefaultPace = 1500 * time.Millisecond

// glideTime is how long the recorded cursor takes to reach a control.
const glideTime = 600 * time.Millisecond

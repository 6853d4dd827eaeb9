package oauthflow

import (
	"strings"
	"testing"
)

// A control with text is named by its text; a selector is made readable
// only for a control without any, and never shows CSS.
func TestControlName(t *testing.T) {
	d := &driver{m: &masker{}}
	d.m.add("hunter2-very-secret")
	cases := []struct {
		el   *element
		sel  string
		want string
	}{
		{&element{Name: "Sign in", Tag: "button"}, "#signin", "Sign in"},
		{&element{Name: "  Email\n address ", Tag: "input"}, "input[name=email]", "Email address"},
		{&element{Name: "Your password hunter2-very-secret", Tag: "input"}, "#pw", "Your password •••"},
		{&element{Name: strings.Repeat("word ", 30), Tag: "p"}, "#long", strings.TrimSpace(strings.Repeat("word ", 11)) + "…"},
		// No text at all: the selector, readable.
		{&element{Tag: "button"}, "#connect-pinterest", "the connect pinterest button"},
		{&element{Tag: "a"}, "a.btn-connectPinterest", "the connect pinterest link"},
		{&element{Tag: "input"}, "form#login input[name='user_email']", "the user email field"},
		{&element{Tag: "div"}, "main > .card:nth-child(2) [data-testid=pin-created]", "the pin created control"},
		{&element{Tag: "button"}, "button", "the button"},
		{nil, "text=Give access", "Give access"},
		{nil, `[aria-label="Close dialog"]`, "Close dialog"},
		{nil, "input[placeholder='Search boards']", "Search boards"},
		{nil, "#create-pin", "the create pin control"},
		{nil, "button#create-pin, a.fallback", "the create pin button"},
		{nil, "*", "the control"},
		// Commas and combinators inside quotes and brackets are not the selector's.
		{nil, `[aria-label="Pin it, now"], a`, "Pin it, now"},
		{nil, `form [title='Sign in > here']`, "Sign in > here"},
		{nil, `main:not(.x > .y) button#go-on`, "the go on button"},
	}
	for _, c := range cases {
		if got := d.controlName(c.el, c.sel); got != c.want {
			t.Errorf("controlName(%+v, %q) = %q, want %q", c.el, c.sel, got, c.want)
		}
	}
}

func TestCallbackCaption(t *testing.T) {
	d := &driver{m: &masker{}}
	for _, c := range []struct {
		cb   Callback
		want string
	}{
		{Callback{URL: "https://acme.example/api/auth/callback/pinterest?code=abcd…&state=x", HasCode: true},
			"Pinterest redirected back to acme.example/api/auth/callback/pinterest with an authorization code"},
		{Callback{URL: "http://localhost:8085/?error=access_denied&state=x", Error: "access_denied"},
			"Pinterest redirected back to localhost:8085/ with error=access_denied"},
		{Callback{URL: "https://acme.example/cb?state=x"},
			"Pinterest redirected back to acme.example/cb without an authorization code"},
	} {
		if got := d.callbackCaption(&c.cb); got != c.want {
			t.Errorf("callbackCaption(%s) = %q, want %q", c.cb.URL, got, c.want)
		}
	}
}

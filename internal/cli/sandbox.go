package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/redact"
)

func newSandboxCommand(e *env) *cli.Command {
	var addr string
	var apps []fakepinterest.App
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the fake Pinterest (authorize, token, v5 subset) for your own CI",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8085", Usage: "listen address", Destination: &addr},
			&cli.StringSliceFlag{Name: "app", Usage: "ID:SECRET:REDIRECT_URI[:NAME] of an app to register (repeatable); NAME is what the consent page calls it",
				Action: func(_ *cli.Context, values []string) error {
					for _, s := range values {
						a, err := fakepinterest.ParseApp(s)
						if err != nil {
							return &checks.UsageError{Msg: "--app: " + err.Error()}
						}
						apps = append(apps, a)
					}
					return nil
				}},
		},
		Action: func(c *cli.Context) error {
			if len(apps) == 0 {
				apps = []fakepinterest.App{{ID: "1500001", Secret: "sandbox-secret", Name: "Sandbox App",
					RedirectURIs: []string{"http://localhost:8080/oauth/callback"}}}
			}
			fake, calls, err := newSandboxFake(apps, e.Stdout)
			if err != nil {
				return &checks.UsageError{Msg: err.Error()}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &checks.CannotRunError{What: "listen on " + addr, Err: err}
			}
			return serveSandbox(c.Context, e, ln, fake, apps, calls)
		},
	}
}

// newSandboxFake is the sandbox's fake Pinterest, which prints every
// request it answers to out.
func newSandboxFake(apps []fakepinterest.App, out io.Writer) (*fakepinterest.Server, *callPrinter, error) {
	calls := &callPrinter{w: out}
	fake, err := fakepinterest.New(fakepinterest.Options{Apps: apps, OnCall: calls.print})
	return fake, calls, err
}

// serveSandbox serves until the context ends (Ctrl-C), then shuts down.
// Every request it answers is printed as it happens, after the banner.
func serveSandbox(ctx context.Context, e *env, ln net.Listener, fake http.Handler, apps []fakepinterest.App, calls *callPrinter) error {
	addr := ln.Addr().String()
	calls.mu.Lock()
	fmt.Fprintf(e.Stdout, "fake Pinterest on http://%s (Ctrl-C to stop)\n", addr)
	fmt.Fprintf(e.Stdout, "  authorize URL:  http://%s/oauth/   (oauth.authorize_url in pinready.yaml)\n", addr)
	fmt.Fprintf(e.Stdout, "  API base URL:   http://%s/sandbox  (the API sandbox: a Trial app creates Pins here; token: POST /sandbox/v5/oauth/token)\n", addr)
	fmt.Fprintf(e.Stdout, "                  http://%s          (production: a Trial app's POST /v5/pins gets code 29, as on api.pinterest.com)\n", addr)
	fmt.Fprintf(e.Stdout, "  witness:        http://%s%s?client_id=ID&since=N   (every call below, as JSON)\n", addr, fakepinterest.WitnessPath)
	for _, a := range apps {
		fmt.Fprintf(e.Stdout, "  app %s %q (%s access), redirect URIs %v\n", a.ID, a.Name, accessOf(a), a.RedirectURIs)
	}
	calls.ready = true
	calls.mu.Unlock()
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return &checks.CannotRunError{What: "serve", Err: err}
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return &checks.CannotRunError{What: "serve", Err: err}
	}
	fmt.Fprintln(e.Stderr, "pinready: sandbox stopped")
	return errServedUntilInterrupted
}

func accessOf(a fakepinterest.App) string {
	if a.Access == "" {
		return fakepinterest.AccessTrial
	}
	return a.Access
}

// callPrinter prints each request the fake answered, one line each, once
// the banner is out:
//
//	10:21:05 sandbox    GET  /v5/boards       200  app 1500001  token t1 (authorization_code, a1)
type callPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	ready bool
}

func (p *callPrinter) print(c fakepinterest.Call) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-10s %-4s %-22s %d", c.At.Local().Format("15:04:05"), c.API, c.Method, c.Path, c.Status)
	if c.ClientID != "" {
		fmt.Fprintf(&b, "  app %s", c.ClientID)
	}
	switch {
	case c.GrantType != "" && len(c.Issued) > 0:
		fmt.Fprintf(&b, "  %s → %s", c.GrantType, strings.Join(c.Issued, ", "))
	case c.GrantType != "":
		fmt.Fprintf(&b, "  %s", c.GrantType)
	case c.Token == fakepinterest.TokenUnknown:
		b.WriteString("  a token this fake never issued")
	case c.Token != "":
		fmt.Fprintf(&b, "  token %s (%s", c.Token, c.TokenGrant)
		if c.Authorization != "" {
			fmt.Fprintf(&b, ", %s", c.Authorization)
		}
		b.WriteString(")")
	case c.CodeIssued != "":
		fmt.Fprintf(&b, "  %s: code %s sent to the redirect URI", c.Authorization, c.CodeIssued)
	case c.Authorization != "":
		fmt.Fprintf(&b, "  %s: consent page", c.Authorization)
	}
	switch {
	case c.Code != 0:
		fmt.Fprintf(&b, "  code %d: %s", c.Code, c.Message)
	case c.Message != "":
		fmt.Fprintf(&b, "  %s", c.Message)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ready {
		fmt.Fprintln(p.w, redact.Text(b.String()))
	}
}

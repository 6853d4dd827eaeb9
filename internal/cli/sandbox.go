package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/fakepinterest"
)

func newSandboxCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the fake Pinterest (authorize, token, v5 subset) for your own CI",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8085", Usage: "listen address"},
			&cli.StringSliceFlag{Name: "app", Usage: "ID:SECRET:REDIRECT_URI[:NAME] of an app to register (repeatable); NAME is what the consent page calls it"},
		},
		Action: func(c *cli.Context) error {
			var apps []fakepinterest.App
			for _, s := range c.StringSlice("app") {
				a, err := fakepinterest.ParseApp(s)
				if err != nil {
					return &checks.UsageError{Msg: "--app: " + err.Error()}
				}
				apps = append(apps, a)
			}
			if len(apps) == 0 {
				apps = []fakepinterest.App{{ID: "1500001", Secret: "sandbox-secret", Name: "Sandbox App",
					RedirectURIs: []string{"http://localhost:8080/oauth/callback"}}}
			}
			fake, err := fakepinterest.New(fakepinterest.Options{Apps: apps})
			if err != nil {
				return &checks.UsageError{Msg: err.Error()}
			}
			ln, err := net.Listen("tcp", c.String("addr"))
			if err != nil {
				return &checks.CannotRunError{What: "listen on " + c.String("addr"), Err: err}
			}
			return serveSandbox(c.Context, e, ln, fake, apps)
		},
	}
}

// serveSandbox serves until the context ends (Ctrl-C), then shuts down.
func serveSandbox(ctx context.Context, e *env, ln net.Listener, fake http.Handler, apps []fakepinterest.App) error {
	addr := ln.Addr().String()
	fmt.Fprintf(e.Stdout, "fake Pinterest on http://%s (Ctrl-C to stop)\n", addr)
	fmt.Fprintf(e.Stdout, "  authorize URL:  http://%s/oauth/   (oauth.authorize_url in pinready.yaml)\n", addr)
	fmt.Fprintf(e.Stdout, "  API base URL:   http://%s/v5/      (token: POST /v5/oauth/token)\n", addr)
	for _, a := range apps {
		fmt.Fprintf(e.Stdout, "  app %s %q (%s access), redirect URIs %v\n", a.ID, a.Name, accessOf(a), a.RedirectURIs)
	}
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

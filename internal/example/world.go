// Package example runs the offline world of `pinready example`: the fake
// Pinterest and the compliant sample app, each on its own loopback listener,
// reached under real-looking host names (acme-pins.test, www.pinterest.test)
// through --resolve, so the example is judged like a real deployment and not
// as "localhost". Tests of the whole product use the same world.
package example

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/resolve"
	"github.com/pinready/pinready/internal/sampleapp"
)

// Host names of the world; the fake Pinterest answers on its three.
const (
	AppHost  = "acme-pins.test"
	AppID    = "1500001"
	AppName  = "Acme Pin Planner"
	Company  = "Acme Inc."
	listenOn = "127.0.0.1:0"
)

// World is the running sample app and fake Pinterest.
type World struct {
	AppURL       string // http://acme-pins.test:PORT/
	AuthorizeURL string // http://www.pinterest.test:PORT/oauth/
	Resolve      resolve.Map
	Fake         *fakepinterest.Server
	ClientSecret string // the app's secret: it must never appear in any output
	// ScriptPort is the terminal example's loopback listener (0 for a web stack).
	ScriptPort int
	servers    []*http.Server
	redirect   string // the registered redirect URI
	stack      string
	pinPort    string
}

// StackTerminal is the example of an app with no web page: the OAuth flow
// runs from a terminal script (sampleapp.PinToolsScript), whose loopback
// listener is the redirect URI; the sample app's site still serves the
// homepage and the privacy policy.
const StackTerminal = "terminal"

// Stacks the sample app is built like, by `pinready example --stack`.
var Stacks = map[string]string{"go": sampleapp.StackGo, "authjs": sampleapp.StackAuthJS, "terminal": StackTerminal}

// StackNames are the keys of Stacks in the order --help tells them.
var StackNames = []string{"go", "authjs", "terminal"}

// SecretEnv is the variable of pinready's environment that holds the app
// secret for the terminal example's script (oauth.env's value_env).
const SecretEnv = "ACME_PIN_SECRET"

// Options adjust the world for tests; the zero value is the example.
type Options struct {
	Access string // trial (default) or standard
	// Stack is how the sample app is built: sampleapp.StackGo (the example's)
	// or sampleapp.StackAuthJS (a Next.js app on Auth.js).
	Stack string
}

// Start listens on two loopback ports and serves the world until Close.
func Start(o Options) (*World, error) {
	appLn, err := net.Listen("tcp", listenOn)
	if err != nil {
		return nil, fmt.Errorf("listen for the sample app: %w", err)
	}
	pinLn, err := net.Listen("tcp", listenOn)
	if err != nil {
		appLn.Close()
		return nil, fmt.Errorf("listen for the fake Pinterest: %w", err)
	}
	appPort, pinPort := port(appLn), port(pinLn)
	w := &World{
		AppURL:       "http://" + AppHost + ":" + appPort + "/",
		AuthorizeURL: "http://" + fakepinterest.DefaultWebHost + ":" + pinPort + "/oauth/",
		ClientSecret: randomSecret(),
	}
	for _, r := range []string{
		AppHost + ":" + appPort + ":127.0.0.1",
		fakepinterest.DefaultWebHost + ":" + pinPort + ":127.0.0.1",
		fakepinterest.DefaultAPIHost + ":" + pinPort + ":127.0.0.1",
		fakepinterest.DefaultSandboxHost + ":" + pinPort + ":127.0.0.1",
	} {
		rule, err := resolve.Parse(r)
		if err != nil {
			return nil, err
		}
		w.Resolve = append(w.Resolve, rule)
	}
	redirect := w.AppURL + "oauth/callback"
	switch o.Stack {
	case sampleapp.StackAuthJS:
		redirect = strings.TrimSuffix(w.AppURL, "/") + sampleapp.AuthJSCallbackPath
	case StackTerminal:
		// The script listens on a loopback port, as Pinterest's quickstart
		// does on localhost:8085; a free one, so the example runs anywhere.
		p, err := freePort()
		if err != nil {
			appLn.Close()
			pinLn.Close()
			return nil, err
		}
		w.ScriptPort = p
		redirect = fmt.Sprintf("http://localhost:%d/", p)
	}
	w.pinPort = pinPort
	w.redirect, w.stack = redirect, o.Stack
	w.Fake, err = fakepinterest.New(fakepinterest.Options{Apps: []fakepinterest.App{{
		ID: AppID, Secret: w.ClientSecret, Name: AppName, RedirectURIs: []string{redirect}, Access: o.Access,
	}}})
	if err != nil {
		appLn.Close()
		pinLn.Close()
		return nil, err
	}
	webStack := o.Stack
	if webStack == StackTerminal {
		webStack = sampleapp.StackGo // the site: homepage and privacy policy
	}
	app := sampleapp.New(sampleapp.Options{
		Name: AppName, Company: Company,
		ClientID: AppID, ClientSecret: w.ClientSecret, RedirectURI: redirect,
		AuthorizeURL: w.AuthorizeURL, Stack: webStack,
		// Trial apps may create Pins only in the sandbox (Pinterest's
		// access tiers; rules.yaml cites the source).
		APIBase:    "http://" + fakepinterest.DefaultSandboxHost + ":" + pinPort,
		HTTPClient: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: w.Resolve.DialContext(&net.Dialer{})}},
	})
	w.serve(appLn, app)
	w.serve(pinLn, w.Fake)
	return w, nil
}

func (w *World) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	w.servers = append(w.servers, srv)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("example server:", err)
		}
	}()
}

// Close stops both servers.
func (w *World) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range w.servers {
		if s.Shutdown(ctx) != nil {
			s.Close()
		}
	}
}

// ResolveFlags are the --resolve values that reach the world.
func (w *World) ResolveFlags() []string {
	var out []string
	for _, r := range w.Resolve {
		out = append(out, r.String())
	}
	return out
}

// Getenv is what pinready's environment holds for the example's config:
// the terminal script's app secret (SecretEnv), then getenv's own.
func (w *World) Getenv(getenv func(string) string) func(string) string {
	return func(k string) string {
		if k == SecretEnv && w.stack == StackTerminal {
			return w.ClientSecret
		}
		return getenv(k)
	}
}

// WriteFiles writes what the example's config names beside it in dir: the
// terminal script, for the terminal stack.
func (w *World) WriteFiles(dir string) error {
	if w.stack != StackTerminal {
		return nil
	}
	_, err := sampleapp.WriteScript(dir)
	return err
}

// Config is the pinready.yaml of the sample app in this world.
func (w *World) Config() string {
	if w.stack == StackTerminal {
		return strings.NewReplacer("{{APP}}", w.AppURL, "{{AUTHORIZE}}", w.AuthorizeURL, "{{ID}}", AppID,
			"{{NAME}}", AppName, "{{COMPANY}}", Company, "{{REDIRECT}}", w.redirect,
			"{{OAUTH_URI}}", "http://"+fakepinterest.DefaultWebHost+":"+w.pinPort,
			// The script resolves no .test name: it reaches the fake by address.
			"{{API_URI}}", "http://127.0.0.1:"+w.pinPort,
			"{{PORT}}", fmt.Sprint(w.ScriptPort), "{{SECRET_ENV}}", SecretEnv, "{{SCRIPT}}", sampleapp.PinToolsName,
		).Replace(terminalTemplate)
	}
	// The Go app's dashboard lets the demo create a Pin; the Auth.js app's
	// shows the boards it read.
	after := "  after:\n    - click: \"#create-pin\"\n    - wait: \"#pin-created\"\n"
	if w.stack == sampleapp.StackAuthJS {
		after = ""
	}
	return strings.NewReplacer("{{APP}}", w.AppURL, "{{AUTHORIZE}}", w.AuthorizeURL, "{{ID}}", AppID,
		"{{NAME}}", AppName, "{{COMPANY}}", Company, "{{REDIRECT}}", w.redirect, "{{AFTER}}\n", after).Replace(configTemplate)
}

// appTemplate is the app: section both example configs share.
const appTemplate = `app:
  name: {{NAME}}
  id: "{{ID}}"
  company: {{COMPANY}}
  website: {{APP}}
  privacy_policy_url: {{APP}}privacy
  description: |
    Acme Pin Planner is a content calendar for small online shops. Shop owners
    connect their Pinterest account, see their boards, and schedule Pins of
    their own product photos to a board they choose, at a time they pick; a
    Pin is created only after the owner picks the image, the board and the
    time. The app can also create a new board for a campaign when the owner
    asks for one. The dashboard shows their profile name, their boards and
    the Pins they created, so they always see what was published.
  scopes: [boards:read, boards:write, pins:read, pins:write, user_accounts:read]
  redirect_uris: [{{REDIRECT}}]
  access: trial
`

const configTemplate = `# pinready.yaml of the sample app, as ` + "`pinready example`" + ` wrote it.
# The host names reach loopback through --resolve (see the command it printed).
` + appTemplate + `oauth:
  start_url: {{APP}}
  connect_selector: "#connect-pinterest"
  authorize_url: {{AUTHORIZE}}
  approve_selector: "text=Give access"
  success_text: Your boards
{{AFTER}}
demo:
  video: mp4
  size: 1920x1080
`

// terminalTemplate is the terminal example's config: the same app and
// site, with the OAuth flow run by a script from a terminal.
const terminalTemplate = `# pinready.yaml of the sample app's terminal flow, as ` + "`pinready example --stack terminal`" + ` wrote it.
# The host names reach loopback through --resolve (see the command it printed).
` + appTemplate + `oauth:
  # The flow runs from a terminal: the script opens Pinterest's consent page
  # in the browser and receives the redirect on its own loopback listener.
  command: [python3, {{SCRIPT}}]
  env:
    - {name: PINTEREST_APP_ID, value: "{{ID}}"}
    - {name: PINTEREST_APP_SECRET, value_env: {{SECRET_ENV}}}
    - {name: PINTEREST_OAUTH_URI, value: "{{OAUTH_URI}}"}
    - {name: PINTEREST_API_URI, value: "{{API_URI}}"}
    - {name: REDIRECT_PORT, value: "{{PORT}}"}
  authorize_url: {{AUTHORIZE}}
  approve_selector: "text=Give access"
  success_text: "Username: "
demo:
  video: mp4
  size: 1920x1080
`

// freePort asks the system for a loopback port nobody listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", listenOn)
	if err != nil {
		return 0, fmt.Errorf("find a free port for the terminal script: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func port(ln net.Listener) string {
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

func randomSecret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "acme-secret-" + hex.EncodeToString(b)
}

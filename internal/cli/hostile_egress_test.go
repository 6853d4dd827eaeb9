package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/testenv"
)

// metadataSecret is what the internal server answers: no report, progress
// line or screenshot may ever hold it.
const metadataSecret = "AKIA-INTERNAL-METADATA-CREDENTIALS"

// internalServer stands for the cloud metadata service or an admin page on
// the machine: a loopback address no --resolve rule names. It counts the
// requests that reach it.
func internalServer(t *testing.T, addr string) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		testenv.Missing(t, "a listener on "+addr, err)
	}
	var hits atomic.Int32
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, "<html><body><h1>Privacy Policy</h1><p>%s</p></body></html>", metadataSecret)
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return "http://" + l.Addr().String(), &hits
}

// redirector is a public-looking host (mapped to loopback with --resolve)
// whose every path redirects to the URL in ?to=, and whose / is a homepage.
func redirector(t *testing.T, host string) (base string, resolveArgs []string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		io.WriteString(w, `<html><head><title>Acme Pin Planner</title></head><body><h1>Acme Pin Planner</h1><p>Plan your boards.</p></body></html>`)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "http://" + host + ":" + port, []string{"--resolve", host + ":" + port + ":127.0.0.1"}
}

// Redirect SSRF, the HTTP client: a policy URL on a public-looking host that
// redirects to an internal address is refused at dial time. The finding
// names the address; no report format quotes what it would have served.
func TestHostileRedirectSSRFHTTPClient(t *testing.T) {
	for _, internalAddr := range []string{"127.0.0.2:0", "[::1]:0"} {
		t.Run(internalAddr, func(t *testing.T) {
			internal, hits := internalServer(t, internalAddr)
			base, resolveArgs := redirector(t, "acme-hostile.test")
			target := internal + "/latest/meta-data/iam/security-credentials/"
			cfg := filepath.Join(t.TempDir(), "pinready.yaml")
			os.WriteFile(cfg, []byte(fmt.Sprintf("app:\n  name: Acme Pin Planner\n  website: %s/\n  privacy_policy_url: %s/privacy?to=%s\n", base, base, target)), 0o644)
			out := t.TempDir()
			args := append([]string{"check", "--config", cfg, "--only", "privacy", "--render", "never",
				"--format", "text,json,html,markdown,junit,sarif", "--output-dir", out}, resolveArgs...)
			code, _, stderr := runCLI(t, args...)
			if code != exitFindings {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, exitFindings, stderr)
			}
			var rep checks.Report
			data, _ := os.ReadFile(filepath.Join(out, "report.json"))
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			host, _, _ := net.SplitHostPort(strings.TrimPrefix(internal, "http://"))
			host = strings.Trim(host, "[]")
			want := "redirects to an internal address " + host + " (loopback)"
			for _, f := range rep.Findings {
				if f.Rule == "privacy.reachable" && (f.Status != checks.StatusFail || !strings.Contains(f.Message, want)) {
					t.Errorf("privacy.reachable: %s %q, want a failure saying %q", f.Status, f.Message, want)
				}
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("%d requests reached the internal server", n)
			}
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				b, _ := os.ReadFile(filepath.Join(out, e.Name()))
				if strings.Contains(string(b), metadataSecret) {
					t.Errorf("%s quotes the internal server's body", e.Name())
				}
			}
			if strings.Contains(stderr, metadataSecret) {
				t.Error("stderr quotes the internal server's body")
			}
		})
	}
}

// Redirect SSRF, Chromium: the connect control leads through a
// public-looking host that redirects to an internal address. Chromium never
// sends the request; the OAuth finding says which address was refused.
func TestHostileRedirectSSRFChromium(t *testing.T) {
	browsertest.Require(t)
	for i, internalAddr := range []string{"127.0.0.2:0", "[::1]:0"} {
		t.Run(internalAddr, func(t *testing.T) {
			internal, hits := internalServer(t, internalAddr)
			hop, hopArgs := redirector(t, "hop.test")
			target := internal + "/latest/meta-data/"
			app := startHostileApp(t, fmt.Sprintf("hostile-egress-%d.test", i),
				`<h1>Acme Pin Planner</h1><a id="connect-pinterest" href="`+hop+`/connect?to=`+target+`">Connect Pinterest</a>`)
			app.resolve = append(app.resolve, hopArgs...)
			// A generous timeout: the flow waits all of it for the authorize
			// page, and the guard is four times it on a busy machine.
			code, fs, stderr := checkOAuth(t, app, 8*time.Second)
			if code != exitFindings {
				t.Errorf("exit %d, want %d", code, exitFindings)
			}
			host, _, _ := net.SplitHostPort(strings.TrimPrefix(internal, "http://"))
			host = strings.Trim(host, "[]")
			f := fs["oauth.authorize"]
			if f.Status != checks.StatusFail || !strings.Contains(f.Message, "refused to load "+target) || !strings.Contains(f.Message, host+" is an internal address (loopback)") {
				t.Errorf("oauth.authorize: %s %q; want a failure naming the refused %s", f.Status, f.Message, target)
			}
			if !strings.Contains(stderr, "egress: refused "+target) {
				t.Errorf("no progress line about the refusal:\n%s", stderr)
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("%d requests reached the internal server", n)
			}
		})
	}
}

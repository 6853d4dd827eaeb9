package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// pinready sandbox serves the consent page for a registered app and stops
// cleanly (exit 0) when interrupted.
func TestSandboxServesTheFlow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- runMain(t, ctx, []string{"pinready", "sandbox", "--addr", "127.0.0.1:0",
			"--app", "42:s3cret:http://localhost:3000/oauth/callback"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(line)
	if addr == nil {
		t.Fatalf("no address in %q", line)
	}
	q := url.Values{"client_id": {"42"}, "redirect_uri": {"http://localhost:3000/oauth/callback"},
		"response_type": {"code"}, "scope": {"boards:read,pins:read"}, "state": {"abcdefghijklmnop"}}
	resp, err := http.Get("http://" + addr[1] + "/oauth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Give access") {
		t.Fatalf("consent page: %d\n%.300s", resp.StatusCode, body)
	}
	q.Set("redirect_uri", "http://localhost:3000/elsewhere")
	resp, err = http.Get("http://" + addr[1] + "/oauth/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unregistered redirect_uri: %d, want 400", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("sandbox exit %d after interrupt, want 0", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sandbox did not stop")
	}
}

func TestSandboxBadApp(t *testing.T) {
	code, _, stderr := runCLI(t, "sandbox", "--app", "42:nosecret")
	if code != 2 || !strings.Contains(stderr, "--app") {
		t.Fatalf("exit %d, %s", code, stderr)
	}
}

// Package testkit is the one test world every package's tests share: the
// repository's rules.yaml (raw and parsed), an HTTP client that reaches the
// *.test host names on loopback the way --resolve does, and the example world
// (the fake Pinterest and the sample app) started for a test and stopped
// after it. Only tests import it.
package testkit

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/fakepinterest"
	"github.com/pinready/pinready/internal/resolve"
)

// Root is the repository's root folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// RulesPath is the repository's rules.yaml, the file pinready embeds.
func RulesPath() string { return filepath.Join(Root(), "rules.yaml") }

var rulesOnce = sync.OnceValues(func() ([]byte, error) { return os.ReadFile(RulesPath()) })

// RulesYAML is the bytes of rules.yaml.
func RulesYAML(t testing.TB) []byte {
	t.Helper()
	data, err := rulesOnce()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Rules is rules.yaml parsed and compiled, as pinready loads it. Each call
// returns a ruleset of its own, so a test may change it.
func Rules(t testing.TB) *checks.Ruleset {
	t.Helper()
	rs, err := checks.ParseRules(RulesPath(), RulesYAML(t))
	if err == nil {
		err = rs.CompilePatterns(RulesPath())
	}
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// WorldHosts are the host names of the example world: the sample app's and
// the fake Pinterest's three.
var WorldHosts = []string{example.AppHost, fakepinterest.DefaultWebHost, fakepinterest.DefaultAPIHost, fakepinterest.DefaultSandboxHost}

// LoopbackResolve maps the host names (WorldHosts when none are given), on
// any port, to 127.0.0.1: what --resolve does for pinready and a hosts-file
// entry does for a person.
func LoopbackResolve(hosts ...string) resolve.Map {
	if len(hosts) == 0 {
		hosts = WorldHosts
	}
	var m resolve.Map
	for _, h := range hosts {
		m = append(m, resolve.Rule{Host: h, Port: resolve.AnyPort, Addr: "127.0.0.1"})
	}
	return m
}

// Transport is an HTTP transport whose connections go through m, as
// pinready's own client does with --resolve.
func Transport(m resolve.Map) *http.Transport {
	return &http.Transport{DialContext: m.DialContext(&net.Dialer{})}
}

// Client is an HTTP client over Transport(m).
func Client(m resolve.Map) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: Transport(m)}
}

// World starts the example world (fake Pinterest + sample app) and stops it
// when the test ends.
func World(t testing.TB, o example.Options) *example.World {
	t.Helper()
	w, err := example.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

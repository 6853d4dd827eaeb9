package browser

import (
	"strings"
	"testing"
)

// What Chromium 156 printed in a container with Docker's default seccomp
// profile, and with Debian's setuid chromium-sandbox there, leads to the
// seccomp profile; anything else to running it by hand.
func TestLaunchHint(t *testing.T) {
	for _, printed := range []string{
		"chrome failed to start:\n[15:15:1205/221342.559999:ERROR:content/browser/zygote_host/zygote_host_impl_linux.cc:130] No usable sandbox! If this is a Debian system, please install the chromium-sandbox package",
		"chrome failed to start:\nFailed to move to new namespace: PID namespaces supported, Network namespace supported, but failed: errno = Operation not permitted",
	} {
		if h := launchHint(printed); !strings.Contains(h, "seccomp=chromium-seccomp.json") || !strings.Contains(h, "as root") {
			t.Errorf("%.60q: hint %q", printed, h)
		}
	}
	if h := launchHint("chrome failed to start: exec format error"); !strings.Contains(h, "--headless") {
		t.Errorf("another failure: hint %q", h)
	}
}

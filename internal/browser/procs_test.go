package browser

import (
	"testing"
	"time"
)

// Chromium's helpers rewrite their command line into one space-separated
// string; the browser keeps NUL-separated arguments. Both name the profile.
func TestMentions(t *testing.T) {
	const dir = "/tmp/pinready-chromium-12"
	for _, c := range []struct {
		cmdline string
		want    bool
	}{
		{"/usr/lib/chromium/chromium\x00--user-data-dir=" + dir + "\x00--headless\x00", true},
		{"/usr/lib/chromium/chromium --type=renderer --user-data-dir=" + dir + " --no-sandbox\x00\x00", true},
		{"/usr/lib/chromium/chromium --type=gpu-process --user-data-dir=" + dir, true},
		{"/usr/bin/cat\x00" + dir + "/Default/Cookies\x00", true},
		{"/usr/lib/chromium/chromium --user-data-dir=" + dir + "3 --type=renderer", false},
		{"/usr/lib/chromium/chromium\x00--user-data-dir=" + dir + "3\x00", false},
		{"/usr/lib/chromium/chromium --user-data-dir=" + dir + "3 --x=" + dir + "\x00", true},
		{"", false},
	} {
		if got := mentions(c.cmdline, dir); got != c.want {
			t.Errorf("mentions(%q) = %t, want %t", c.cmdline, got, c.want)
		}
	}
}

// The CPU times of /proc/PID/stat are fields 14 to 17, counted after the
// command name, which may hold spaces and parentheses of its own.
func TestStatCPU(t *testing.T) {
	const stat = "4242 (chromium (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 25 7 3 20 0 12 0 9 0 0"
	if got, want := statCPU(stat), 1850*time.Millisecond; got != want {
		t.Errorf("statCPU = %v, want %v (150+25+7+3 ticks)", got, want)
	}
	if got := statCPU("garbage"); got != 0 {
		t.Errorf("statCPU(garbage) = %v", got)
	}
}

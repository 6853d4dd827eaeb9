package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/browser/browsertest"
)

// pack on the sample app: record, then pack (which runs the check groups no
// report covers), then pack again with a broken description.
func TestPackSampleApp(t *testing.T) {
	browsertest.Require(t)
	requireFFmpeg(t)
	w, cfg, resolveArgs := startWorld(t)
	// 720p halves recording and encoding; the video's own size is record's
	// business, not pack's.
	if err := os.WriteFile(cfg, []byte(strings.Replace(w.Config(), "size: 1920x1080", "size: 1280x720", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := filepath.Join(t.TempDir(), "rec")
	if code, stdout, stderr := runCLI(t, append([]string{"record", "--config", cfg, "--out", rec, "--pace", "200ms"}, resolveArgs...)...); code != 0 {
		t.Fatalf("record: exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}

	sub := filepath.Join(t.TempDir(), "submission")
	code, stdout, stderr := runCLI(t, append([]string{"pack", "--config", cfg, "--from", rec, "--out", sub}, resolveArgs...)...)
	if code != 0 {
		t.Fatalf("pack: exit %d\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	if !strings.Contains(stderr, "no check report covers privacy, description, oauth; checking it now") {
		t.Errorf("pack did not run the missing check groups:\n%s", stderr)
	}
	for _, f := range []string{"demo.mp4", "storyboard.png", "report.html", "report.json", "description.txt", "privacy-policy-url.txt", "CHECKLIST.md"} {
		if fi, err := os.Stat(filepath.Join(sub, f)); err != nil || fi.Size() == 0 {
			t.Errorf("the submission lacks %s: %v", f, err)
		}
	}
	loaded, err := checks.LoadConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(sub, "description.txt")); got != loaded.App.Description {
		t.Errorf("description.txt = %q, want app.description exactly", got)
	}
	if got := readString(t, filepath.Join(sub, "privacy-policy-url.txt")); got != w.AppURL+"privacy\n" {
		t.Errorf("privacy-policy-url.txt = %q", got)
	}
	list := readString(t, filepath.Join(sub, "CHECKLIST.md"))
	for _, want := range []string{"## ✓ App name", "## ✓ App ID", "## ✓ Description", "## ✓ Privacy policy URL",
		"## ✓ Redirect URIs", "## ✓ Scopes", "## ✓ Demo video", "## ✓ Current tier",
		"warning `privacy.https`", "Value: `" + w.AppURL + "privacy`"} {
		if !strings.Contains(list, want) {
			t.Errorf("CHECKLIST.md lacks %q:\n%s", want, list)
		}
	}
	if !strings.Contains(stdout, "✓ Privacy policy URL") {
		t.Errorf("stdout lacks the checklist:\n%s", stdout)
	}
	// The combined report judged every group, and its HTML links the video
	// copied beside it.
	var rep checks.Report
	if err := json.Unmarshal([]byte(readString(t, filepath.Join(sub, "report.json"))), &rep); err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Status == checks.StatusSkip || f.Status == checks.StatusError {
			t.Errorf("combined report: %s is %s: %s", f.Rule, f.Status, f.Message)
		}
	}
	html := readString(t, filepath.Join(sub, "report.html"))
	m := regexp.MustCompile(`href="([^"]+\.mp4)"`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("report.html does not link the video")
	}
	if _, err := os.Stat(filepath.Join(sub, m[1])); err != nil || m[1] != "demo.mp4" {
		t.Errorf("report.html links %q: %v", m[1], err)
	}

	// A check report in --from is used as it is: no second check.
	if err := os.WriteFile(filepath.Join(rec, "check.json"), []byte(readString(t, filepath.Join(sub, "report.json"))), 0o644); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := runCLI(t, "pack", "--config", cfg, "--from", rec, "--out", again); code != 0 || strings.Contains(stderr, "running pinready check") {
		t.Errorf("pack with a check report in --from: exit %d\n%s", code, stderr)
	}
	os.Remove(filepath.Join(rec, "check.json"))

	// A broken description: the field is ✗ with the failing rules and their
	// fixes, the policy stays ✓, and pack exits 1 like check.
	broken := filepath.Join(t.TempDir(), "pinready.yaml")
	text := regexp.MustCompile(`(?m)^  description: \|\n(    .*\n)+`).ReplaceAllString(readString(t, cfg), "  description: Nimbus empowers growth.\n")
	if err := os.WriteFile(broken, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	sub2 := filepath.Join(t.TempDir(), "submission")
	code, stdout, stderr = runCLI(t, append([]string{"pack", "--config", broken, "--from", rec, "--out", sub2}, resolveArgs...)...)
	if code != 1 {
		t.Fatalf("pack with a broken description: exit %d, want 1\nstderr: %s\nstdout: %s", code, stderr, stdout)
	}
	list = readString(t, filepath.Join(sub2, "CHECKLIST.md"))
	for _, want := range []string{"## ✗ Description", "- ✗ `description.length` (blocker)", "- ✗ `description.pinterest-use` (blocker)", "  - Fix: ", "## ✓ Privacy policy URL", "likely-denied"} {
		if !strings.Contains(list, want) {
			t.Errorf("CHECKLIST.md lacks %q:\n%s", want, list)
		}
	}
	if got := readString(t, filepath.Join(sub2, "description.txt")); got != "Nimbus empowers growth." {
		t.Errorf("description.txt = %q", got)
	}
}

func TestPackWithoutVideo(t *testing.T) {
	empty := t.TempDir()
	code, _, stderr := runCLI(t, "pack", "--config", "../../testdata/configs/good.yaml", "--from", empty)
	if code != exitCannot || !strings.Contains(stderr, "no demo video") || !strings.Contains(stderr, "run `pinready record` first") {
		t.Fatalf("exit %d, stderr %q; want 3 and a hint to run record", code, stderr)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("pack wrote into --from before failing: %v", entries)
	}
	code, _, stderr = runCLI(t, "pack", "--config", "../../testdata/configs/good.yaml", "--from", empty, "--out", empty+"/")
	if code != exitUsage || !strings.Contains(stderr, "--out must differ") {
		t.Fatalf("--out = --from: exit %d, %s", code, stderr)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

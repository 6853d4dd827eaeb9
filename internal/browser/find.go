package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pinready/pinready/checks"
)

// Find returns the Chromium a headless run uses: $PINREADY_CHROMIUM, else
// Chromium's headless shell when it is on PATH (headlessShells), else the
// first of Candidates for this system that exists.
func Find() (string, error) { return find(false) }

// FindHeadful returns the Chromium that shows its window (--headful):
// $PINREADY_CHROMIUM, else the first of Candidates that exists. The
// headless shell has no window to show.
func FindHeadful() (string, error) { return find(true) }

func find(headful bool) (string, error) {
	if p := os.Getenv("PINREADY_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", missing(fmt.Errorf("PINREADY_CHROMIUM=%s: %w", p, err))
		}
		return p, nil
	}
	home, _ := os.UserHomeDir()
	names := Candidates(runtime.GOOS, home)
	if !headful {
		names = append(headlessShells[:len(headlessShells):len(headlessShells)], names...)
	}
	for _, c := range names {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", missing(errors.New(notFound(runtime.GOOS)))
}

// headlessShells are tried first for a browser no one watches: Chromium's
// headless shell (Debian's chromium-headless-shell, Google's
// chrome-headless-shell; what Playwright runs headless) renders pages with
// the same Blink as full Chromium but opens no window for each browser
// context, so an OAuth flow costs it about half the CPU time
// (bench/README.md). Its popups stay attached like full Chromium's
// (oauthflow's TestHeadlessShellPopups).
var headlessShells = []string{"chromium-headless-shell", "chrome-headless-shell"}

// linuxNames are looked up on PATH, in order, on every system.
var linuxNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// macApps are the application bundles macOS installs put Chromium and Chrome
// in (the paths chromedp knows, and Chrome for Testing, which Puppeteer and
// `npx @puppeteer/browsers install chrome` fetch), each an .app with the
// executable inside.
var macApps = []string{
	"Chromium.app/Contents/MacOS/Chromium",
	"Google Chrome.app/Contents/MacOS/Google Chrome",
	"Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
}

// Candidates are the executables Find tries on goos, in order: on macOS the
// application bundles in /Applications, then in the user's own
// ~/Applications (an install without admin rights), then names on PATH; on
// other systems names on PATH. A seam of its own so that the macOS list is
// tested on Linux.
func Candidates(goos, home string) []string {
	var out []string
	if goos == "darwin" {
		for _, app := range macApps {
			out = append(out, filepath.Join("/Applications", app))
		}
		if home != "" {
			for _, app := range macApps {
				out = append(out, filepath.Join(home, "Applications", app))
			}
		}
	}
	return append(out, linuxNames...)
}

// notFound says where Find looked.
func notFound(goos string) string {
	if goos == "darwin" {
		return "no Chromium or Google Chrome in /Applications or ~/Applications, and no " + strings.Join(linuxNames[:3], ", ") + " on PATH"
	}
	return "no " + strings.Join(linuxNames[:3], ", ") + " on PATH"
}

// InstallHint tells a user of goos how to get a Chromium pinready finds.
func InstallHint(goos string) string {
	const set = "or set PINREADY_CHROMIUM to its path"
	switch goos {
	case "darwin":
		return "install Google Chrome (brew install --cask google-chrome) or Chromium (brew install --cask chromium), " + set
	case "linux":
		return "install it (Debian/Ubuntu: sudo apt-get install -y chromium; Fedora: sudo dnf install -y chromium), " + set
	}
	return "install Chromium or Google Chrome, " + set
}

func missing(err error) error {
	return &checks.CannotRunError{What: "Chromium not found", Err: err, Hint: InstallHint(runtime.GOOS)}
}

// Version asks the executable at path for its version ("Chromium 156.0.8078.114
// built on Debian GNU/Linux 12 (bookworm)", "Google Chrome 148.0.7778.96"),
// without starting a browser: what `pinready --version --verbose` prints.
func Version(ctx context.Context, path string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", path, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// launchHint says what to do when Chromium would not start, from what it
// printed: as a non-root user its sandbox needs user namespaces, which
// Docker's default seccomp profile and some kernels refuse.
func launchHint(printed string) string {
	if strings.Contains(printed, "No usable sandbox") || strings.Contains(printed, "Failed to move to new namespace") {
		return "Chromium's sandbox needs user namespaces, which this system refuses. In Docker: --security-opt seccomp=chromium-seccomp.json " +
			"(docker/ in pinready's repository) or seccomp=unconfined; elsewhere, allow unprivileged user namespaces; " +
			"or run pinready as root, which turns the sandbox off"
	}
	return "run it by hand with --headless to see why; as root it needs --no-sandbox, which pinready adds"
}

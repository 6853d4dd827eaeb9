package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// --version names the version, and the Go that built the binary.
func TestVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, "--version")
	if code != exitOK || !strings.Contains(stdout, "pinready version "+Version+" (") || !strings.Contains(stdout, "built with "+runtime.Version()) {
		t.Fatalf("exit %d: %q", code, stdout)
	}
}

// `pinready --version` answers before the command tree is built (a fast
// path in Main); it must print what the app's own --version prints, which
// `--version=true` still reaches.
func TestVersionFastPathMatchesApp(t *testing.T) {
	fastCode, fast, _ := runCLI(t, "--version")
	appCode, app, _ := runCLI(t, "--version=true")
	if fastCode != exitOK || appCode != exitOK || fast != app || !strings.HasPrefix(fast, "pinready version ") {
		t.Fatalf("--version exit %d %q; --version=true exit %d %q", fastCode, fast, appCode, app)
	}
}

// `pinready completion bash` completes commands and flags in a real bash,
// by asking the binary on PATH; zsh and fish scripts are printed, and an
// unknown shell is a usage error.
func TestCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := buildBinary(t)
	script := filepath.Join(t.TempDir(), "pinready.bash")
	code, stdout, _ := runCLI(t, "completion", "bash")
	if code != exitOK {
		t.Fatalf("completion bash: exit %d", code)
	}
	if err := os.WriteFile(script, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) []string {
		t.Helper()
		cmd := exec.Command(bash, "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pinready_complete; printf '%s\n' "${COMPREPLY[@]}"`,
			"bash", script)
		cmd.Args = append(cmd.Args, words...)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	if got := complete("pinready", "re"); strings.Join(got, " ") != "record" {
		t.Errorf("pinready re<TAB> = %v, want [record]", got)
	}
	if got := complete("pinready", "check", "--fail"); strings.Join(got, " ") != "--fail-on" {
		t.Errorf("pinready check --fail<TAB> = %v, want [--fail-on]", got)
	}
	for shell, want := range map[string]string{"zsh": "compdef _pinready pinready", "fish": "complete -c pinready"} {
		if code, out, _ := runCLI(t, "completion", shell); code != exitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, script lacks %q", shell, code, want)
		}
	}
	if code, _, stderr := runCLI(t, "completion", "tcsh"); code != exitUsage || !strings.Contains(stderr, "bash, zsh, fish") {
		t.Errorf("completion tcsh: exit %d, %q", code, stderr)
	}
}

package cli

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/example"
)

// Every enum flag refuses a value it does not know with exit 2, before any
// work: the message lists what is allowed and, for a typo, what was meant.
func TestEnumFlagsRefuseTyposWithASuggestion(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"check", "--format", "jsn"}, "--format jsn: want one of text, json, junit, sarif, markdown, html; did you mean json?"},
		{[]string{"check", "--format", "text,mark", "--output-dir", dir}, "--format mark: want one of text, json, junit, sarif, markdown, html; did you mean markdown?"},
		{[]string{"check", "--format", ""}, `--format "": want one of text, json, junit, sarif, markdown, html`},
		{[]string{"check", "--render", "alway"}, "--render alway: want one of auto, always, never; did you mean always?"},
		{[]string{"check", "--only", "description", "--only", "privcy"}, "--only privcy: want one of privacy, description, oauth; did you mean privacy?"},
		{[]string{"check", "--only", "description,oath"}, "--only oath: want one of privacy, description, oauth; did you mean oauth?"},
		{[]string{"check", "--fail-on", "warn"}, "--fail-on warn: want one of blocker, warning, never; did you mean warning?"},
		{[]string{"check", "--fail-on", "sometimes"}, "--fail-on sometimes: want one of blocker, warning, never\n"},
		{[]string{"record", "--fail-on", "nevr"}, "--fail-on nevr: want one of blocker, warning, never; did you mean never?"},
		{[]string{"record", "--video", "mp5"}, "--video mp5: want one of mp4, webm, gif; did you mean mp4?"},
		{[]string{"pack", "--fail-on", "Blocker"}, "--fail-on Blocker: want one of blocker, warning, never; did you mean blocker?"},
		{[]string{"merge", "--format", "htm", "summary.json"}, "--format htm: want one of text, json, junit, sarif, markdown, html; did you mean html?"},
		{[]string{"merge", "--fail-on", "blokcer", "summary.json"}, "--fail-on blokcer: want one of blocker, warning, never; did you mean blocker?"},
		{[]string{"rules", "--format", "jsno"}, "--format jsno: want one of text, json; did you mean json?"},
		{[]string{"rules", "--format", "yaml"}, "--format yaml: want one of text, json\n"},
		{[]string{"example", "--out", dir, "--stack", "authj"}, "--stack authj: want one of go, authjs, terminal; did you mean authjs?"},
		{[]string{"completion", "tcsh"}, "completion tcsh: want one of bash, zsh, fish\n"},
		{[]string{"completion", "zhs"}, "completion zhs: want one of bash, zsh, fish; did you mean zsh?"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(stderr, "pinready: "+c.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, stderr, stdout, c.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused command wrote %d files into %s", len(entries), dir)
	}
}

func TestSuggest(t *testing.T) {
	formats := []string{"text", "json", "junit", "sarif", "markdown", "html"}
	for _, c := range []struct{ value, want string }{
		{"jsn", "json"},      // a letter dropped
		{"jsonn", "json"},    // a letter added
		{"jsno", "json"},     // two letters swapped
		{"JSON", "json"},     // the wrong case
		{"mark", "markdown"}, // the start of it
		{"htlm", "html"},
		{"md", ""}, // no typo of any: not guessed
		{"yaml", ""},
		{"", ""},
	} {
		if got := suggest(c.value, formats); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.value, got, c.want)
		}
	}
	for _, c := range []struct{ value, want string }{{"gp", ""}, {"authj", "authjs"}, {"terminl", "terminal"}, {"rails", ""}} {
		if got := suggest(c.value, example.StackNames); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.value, got, c.want)
		}
	}
}

// --stack lists the stacks the example builds, all of them.
func TestStackNamesAreTheStacks(t *testing.T) {
	if got, want := slices.Sorted(slices.Values(example.StackNames)), slices.Sorted(maps.Keys(example.Stacks)); !slices.Equal(got, want) {
		t.Errorf("StackNames %v, Stacks %v", got, want)
	}
}

// The bound flags reach the run: the config from PINREADY_CONFIG, --output
// - as stdout, --output-dir with several --format values.
func TestBoundFlagsReachTheRun(t *testing.T) {
	good, err := filepath.Abs("../../testdata/configs/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PINREADY_CONFIG", good)
	code, stdout, stderr := runCLI(t, "check", "--only", "description", "--format", "json", "--output", "-")
	if code != exitOK || !strings.Contains(stdout, `"config": "`+good+`"`) {
		t.Fatalf("PINREADY_CONFIG, --output -: exit %d, stderr %q, stdout %.200q", code, stderr, stdout)
	}
	dir := t.TempDir()
	code, _, stderr = runCLI(t, "check", "--only", "description", "--format", "json, markdown", "--output-dir", dir, "--fail-on", "never")
	if code != exitOK {
		t.Fatalf("--output-dir: exit %d, %s", code, stderr)
	}
	for _, name := range []string{"report.json", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

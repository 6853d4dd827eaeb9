package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/testkit"
	"github.com/pinready/pinready/report"
)

// cliMu serializes Main in tests: urfave/cli v2 applies its package-global
// HelpFlag on every run, a data race when tests run commands in parallel. A
// real pinready process calls Main once.
var cliMu sync.Mutex

// runMain runs one command line with the repository's rules.yaml, as the
// binary does with its embedded copy.
func runMain(t testing.TB, ctx context.Context, args []string, stdout, stderr io.Writer) int {
	t.Helper()
	cliMu.Lock()
	defer cliMu.Unlock()
	return Main(ctx, args, System{Stdout: stdout, Stderr: stderr}, testkit.RulesYAML(t))
}

// runCLI runs the command line as a user would and returns exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runMain(t, context.Background(), append([]string{"pinready"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// testEnv is a command environment writing into buffers.
func testEnv(t testing.TB, stdout, stderr io.Writer) *env {
	return &env{System: System{Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" }}, rules: testkit.RulesYAML(t)}
}

// check --only description prints the contract JSON, and the exit code is
// the same for every format.
func TestCheckExitCodesIdenticalAcrossFormats(t *testing.T) {
	tests := []struct {
		config string
		failOn string
		want   int
	}{
		{"../../testdata/configs/good.yaml", "blocker", 0},
		{"../../testdata/configs/good.yaml", "warning", 0},
		{"../../testdata/configs/warning.yaml", "blocker", 0},
		{"../../testdata/configs/warning.yaml", "warning", 1},
		{"../../testdata/configs/blocker.yaml", "blocker", 1},
		{"../../testdata/configs/blocker.yaml", "never", 0},
		{"../../testdata/configs/malformed.yaml", "blocker", 2},
		{"../../testdata/configs/unknown-key.yaml", "blocker", 2},
	}
	for _, tt := range tests {
		for _, format := range report.Formats {
			name := filepath.Base(tt.config) + "/" + tt.failOn + "/" + format
			t.Run(name, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "check", "--config", tt.config, "--only", "description",
					"--format", format, "--fail-on", tt.failOn)
				if code != tt.want {
					t.Fatalf("exit %d, want %d\nstderr: %s", code, tt.want, stderr)
				}
				if code != 2 && stdout == "" {
					t.Fatal("no report on stdout")
				}
			})
		}
	}
}

func TestCheckJSONIsTheContract(t *testing.T) {
	code, stdout, _ := runCLI(t, "check", "--config", "../../testdata/configs/blocker.yaml", "--only", "description", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var rep checks.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SchemaVersion != 1 || rep.Tool.Name != "pinready" || rep.Verdict != checks.VerdictLikelyDenied || rep.App.Config != "../../testdata/configs/blocker.yaml" {
		t.Fatalf("report header = %+v", rep)
	}
	rs, _ := testEnv(t, io.Discard, io.Discard).loadRules("")
	if len(rep.Findings) != len(rs.Rules) {
		t.Fatalf("%d findings, want one per rule (%d)", len(rep.Findings), len(rs.Rules))
	}
	for _, f := range rep.Findings {
		group := rs.Get(f.Rule).Group
		if group != "description" && f.Status != checks.StatusSkip {
			t.Errorf("%s: %s, want skip (not selected)", f.Rule, f.Status)
		}
		if f.Rule == "description.length" && (f.Status != checks.StatusFail || f.Location == nil || f.Location.Line != 6) {
			t.Errorf("description.length = %+v, want a failure at line 6", f)
		}
	}
	// The raw JSON has exactly the contract's top-level keys.
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(stdout), &raw)
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if want := []string{"app", "artifacts", "findings", "schema_version", "summary", "tool", "verdict"}; !slices.Equal(keys, want) {
		t.Fatalf("top-level keys %v, want %v", keys, want)
	}
}

func TestBadInputExitsTwoNamingFileAndLine(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", "--config", "../../testdata/configs/malformed.yaml"}, "../../testdata/configs/malformed.yaml:3: app.privacy_policy_url"},
		{[]string{"check", "--config", "../../testdata/configs/unknown-key.yaml"}, "../../testdata/configs/unknown-key.yaml:4: oauth.connect: unknown key"},
		{[]string{"check", "--config", "../../testdata/configs/nope.yaml"}, "nope.yaml: no such file"},
		{[]string{"check", "--config", "../../testdata/configs/good.yaml", "--fail-on", "sometimes"}, "--fail-on sometimes"},
		{[]string{"check", "--config", "../../testdata/configs/good.yaml", "--format", "pdf"}, "--format pdf"},
		{[]string{"check", "--config", "../../testdata/configs/good.yaml", "--only", "video"}, "--only video"},
		{[]string{"check", "--config", "../../testdata/configs/good.yaml", "--resolve", "acme.example:443"}, "HOST:PORT:ADDR"},
		{[]string{"check", "--config", "../../testdata/configs/good.yaml", "--rules", "../../testdata/configs/malformed.yaml"}, "malformed.yaml:1: app: unknown key"},
		{[]string{"check", "--no-such-flag"}, "no-such-flag"},
		{[]string{"frobnicate"}, "frobnicate"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

func TestRulesCommand(t *testing.T) {
	code, stdout, _ := runCLI(t, "rules")
	if code != 0 || !strings.Contains(stdout, "privacy.domain") || !strings.Contains(stdout, "fix:") {
		t.Fatalf("rules text: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "rules", "--format", "json")
	var got struct{ Rules []checks.Rule }
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || len(got.Rules) < 36 {
		t.Fatalf("rules json: exit %d, %d rules", code, len(got.Rules))
	}
	code, stdout, _ = runCLI(t, "rules", "--rules", "../../testdata/rules/disable-updated.yaml")
	if code != 0 || !strings.Contains(stdout, "(disabled)") {
		t.Fatalf("rules with --rules: exit %d\n%s", code, stdout)
	}
}

// A config path may contain a comma: --config never splits.
func TestConfigPathWithComma(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acme, inc.yaml")
	data, _ := os.ReadFile("../../testdata/configs/good.yaml")
	os.WriteFile(path, data, 0o644)
	if code, _, stderr := runCLI(t, "check", "--config", path, "--only", "description,privacy", "--render", "never", "--timeout", "1s"); code == 2 {
		t.Fatalf("exit 2 for a path with a comma: %s", stderr)
	}
}

func TestInitWritesAConfigThatLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pinready.yaml")
	if code, _, stderr := runCLI(t, "init", "--config", path, "--website", "https://pins.example/app"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	cfg, err := checks.LoadConfig(path)
	if err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	if cfg.App.PrivacyPolicyURL != "https://pins.example/privacy" || cfg.App.Website != "https://pins.example/app" {
		t.Fatalf("prefill: %+v", cfg.App)
	}
	if code, _, stderr := runCLI(t, "init", "--config", path); code != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("init over an existing file: exit %d, %s", code, stderr)
	}
}

func TestNoColorUnlessTerminal(t *testing.T) {
	_, stdout, _ := runCLI(t, "check", "--config", "../../testdata/configs/blocker.yaml", "--only", "description")
	if strings.Contains(stdout, "\x1b[") {
		t.Fatal("colour codes in text written to a pipe")
	}
	if !strings.Contains(stdout, "likely-denied") {
		t.Fatalf("text report has no verdict:\n%s", stdout)
	}
}

func TestOutputDirWritesEachFormat(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--only", "description",
		"--format", "json,sarif,junit,markdown,html,text", "--output-dir", dir)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	for _, f := range []string{"report.json", "report.sarif", "report.junit.xml", "report.md", "report.html", "report.txt"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Several configs (repeated, comma-separated or a directory) give one report
// each, a combined summary, and the worst app's exit code.
func TestCheckSeveralApps(t *testing.T) {
	code, stdout, stderr := runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--config", "../../testdata/configs/blocker.yaml",
		"--config", "../../testdata/configs/warning.yaml", "--only", "description", "--format", "json", "--jobs", "2")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one app has a failing blocker)\n%s", code, stderr)
	}
	var got struct {
		Summary map[string]int
		Reports []checks.Report
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"apps": 3, "ready": 1, "at-risk": 1, "likely-denied": 1, "errors": 0}
	if len(got.Reports) != 3 || !maps.Equal(got.Summary, want) {
		t.Fatalf("summary %v with %d reports, want %v", got.Summary, len(got.Reports), want)
	}
	if got.Reports[1].App.Name != "Nimbus" {
		t.Fatalf("reports out of config order: %s", got.Reports[1].App.Name)
	}

	dir := t.TempDir()
	for _, f := range []string{"good.yaml", "warning.yaml"} {
		data, _ := os.ReadFile("../../testdata/configs/" + f)
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	out := t.TempDir()
	code, _, stderr = runCLI(t, "check", "--config", dir, "--only", "description", "--format", "sarif,json", "--output-dir", out)
	if code != 0 {
		t.Fatalf("directory of configs: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"good/report.sarif", "warning/report.json", "summary.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(stderr, "Pinwheel Scheduler") || !strings.Contains(stderr, "at-risk") {
		t.Errorf("no summary table on stderr:\n%s", stderr)
	}
	if code, _, stderr := runCLI(t, "check", "--config", dir, "--format", "html"); code != 2 || !strings.Contains(stderr, "--output-dir") {
		t.Errorf("html for several apps without --output-dir: exit %d, %s", code, stderr)
	}
}

package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// newActionlint returns a linter that knows this repository (so `uses: ./`
// reads action.yml) and a config of our own (so a machine's
// .github/actionlint.yaml cannot change the verdict).
func newActionlint(t *testing.T) (*actionlint.Linter, *actionlint.Project) {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "actionlint.yaml")
	if err := os.WriteFile(cfg, []byte("self-hosted-runner:\n  labels: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{ConfigFile: cfg})
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	return l, p
}

func lint(t *testing.T, l *actionlint.Linter, p *actionlint.Project, name string, wf []byte) []*actionlint.Error {
	t.Helper()
	errs, err := l.Lint(filepath.Join(p.RootDir(), ".github", "workflows", name), wf, p)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// The README's workflows that use the action pass actionlint with their
// inputs and outputs checked against action.yml (`uses: ./` makes actionlint
// read it), and actionlint says no to an input the action lacks.
func TestReadmeActionWorkflowsMatchActionYml(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	uses := regexp.MustCompile(`uses: pinready/pinready@\S+`)
	// The action step's with: block, to add an input action.yml lacks.
	withBlock := regexp.MustCompile(`(uses: \./\n(?:.*\n)*?( +)with:\n)`)
	n := 0
	l, p := newActionlint(t)
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if !uses.MatchString(m[1]) || !strings.Contains(m[1], "\njobs:") {
			continue
		}
		n++
		local := uses.ReplaceAllString(m[1], "uses: ./")
		for _, e := range lint(t, l, p, "readme-action.yml", []byte(local)) {
			t.Errorf("README workflow %d with uses: ./, line %d: %s [%s]", n, e.Line, e.Message, e.Kind)
		}
		bad := withBlock.ReplaceAllString(local, "$1$2  confg: x\n")
		if bad == local {
			t.Fatalf("README workflow %d: the action step has no `with:` block", n)
		}
		if errs := lint(t, l, p, "readme-action.yml", []byte(bad)); len(errs) == 0 {
			t.Errorf("README workflow %d: actionlint accepted an input action.yml lacks", n)
		}
	}
	if n == 0 {
		t.Fatal("the README shows no workflow that uses pinready/pinready@…")
	}
}

// action.yml's own steps pass actionlint: they are linted as the steps of a
// reusable workflow whose inputs are the action's (actionlint reads an
// action's metadata but does not lint a composite action's steps).
func TestActionStepsPassActionlint(t *testing.T) {
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []any  `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) == 0 {
		t.Fatalf("action.yml: runs.using %q with %d steps", action.Runs.Using, len(action.Runs.Steps))
	}
	inputs := map[string]any{}
	for name, in := range action.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false, "default": in.Default}
	}
	wf, err := yaml.Marshal(map[string]any{
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps}},
	})
	if err != nil {
		t.Fatal(err)
	}
	l, p := newActionlint(t)
	for _, e := range lint(t, l, p, "action-steps.yml", wf) {
		t.Errorf("action.yml's steps, line %d of the generated workflow: %s [%s]", e.Line, e.Message, e.Kind)
	}
}

// buildPinready builds the binary into dir.
func buildPinready(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "pinready")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// The action's run step with the real pinready: the verdict, the exit code
// and the report paths reach GITHUB_OUTPUT, the Markdown report the job
// summary, and the step itself never fails (the action's last step does,
// after the uploads).
func TestActionRunScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pinready")
	}
	bin := buildPinready(t, t.TempDir())
	for _, c := range []struct {
		config, failOn, verdict, code string
	}{
		{"testdata/configs/good.yaml", "blocker", "ready", "0"},
		{"testdata/configs/blocker.yaml", "blocker", "likely-denied", "1"},
		{"testdata/configs/blocker.yaml", "never", "likely-denied", "0"},
	} {
		t.Run(filepath.Base(c.config)+"-"+c.failOn, func(t *testing.T) {
			dir := t.TempDir()
			outputs, summary := filepath.Join(dir, "outputs"), filepath.Join(dir, "summary.md")
			cmd := exec.Command("scripts/action-run.sh")
			cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"),
				"GITHUB_OUTPUT="+outputs, "GITHUB_STEP_SUMMARY="+summary,
				"INPUT_CONFIG="+c.config, "INPUT_ONLY=description", "INPUT_FAIL_ON="+c.failOn,
				"INPUT_FORMAT=sarif,markdown", "INPUT_OUTPUT_DIR="+filepath.Join(dir, "report"), "INPUT_RECORD=false")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("action-run.sh failed itself: %v\n%s", err, out)
			}
			got, err := os.ReadFile(outputs)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"verdict=" + c.verdict, "exit-code=" + c.code,
				"sarif=" + filepath.Join(dir, "report", "report.sarif"), "report-json=" + filepath.Join(dir, "report", "report.json")} {
				if !strings.Contains(string(got), want+"\n") {
					t.Errorf("GITHUB_OUTPUT lacks %q:\n%s", want, got)
				}
			}
			if md, err := os.ReadFile(summary); err != nil || !strings.Contains(string(md), "description.length") {
				t.Errorf("job summary: %v\n%.300s", err, md)
			}
		})
	}
}

// The action's install step takes the archive for this runner from a
// release folder laid out as GoReleaser writes it (name, wrapping folder,
// checksums.txt), checks its SHA-256, and refuses a tampered one.
func TestActionInstallScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pinready")
	}
	bin := buildPinready(t, t.TempDir())
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	release := t.TempDir()
	name := fmt.Sprintf("pinready_9.8.7_%s_%s", runtime.GOOS, runtime.GOARCH)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		data []byte
	}{{name + "/README.md", []byte("readme")}, {name + "/pinready", exe}} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.data))})
		tw.Write(f.data)
	}
	tw.Close()
	gz.Close()
	archive := buf.Bytes()
	if err := os.WriteFile(filepath.Join(release, name+".tar.gz"), archive, 0o644); err != nil {
		t.Fatal(err)
	}
	writeSums := func(sum [32]byte) {
		t.Helper()
		line := fmt.Sprintf("%x  pinready_9.8.7_windows_amd64.tar.gz\n%x  %s.tar.gz\n", sha256.Sum256(nil), sum, name)
		if err := os.WriteFile(filepath.Join(release, "checksums.txt"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	install := func() (string, string, error) {
		runner := t.TempDir()
		path := filepath.Join(runner, "github_path")
		cmd := exec.Command("scripts/action-install.sh")
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+runner, "GITHUB_PATH="+path, "PINREADY_DOWNLOAD_URL=file://"+release,
			"RUNNER_OS=", "RUNNER_ARCH=", "INPUT_RECORD=false")
		out, err := cmd.CombinedOutput()
		return string(out), path, err
	}
	writeSums(sha256.Sum256(archive))
	out, pathFile, err := install()
	if err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	dir, err := os.ReadFile(pathFile)
	if err != nil {
		t.Fatal(err)
	}
	version, err := exec.Command(filepath.Join(strings.TrimSpace(string(dir)), "pinready"), "--version").Output()
	if err != nil || !strings.HasPrefix(string(version), "pinready version ") || !strings.Contains(out, "sha256 checked") || !strings.Contains(out, "chromium: ") {
		t.Errorf("installed pinready: %v %q\n%s", err, version, out)
	}
	writeSums(sha256.Sum256(append(archive, 0)))
	if out, _, err := install(); err == nil {
		t.Errorf("a tampered archive was installed:\n%s", out)
	}
}

// The repository's own workflows (the release) pass actionlint.
func TestRepositoryWorkflowsPassActionlint(t *testing.T) {
	l, p := newActionlint(t)
	files, err := filepath.Glob(filepath.Join(p.WorkflowsDir(), "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in %s: %v", p.WorkflowsDir(), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range lint(t, l, p, filepath.Base(f), data) {
			t.Errorf("%s, line %d: %s [%s]", filepath.Base(f), e.Line, e.Message, e.Kind)
		}
	}
}

package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/testkit"
)

// shardConfigs writes 20 configs of the example app into a folder (19) and
// a subfolder (1, with the name of one in the folder, so names are made
// unique across the run): most at-risk (the example is plain HTTP), some
// with a placeholder description and one with a policy that is not there
// (likely-denied). It returns the --config arguments of the run.
func shardConfigs(t *testing.T, w *example.World) []string {
	t.Helper()
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	base := w.Config()
	write := func(path, cfg string) {
		if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 19; i++ {
		cfg := strings.Replace(base, "name: "+example.AppName, fmt.Sprintf("name: %s %02d", example.AppName, i), 1)
		switch {
		case i%7 == 0:
			cfg = regexp.MustCompile(`(?s)description: \|\n.*?\n  scopes:`).ReplaceAllString(cfg, "description: TODO lorem ipsum\n  scopes:")
		case i == 10:
			cfg = strings.Replace(cfg, "privacy_policy_url: "+w.AppURL+"privacy", "privacy_policy_url: "+w.AppURL+"gone", 1)
		}
		write(filepath.Join(dir, fmt.Sprintf("app-%02d.yaml", i)), cfg)
	}
	write(filepath.Join(sub, "app-01.yaml"), strings.Replace(base, "name: "+example.AppName, "name: "+example.AppName+" (sub)", 1))
	return []string{"--config", dir, "--config", filepath.Join(sub, "app-01.yaml")}
}

// A run split 3 ways (`check --shard K/3`) and merged (`pinready merge`)
// writes what one run over the 20 configs writes: the same files, each
// app's reports in every format byte for byte, the same summary.json and
// summary table once times are set aside, and the same exit code, at
// --fail-on blocker (1) and never (0). The shards' summaries are given to
// merge out of order, one of them as check's JSON on stdout.
func TestShardsMergeLikeOneRun(t *testing.T) {
	w := testkit.World(t, example.Options{})
	configs := shardConfigs(t, w)
	common := append(slices.Clone(configs), "--only", "description,privacy", "--render", "never", "--jobs", "4")
	for _, r := range w.ResolveFlags() {
		common = append(common, "--resolve", r)
	}
	formats := []string{"--format", "text,json,junit,sarif,markdown,html"}

	oneDir := filepath.Join(t.TempDir(), "report")
	oneCode, _, oneErr := runCLI(t, append(append([]string{"check"}, common...), append(formats, "--output-dir", oneDir)...)...)
	if oneCode != 1 {
		t.Fatalf("one run: exit %d, want 1 (some apps are likely-denied)\n%s", oneCode, oneErr)
	}

	var summaries []string
	apps := 0
	for k := 1; k <= 3; k++ {
		args := append([]string{"check", "--shard", fmt.Sprintf("%d/3", k)}, common...)
		path := filepath.Join(t.TempDir(), "summary.json")
		var code int
		var stderr string
		if k == 2 {
			var stdout string
			code, stdout, stderr = runCLI(t, append(args, "--format", "json")...)
			if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			out := filepath.Join(t.TempDir(), "shard")
			code, _, stderr = runCLI(t, append(args, "--format", "json", "--output-dir", out)...)
			path = filepath.Join(out, "summary.json")
		}
		if code > 1 {
			t.Fatalf("shard %d/3: exit %d\n%s", k, code, stderr)
		}
		var part struct {
			Apps  []json.RawMessage
			Shard struct{ K, N, Apps int }
		}
		data, _ := os.ReadFile(path)
		if err := json.Unmarshal(data, &part); err != nil {
			t.Fatalf("shard %d/3: %v", k, err)
		}
		if part.Shard.K != k || part.Shard.N != 3 || part.Shard.Apps != 20 || len(part.Apps) < 6 || len(part.Apps) > 7 {
			t.Errorf("shard %d/3 holds %d apps, shard %+v: want 6 or 7 of 20", k, len(part.Apps), part.Shard)
		}
		apps += len(part.Apps)
		summaries = append(summaries, path)
	}
	if apps != 20 {
		t.Fatalf("the shards audited %d apps in all, want 20", apps)
	}
	summaries[0], summaries[2] = summaries[2], summaries[0]

	mergedDir := filepath.Join(t.TempDir(), "report")
	code, stdout, mergeErr := runCLI(t, append(append([]string{"merge"}, append(formats, "--output-dir", mergedDir)...), summaries...)...)
	if code != oneCode || stdout != "" {
		t.Fatalf("merge: exit %d, want %d as one run; stdout %q\n%s", code, oneCode, stdout, mergeErr)
	}
	sameTrees(t, oneDir, mergedDir)
	if a, b := summaryTable(oneErr), summaryTable(mergeErr); !slices.Equal(a, b) || len(a) != 21 {
		t.Errorf("summary tables differ (times set aside):\none run:\n%s\nmerge:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	for _, stderr := range []string{oneErr, mergeErr} {
		if !regexp.MustCompile(`(?m)^CPU time: \d+\.\ds in all, \d+% of it in Chromium$`).MatchString(stderr) {
			t.Errorf("no CPU line under the summary table:\n%s", stderr)
		}
	}

	// The exit code follows --fail-on as one run's does.
	oneNever, _, _ := runCLI(t, append(append([]string{"check"}, common...), "--format", "json", "--fail-on", "never")...)
	mergeNever, _, stderr := runCLI(t, append([]string{"merge", "--format", "json", "--fail-on", "never"}, summaries...)...)
	if oneNever != 0 || mergeNever != 0 {
		t.Errorf("--fail-on never: one run exit %d, merge exit %d (%s), want 0 and 0", oneNever, mergeNever, stderr)
	}
}

// sameTrees compares every file of two output folders: the same names, the
// same bytes, but for summary.json, compared with its times and folder
// paths set aside.
func sameTrees(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) []string {
		var out []string
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, path)
				out = append(out, rel)
			}
			return nil
		})
		return out
	}
	fa, fb := files(a), files(b)
	if !slices.Equal(fa, fb) || len(fa) != 20*6+1 {
		t.Fatalf("files differ:\none run: %v\nmerge:   %v", fa, fb)
	}
	for _, f := range fa {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if f == "summary.json" {
			x, y = normalSummary(t, x, a), normalSummary(t, y, b)
		}
		if string(x) != string(y) {
			t.Errorf("%s differs:\none run:\n%s\nmerge:\n%s", f, x, y)
		}
	}
}

// normalSummary sets aside what changes from run to run in a summary.json:
// wall times, slowest steps, CPU times, and the output folder's own path.
func normalSummary(t *testing.T, data []byte, dir string) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if v["cpu"] == nil {
		t.Errorf("summary.json has no cpu: %s", data)
	}
	delete(v, "cpu")
	for _, app := range v["apps"].([]any) {
		line := app.(map[string]any)
		delete(line, "wall_ms")
		delete(line, "slowest_step")
	}
	outputs := v["outputs"].(map[string]any)
	for k, p := range outputs {
		outputs[k] = strings.TrimPrefix(p.(string), dir)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return out
}

// summaryTable is the summary table in stderr, each line cut to the
// columns that are not times (app, config, verdict, blockers, warnings,
// passed).
func summaryTable(stderr string) []string {
	var rows []string
	in := false
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "app ") {
			in = true
		}
		if !in || l == "" || strings.HasPrefix(l, "CPU time") {
			continue
		}
		cols := regexp.MustCompile(`\s{2,}`).Split(l, -1)
		rows = append(rows, strings.Join(cols[:min(6, len(cols))], " | "))
	}
	return rows
}

// merge refuses what is not one whole run, with exit 2: a missing shard, a
// file that is not a summary.
func TestMergeRefusesPartialRun(t *testing.T) {
	dir := t.TempDir()
	args := []string{"check", "--config", "../../testdata/configs/good.yaml", "--config", "../../testdata/configs/warning.yaml",
		"--config", "../../testdata/configs/blocker.yaml", "--only", "description", "--format", "json"}
	code, stdout, stderr := runCLI(t, append(args, "--shard", "1/2")...)
	if code > 1 {
		t.Fatalf("shard 1/2: exit %d\n%s", code, stderr)
	}
	one := filepath.Join(dir, "one.json")
	os.WriteFile(one, []byte(stdout), 0o644)
	if code, _, stderr := runCLI(t, "merge", one); code != 2 || !strings.Contains(stderr, "shard 2/2 is missing") {
		t.Errorf("merge of one shard of two: exit %d, %s", code, stderr)
	}
	report := filepath.Join(dir, "report.json")
	_, stdout, _ = runCLI(t, "check", "--config", "../../testdata/configs/good.yaml", "--only", "description", "--format", "json")
	os.WriteFile(report, []byte(stdout), 0o644)
	if code, _, stderr := runCLI(t, "merge", one, report); code != 2 || !strings.Contains(stderr, report) || !strings.Contains(stderr, "not a pinready summary") {
		t.Errorf("merge of a single app's report: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "merge"); code != 2 || !strings.Contains(stderr, "name the summaries") {
		t.Errorf("merge of nothing: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, append(args, "--shard", "3/2")...); code != 2 || !strings.Contains(stderr, "--shard 3/2") {
		t.Errorf("--shard 3/2: exit %d, %s", code, stderr)
	}
}

package main

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// The GitHub Actions workflow the README tells users to copy is valid:
// actionlint checks its syntax, expressions, contexts and action inputs.
func TestReadmeWorkflowsPassActionlint(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var workflows []string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(m[1], "runs-on:") && strings.Contains(m[1], "\njobs:") {
			workflows = append(workflows, m[1])
		}
	}
	if len(workflows) == 0 {
		t.Fatal("the README shows no GitHub Actions workflow")
	}
	// One of them spreads many apps over a job matrix (check --shard) and
	// merges the shards' summaries in a job that needs them all.
	sharded := slices.ContainsFunc(workflows, func(wf string) bool {
		return strings.Contains(wf, "matrix:") && strings.Contains(wf, "--shard ${{ matrix.shard }}/") &&
			strings.Contains(wf, "needs: shard") && strings.Contains(wf, "pinready merge ") && strings.Contains(wf, "actions/download-artifact@")
	})
	if !sharded {
		t.Error("no README workflow shards a check over a matrix and merges the summaries")
	}
	// A config file of our own keeps a .github/actionlint.yaml of the
	// machine's from changing the verdict.
	cfg := t.TempDir() + "/actionlint.yaml"
	if err := os.WriteFile(cfg, []byte("self-hosted-runner:\n  labels: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{ConfigFile: cfg})
	if err != nil {
		t.Fatal(err)
	}
	for i, wf := range workflows {
		errs, err := l.Lint("README-workflow.yml", []byte(wf), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("README workflow %d, line %d: %s [%s]", i+1, e.Line, e.Message, e.Kind)
		}
	}
}

// The GitLab recipe for many apps parses as YAML and has the shape GitLab
// needs: a parallel job that shards by CI_NODE_INDEX/CI_NODE_TOTAL and keeps
// its summary as an artifact, and a later job that needs it (every instance)
// and merges, even when a shard failed. No GitLab linter runs offline; this
// holds the recipe to what the GitLab docs say those keywords do.
func TestReadmeGitLabShardRecipe(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var recipe map[string]any
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(m[1], "parallel:") && strings.Contains(m[1], "pinready merge") {
			if err := yaml.Unmarshal([]byte(m[1]), &recipe); err != nil {
				t.Fatalf("the GitLab recipe is not YAML: %v", err)
			}
		}
	}
	if recipe == nil {
		t.Fatal("the README shows no GitLab recipe with parallel: and pinready merge")
	}
	job := func(name string) map[string]any {
		j, _ := recipe[name].(map[string]any)
		if j == nil {
			t.Fatalf("no job %s", name)
		}
		return j
	}
	shard, merge := job("pinready-shard"), job("pinready")
	script := func(j map[string]any) string {
		var lines []string
		for _, l := range j["script"].([]any) {
			lines = append(lines, l.(string))
		}
		return strings.Join(lines, "\n")
	}
	if shard["parallel"] != 4 || !strings.Contains(script(shard), `--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"`) ||
		!strings.Contains(script(shard), `--output-dir "pinready-shard-$CI_NODE_INDEX"`) {
		t.Errorf("the shard job does not shard by the node index: %v", shard)
	}
	if a := shard["artifacts"].(map[string]any); a["when"] != "always" || !slices.Contains(a["paths"].([]any), any("pinready-shard-*/")) {
		t.Errorf("the shard job does not keep its summary whatever its exit code: %v", a)
	}
	stages := recipe["stages"].([]any)
	if !slices.Equal(merge["needs"].([]any), []any{"pinready-shard"}) || merge["when"] != "always" ||
		slices.Index(stages, merge["stage"]) <= slices.Index(stages, shard["stage"]) ||
		!strings.Contains(script(merge), "pinready merge ") || !strings.Contains(script(merge), "pinready-shard-*/summary.json") {
		t.Errorf("the merge job does not merge every shard's summary after them: %v", merge)
	}
}

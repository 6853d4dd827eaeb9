package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
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

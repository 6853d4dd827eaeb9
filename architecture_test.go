package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/pinready/pinready"

// docs/ARCHITECTURE.md's table of packages and their allowed imports is the
// import graph `go list` sees: no package imports what the table does not
// allow, and the table lists no import that is not there.
func TestArchitectureMatchesImports(t *testing.T) {
	doc, err := os.ReadFile("docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([^`]+)`[^|]*\\|[^|]*\\| ([^|]+) \\|$")
	allowed := map[string][]string{}
	for _, line := range strings.Split(string(doc), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(m[1], "privacy.") || strings.HasPrefix(m[1], "description.") || strings.HasPrefix(m[1], "oauth.") || m[1] == "demo.video" {
			continue
		}
		name := strings.TrimSuffix(m[1], " (main)")
		var deps []string
		if list := strings.TrimSpace(m[2]); list != "—" {
			for _, d := range strings.Split(list, ",") {
				deps = append(deps, strings.TrimSpace(d))
			}
		}
		allowed[name] = deps
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := short(fields[0])
		seen[pkg] = true
		var ours []string
		for _, imp := range fields[1:] {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				ours = append(ours, short(imp))
			}
		}
		slices.Sort(ours)
		want, ok := allowed[pkg]
		if !ok {
			t.Errorf("docs/ARCHITECTURE.md does not list package %s (it imports %v)", pkg, ours)
			continue
		}
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(ours, want) {
			t.Errorf("%s imports %v; docs/ARCHITECTURE.md says %v", pkg, ours, want)
		}
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("docs/ARCHITECTURE.md lists %s, which go list does not know", pkg)
		}
	}
}

func short(path string) string {
	if path == module {
		return "."
	}
	return strings.TrimPrefix(path, module+"/")
}

package main

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
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

// docs/ARCHITECTURE.md's "Where a rule lives" table leads from a rule id to
// its code: every rule of rules.yaml matches one row by its prefix, and the
// Go code that row names (a folder, or files) has the id.
func TestEveryRuleLeadsToItsFolder(t *testing.T) {
	doc, err := os.ReadFile("docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "## Where a rule lives")
	if !ok {
		t.Fatal(`docs/ARCHITECTURE.md has no "## Where a rule lives" section`)
	}
	table, _, _ = strings.Cut(table, "\n## ")
	type row struct{ ids, code []string }
	var rows []row
	tick := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 4 || !strings.Contains(cells[1], "`") {
			continue
		}
		var r row
		for _, m := range tick.FindAllStringSubmatch(cells[1], -1) {
			r.ids = append(r.ids, m[1])
		}
		// The code is the cell's first name: a folder ("privacy/") or files ("oauthflow/assess*.go").
		if m := tick.FindStringSubmatch(cells[2]); m != nil {
			r.code = []string{m[1]}
		}
		rows = append(rows, r)
	}
	rs, err := checks.ReadRules("rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range rs.Rules {
		var found []row
		for _, r := range rows {
			for _, pat := range r.ids {
				if ok, _ := path.Match(pat, rule.ID); ok {
					found = append(found, r)
					break
				}
			}
		}
		if len(found) != 1 {
			t.Errorf("%s matches %d rows of the table in docs/ARCHITECTURE.md, want 1", rule.ID, len(found))
			continue
		}
		code := found[0].code
		if len(code) == 0 {
			t.Errorf("%s: its row names no code", rule.ID)
			continue
		}
		glob := code[0]
		if strings.HasSuffix(glob, "/") {
			glob += "*.go"
		}
		files, _ := filepath.Glob(glob)
		has := false
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			has = has || strings.Contains(string(data), `"`+rule.ID+`"`)
		}
		if !has {
			t.Errorf("%s: docs/ARCHITECTURE.md says it lives in %s, whose Go code (%d files) does not name it", rule.ID, code[0], len(files))
		}
	}
}

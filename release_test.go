package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// goreleaserConfig is the part of .goreleaser.yaml the tests below read.
type goreleaserConfig struct {
	Builds []struct {
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Files []any `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

func readGoreleaser(t *testing.T) ([]byte, goreleaserConfig) {
	t.Helper()
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf(".goreleaser.yaml: want one build and one archive, have %d and %d", len(cfg.Builds), len(cfg.Archives))
	}
	return data, cfg
}

// .goreleaser.yaml is valid for the GoReleaser that tools/goreleaser/go.mod
// pins: the JSON schema that version writes (`goreleaser jsonschema`,
// committed beside go.mod) refuses unknown keys and wrong types, as
// `goreleaser check` does, without building GoReleaser in the gate.
// `make release-check` runs the real `goreleaser check`.
func TestGoreleaserConfigMatchesSchema(t *testing.T) {
	mod, err := os.ReadFile("tools/goreleaser/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/goreleaser/goreleaser/v2 (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("tools/goreleaser/go.mod requires no github.com/goreleaser/goreleaser/v2")
	}
	schemaFile := "tools/goreleaser/goreleaser-" + string(m[1]) + ".schema.json"
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatalf("%v: regenerate it with `make release-schema`", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("goreleaser.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("goreleaser.json")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := readGoreleaser(t)
	validate := func(data []byte) error {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(j)))
		if err != nil {
			t.Fatal(err)
		}
		return schema.Validate(inst)
	}
	if err := validate(data); err != nil {
		t.Fatalf(".goreleaser.yaml does not match %s: %v", schemaFile, err)
	}
	// The schema must be able to say no, or the check above proves nothing.
	if validate([]byte(strings.Replace(string(data), "checksum:\n", "checksum:\n  nmae_template: x\n", 1))) == nil {
		t.Fatal("the schema accepted an unknown key")
	}
}

// Releases are built for linux and darwin on amd64 and arm64, the same
// targets `make test` cross-compiles (CROSS_TARGETS in the Makefile), with
// the flags the gate uses; every archive carries the README, the licence,
// the man page and the completions; a checksums file is written.
func TestGoreleaserTargetsAndArchives(t *testing.T) {
	_, cfg := readGoreleaser(t)
	b := cfg.Builds[0]
	var targets []string
	for _, os := range b.Goos {
		for _, arch := range b.Goarch {
			targets = append(targets, os+"/"+arch)
		}
	}
	slices.Sort(targets)
	for _, want := range []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64"} {
		if !slices.Contains(targets, want) {
			t.Errorf("no release build for %s", want)
		}
	}
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^CROSS_TARGETS\s*=\s*(.*)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile has no CROSS_TARGETS")
	}
	cross := strings.Fields(string(m[1]))
	slices.Sort(cross)
	if !slices.Equal(cross, targets) {
		t.Errorf("make test cross-compiles %v, releases are built for %v", cross, targets)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("release builds: env %v, flags %v; the gate builds with CGO_ENABLED=0 and -trimpath", b.Env, b.Flags)
	}
	tags := regexp.MustCompile(`(?m)^BUILD_TAGS\s*=\s*(.*)$`).FindSubmatch(makefile)
	if tags == nil || !slices.Contains(b.Flags, "-tags="+strings.TrimSpace(string(tags[1]))) {
		t.Errorf("release builds: flags %v; the gate builds with the Makefile's BUILD_TAGS %q", b.Flags, tags)
	}
	files, _ := json.Marshal(cfg.Archives[0].Files)
	for _, want := range []string{"README.md", "LICENSE", "build/man/pinready.1.gz", "build/completions/*"} {
		if !strings.Contains(string(files), `"`+want+`"`) {
			t.Errorf("the archives lack %s: %s", want, files)
		}
	}
	if cfg.Checksum.NameTemplate == "" {
		t.Error("no checksums file")
	}
}

// The ldflags of .goreleaser.yaml stamp what --version prints: a binary
// built with them (templates filled in) says the version, commit and date.
func TestGoreleaserLdflagsStampTheVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pinready")
	}
	_, cfg := readGoreleaser(t)
	fill := strings.NewReplacer("{{ .Version }}", "9.8.7", "{{ .FullCommit }}", "abcdef0123456789abcdef0123456789abcdef01",
		"{{ .CommitDate }}", "2026-11-30T10:00:00Z")
	ldflags := fill.Replace(strings.Join(cfg.Builds[0].Ldflags, " "))
	if strings.Contains(ldflags, "{{") {
		t.Fatalf("a template this test does not fill: %s", ldflags)
	}
	bin := filepath.Join(t.TempDir(), "pinready")
	if out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "pinready version 9.8.7 (commit abcdef012345 of 2026-11-30T10:00:00Z, built with "; !strings.HasPrefix(string(out), want) {
		t.Errorf("--version = %q, want it to start %q", out, want)
	}
}

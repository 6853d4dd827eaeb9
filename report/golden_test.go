package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// goldenDir is the repository's shared golden directory.
const goldenDir = "../testdata/golden"

// normalise hides what may change without the format changing: the tool
// version (release builds stamp it).
func normalise(b []byte) []byte {
	return regexp.MustCompile(`0\.1\.0`).ReplaceAll(b, []byte("VERSION"))
}

func TestGolden(t *testing.T) {
	r, rs := sampleReport(t)
	cases := []struct {
		format, file string
		color        bool
	}{
		{"text", "report.text", false},
		{"text", "report.text.color", true},
		{"json", "report.json", false},
		{"junit", "report.junit.xml", false},
		{"sarif", "report.sarif.json", false},
		{"markdown", "report.md", false},
		{"html", "report.html", false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			w, err := New(c.format, Options{Color: c.color, Rules: rs, ConfigPath: "pinready.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := w.Write(&buf, r); err != nil {
				t.Fatal(err)
			}
			got := normalise(buf.Bytes())
			path := filepath.Join(goldenDir, c.file)
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report/ -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; if the change is intended, run go test ./report/ -update and review the diff\n--- got ---\n%s", path, got)
			}
		})
	}
}

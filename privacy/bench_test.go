package privacy

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// realisticPolicy is a ~50 KB privacy policy: the head and opening of
// testdata's legal policy, then its sections over and over, renumbered, as
// long policies repeat the same shapes (headings, paragraphs, lists) for
// each product and region.
func realisticPolicy(tb testing.TB, size int) []byte {
	tb.Helper()
	src, err := os.ReadFile("../testdata/privacy/policy-legal.html")
	if err != nil {
		tb.Fatal(err)
	}
	first := bytes.Index(src, []byte("<h2"))
	end := bytes.Index(src, []byte("</article>"))
	if first < 0 || end < first {
		tb.Fatal("policy-legal.html: want <h2> sections inside <article>")
	}
	head, sections, tail := src[:first], src[first:end], src[end:]
	var b bytes.Buffer
	b.Write(head)
	for i := 1; b.Len()+len(tail) < size; i++ {
		fmt.Fprintf(&b, "<section id=\"part-%d\"><h2>Part %d</h2>\n", i, i)
		b.Write(sections)
		b.WriteString("</section>\n")
	}
	b.Write(tail)
	return b.Bytes()
}

// BenchmarkContentAnalysis50KB measures what the static audit does with a
// policy's bytes once they arrived: decode, parse, classify access and run
// every content rule (analyse, shared with the fuzzer). "parse" is the HTML
// parse and visible-text extraction alone, to show where the time goes.
func BenchmarkContentAnalysis50KB(b *testing.B) {
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	rs, err := checks.ParseRules("rules.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	body := realisticPolicy(b, 50<<10)
	b.Run("analyse", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			analyse(b, rs, body, "text/html; charset=utf-8")
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		s := string(body)
		for b.Loop() {
			if _, err := parseDocument(s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}

// BenchmarkContentAnalysisHostileMegabyte is the speed of the content
// analysis on each of TestContentAnalysisOfHostileMegabyte's pages.
func BenchmarkContentAnalysisHostileMegabyte(b *testing.B) {
	data, err := os.ReadFile("../rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	rs, err := checks.ParseRules("rules.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	for name, body := range hostileMegabytes() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				analyse(b, rs, body, "text/html")
			}
		})
	}
}

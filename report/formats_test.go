package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pinready/pinready/checks"
)

func render(t *testing.T, format string, o Options, r *checks.Report) []byte {
	t.Helper()
	w, err := New(format, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNew(t *testing.T) {
	for _, f := range Formats {
		if w, err := New(f, Options{}); err != nil || w == nil {
			t.Errorf("New(%q) = %v, %v", f, w, err)
		}
	}
	_, err := New("pdf", Options{})
	if err == nil {
		t.Fatal("New(pdf) succeeded")
	}
	var ue *checks.UsageError
	if !errors.As(err, &ue) {
		t.Errorf("unknown format: %T, want a usage error", err)
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list %s", err, f)
		}
	}
}

// The writer, not the environment, decides colour: NO_COLOR is main's input,
// and a writer told Color:true must colour even when it is set (and not
// colour when told false, even on a terminal).
func TestTextColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	r, rs := sampleReport(t)
	colored := render(t, "text", Options{Color: true, Rules: rs}, r)
	if !bytes.Contains(colored, []byte("\x1b[")) {
		t.Error("Color:true wrote no ANSI escape")
	}
	plain := render(t, "text", Options{Color: false, Rules: rs}, r)
	if bytes.ContainsRune(plain, 0x1b) {
		t.Errorf("Color:false wrote an escape character (the sample excerpt holds one that must be stripped)")
	}
	stripped := regexpANSI.ReplaceAll(colored, nil)
	if !bytes.Equal(stripped, plain) {
		t.Error("the coloured text differs from the plain text by more than colour")
	}
}

func TestTextVerdictLine(t *testing.T) {
	r, rs := sampleReport(t)
	out := strings.TrimRight(string(render(t, "text", Options{Rules: rs}, r)), "\n")
	last := out[strings.LastIndex(out, "\n")+1:]
	if want := "likely-denied: 4 blockers, 2 warnings, 29 passed, 2 skipped"; last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	for _, reason := range checks.Reasons {
		if !strings.Contains(out, checks.ReasonTitles[reason]) {
			t.Errorf("no heading %q", checks.ReasonTitles[reason])
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r, rs := sampleReport(t)
	out := render(t, "json", Options{Rules: rs}, r)
	if !bytes.HasSuffix(out, []byte("}\n")) || !bytes.HasPrefix(out, []byte("{\n  \"schema_version\": 1,\n")) {
		t.Errorf("not 2-space indented with a trailing newline:\n%.80s", out)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var back checks.Report
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	want := *r
	want.Findings = append([]checks.Finding(nil), r.Findings...)
	for i := range want.Findings {
		want.Findings[i].Field = "" // not part of the JSON contract
	}
	if !reflect.DeepEqual(&back, &want) {
		t.Error("the report does not survive a JSON round trip")
	}
	// DESIGN.md's top-level order.
	var keys []string
	tok := json.NewDecoder(bytes.NewReader(out))
	tok.Token()
	for tok.More() {
		k, _ := tok.Token()
		keys = append(keys, k.(string))
		var value json.RawMessage
		tok.Decode(&value)
	}
	if got := strings.Join(keys, ","); got != "schema_version,tool,app,verdict,summary,findings,artifacts" {
		t.Errorf("top-level keys %s", got)
	}
}

// A report built by hand (not through NewReport) may have nil slices; the
// contract still says arrays.
func TestJSONEmptyArrays(t *testing.T) {
	out := render(t, "json", Options{}, &checks.Report{SchemaVersion: 1, Verdict: checks.VerdictReady})
	for _, want := range []string{`"findings": []`, `"artifacts": []`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string    `xml:"name,attr"`
			Classname string    `xml:"classname,attr"`
			Failure   *struct{} `xml:"failure"`
			Error     *struct{} `xml:"error"`
			Skipped   *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	r, rs := sampleReport(t)
	out := render(t, "junit", Options{Rules: rs}, r)
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = true
	var doc junitDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("strict XML parse: %v", err)
	}
	if doc.Tests != len(r.Findings) || doc.Failures != count(r, checks.StatusFail) || doc.Errors != count(r, checks.StatusError) {
		t.Errorf("testsuites tests=%d failures=%d errors=%d, want %d %d %d", doc.Tests, doc.Failures, doc.Errors,
			len(r.Findings), count(r, checks.StatusFail), count(r, checks.StatusError))
	}
	if len(doc.Suites) != len(checks.Reasons) {
		t.Errorf("%d suites, want one per reason (%d)", len(doc.Suites), len(checks.Reasons))
	}
	names := map[string]bool{}
	skipped := 0
	for _, s := range doc.Suites {
		var f, e, k int
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("%s: classname %q in suite %q", c.Name, c.Classname, s.Name)
			}
			if names[c.Name] {
				t.Errorf("duplicate testcase %q", c.Name)
			}
			names[c.Name] = true
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
			if c.Skipped != nil {
				k++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != k {
			t.Errorf("suite %s counts tests=%d failures=%d errors=%d skipped=%d, cases say %d %d %d %d",
				s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, k)
		}
		skipped += k
	}
	if skipped != count(r, checks.StatusSkip) {
		t.Errorf("%d skipped testcases, want %d", skipped, count(r, checks.StatusSkip))
	}
	// Test names come from the passing title even for a failure, so CI
	// history sees one test per rule.
	if !names["privacy.domain: "+rs.Get("privacy.domain").Title] {
		t.Error("failing rule not named by its rule title")
	}
}

// testdata/sarif-schema-2.1.0.json is the SARIF 2.1.0 schema (rtm.5, the
// revision schemastore and GitHub code scanning validate against) as shipped
// in the npm package @microsoft/jest-sarif 1.0.0-beta.0 (MIT): the OASIS
// download is not reachable from CI.
func TestSARIFSchema(t *testing.T) {
	r, rs := sampleReport(t)
	out := render(t, "sarif", Options{Rules: rs, ConfigPath: "./pinready.yaml"}, r)

	f, err := os.Open("../testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	// The validator must be able to say no, or the check above proves nothing.
	bad := bytes.Replace(out, []byte(`"level": "error"`), []byte(`"level": "blocker"`), 1)
	badInst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if schema.Validate(badInst) == nil {
		t.Fatal("the schema accepted an invalid level")
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != len(rs.Rules) {
		t.Errorf("%d driver rules, want %d", len(run.Tool.Driver.Rules), len(rs.Rules))
	}
	if want := count(r, checks.StatusFail) + count(r, checks.StatusError); len(run.Results) != want {
		t.Errorf("%d results, want %d (fail + error)", len(run.Results), want)
	}
	lines := map[string]int{}
	for _, f := range r.Findings {
		if f.Location != nil {
			lines[f.Rule] = f.Location.Line
		}
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", res.RuleID, res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		if len(res.Locations) != 1 {
			t.Errorf("%s: %d locations; GitHub rejects the upload without one", res.RuleID, len(res.Locations))
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "pinready.yaml" || loc.Region.StartLine != lines[res.RuleID] {
			t.Errorf("%s: at %s:%d, want pinready.yaml:%d", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine, lines[res.RuleID])
		}
		if !strings.Contains(res.Message.Text, "Fix: ") {
			t.Errorf("%s: message without the fix: %q", res.RuleID, res.Message.Text)
		}
	}
}

func TestSARIFLocationFallback(t *testing.T) {
	r := checks.NewReport(checks.Tool{Name: "pinready"}, checks.AppRef{Config: "cfg/pinready.yaml"},
		[]checks.Finding{{Rule: "x.y", Status: checks.StatusFail, Severity: checks.SeverityInfo}}, nil)
	out := string(render(t, "sarif", Options{}, r))
	for _, want := range []string{`"uri": "cfg/pinready.yaml"`, `"startLine": 1`, `"level": "note"`, `"rules": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if strings.Contains(out, "ruleIndex") {
		t.Error("ruleIndex for a rule the driver does not list")
	}
}

func TestMarkdown(t *testing.T) {
	r, rs := sampleReport(t)
	out := string(render(t, "markdown", Options{Rules: rs}, r))
	if !strings.Contains(out, "**likely-denied: 4 blockers, 2 warnings, 29 passed, 2 skipped**") {
		t.Error("no verdict line")
	}
	// Every table row has exactly three cells: a | inside a message is escaped.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| `") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 4 {
				t.Errorf("row with %d separators: %s", n, line)
			}
		}
	}
	if strings.Contains(out, "<script>") || strings.Contains(out, "<b>") {
		t.Error("raw HTML from a finding reached the Markdown")
	}
	if !strings.Contains(out, "[pinready-out/demo.mp4](pinready-out/demo.mp4)") {
		t.Error("no link to the video")
	}
}

func TestHTMLContent(t *testing.T) {
	r, rs := sampleReport(t)
	out := string(render(t, "html", Options{Rules: rs}, r))
	if strings.Contains(out, "<script") || strings.Contains(out, "<b>your</b>") {
		t.Error("finding text is not escaped")
	}
	if n := strings.Count(out, `src="data:image/png;base64,`); n != 2 {
		t.Errorf("%d embedded images, want 2 (the storyboard and the policy screenshot)", n)
	}
	for _, want := range []string{`href="pinready-out/demo.mp4"`, `href="pinready-out/missing.png"`, "Likely denied"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	for _, banned := range []string{"http://", "<link rel=\"stylesheet", "@import", "<script"} {
		if strings.Contains(strings.Split(out, "<body>")[0], banned) {
			t.Errorf("head references an external resource: %s", banned)
		}
	}
}

// A root cause is reported once: the rules it kept from being judged are
// named under it, not listed as skips of their own; --verbose lists them.
func TestBlockedRulesFoldUnderTheirRoot(t *testing.T) {
	rep := checks.NewReport(checks.Tool{Name: "pinready", Version: "test"}, checks.AppRef{Name: "A", Config: "p.yaml"}, []checks.Finding{
		{Rule: "privacy.reachable", Status: checks.StatusFail, Severity: checks.SeverityBlocker, Reason: checks.ReasonPrivacyPolicy, Message: "the host name a.example does not resolve (DNS)"},
		{Rule: "privacy.is-policy", Status: checks.StatusSkip, Severity: checks.SeverityBlocker, Reason: checks.ReasonPrivacyPolicy, Message: "not reached: privacy.reachable failed", BlockedBy: "privacy.reachable"},
		{Rule: "oauth.state", Status: checks.StatusSkip, Severity: checks.SeverityWarning, Reason: checks.ReasonDemoOAuthApproved, Message: checks.NotSelected},
	}, nil)
	for _, format := range []string{"text", "markdown", "html"} {
		for _, verbose := range []bool{false, true} {
			w, err := New(format, Options{Verbose: verbose})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := w.Write(&b, rep); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			folded := strings.Contains(out, "privacy.is-policy were not judged") || strings.Contains(out, "not judged because of this: privacy.is-policy")
			if folded == verbose {
				t.Errorf("%s (verbose %v): blocked rule folded under its root: %v\n%s", format, verbose, folded, out)
			}
			if !verbose && (strings.Count(out, "privacy.is-policy") != 1 || !strings.Contains(out, "1 rule not selected: oauth")) {
				t.Errorf("%s: want privacy.is-policy once (under its root) and one not-selected line:\n%s", format, out)
			}
		}
	}
}

package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/pinready/pinready/checks"
)

// JUnit is JUnit XML as GitLab, Jenkins and most CI dashboards read it: one
// <testsuite> per denial reason, one <testcase> per rule. Only attributes of
// the common (Jenkins junit-10.xsd) schema are used, so strict readers accept
// it; there are no timings, so time is left out (it is optional).
type JUnit struct {
	Rules *checks.Ruleset // stable test names; nil falls back to finding titles
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Props    *junitProps     `xml:"properties,omitempty"`
	Cases    []junitTestcase `xml:"testcase"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	// junit-10.xsd orders a testcase's children: skipped, error, failure.
	Error     *junitProblem `xml:"error,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"` // CDATA keeps multi-line text readable in the file
}

type junitText struct {
	Text string `xml:",cdata"`
}

func (j *JUnit) Write(w io.Writer, r *checks.Report) error {
	r = printableReport(redactedReport(r)) // XML 1.0 forbids control characters, even in CDATA
	doc := junitSuites{Name: "pinready: " + r.App.Name}
	// sections gives the reasons in report order; the cases keep rules.yaml
	// order, which is what a CI history view compares run to run.
	for _, sec := range sections(r) {
		s := junitSuite{Name: string(sec.Reason), Props: &junitProps{Props: []junitProp{{Name: "reason", Value: sec.Title}}}}
		for _, f := range r.Findings {
			if f.Reason != sec.Reason {
				continue
			}
			s.Cases = append(s.Cases, j.testcase(f, &s))
		}
		if len(s.Cases) == 0 {
			continue
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// testcase is named "rule id: title" with the reason as classname, so CI
// lists pinready's results grouped the way reviewers deny.
func (j *JUnit) testcase(f checks.Finding, s *junitSuite) junitTestcase {
	s.Tests++
	tc := junitTestcase{Name: f.Rule + ": " + ruleTitle(j.Rules, f), Classname: string(f.Reason)}
	switch f.Status {
	case checks.StatusFail:
		s.Failures++
		tc.Failure = &junitProblem{Message: f.Title + ": " + f.Message, Type: string(f.Severity), Body: problemBody(f)}
	case checks.StatusError:
		s.Errors++
		tc.Error = &junitProblem{Message: "could not be evaluated: " + f.Message, Type: string(f.Severity), Body: problemBody(f)}
	case checks.StatusSkip:
		s.Skipped++
		tc.Skipped = &junitSkipped{Message: f.Message}
	default:
		tc.SystemOut = &junitText{f.Message}
	}
	return tc
}

// problemBody is the text CI shows when a test is expanded: what was found,
// where, and how to fix it.
func problemBody(f checks.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n%s\n", f.Title, f.Severity, f.Message)
	if e := f.Evidence; e != nil {
		if e.URL != "" {
			fmt.Fprintf(&b, "url: %s\n", e.URL)
		}
		if e.Status != 0 {
			fmt.Fprintf(&b, "http status: %d\n", e.Status)
		}
		if len(e.Redirects) > 0 {
			fmt.Fprintf(&b, "redirects: %s\n", strings.Join(e.Redirects, " -> "))
		}
		if e.Excerpt != "" {
			fmt.Fprintf(&b, "excerpt: %s\n", e.Excerpt)
		}
		if e.Screenshot != "" {
			fmt.Fprintf(&b, "screenshot: %s\n", e.Screenshot)
		}
	}
	if loc := location(f); loc != "" {
		fmt.Fprintf(&b, "at: %s\n", loc)
	}
	if f.Fix != "" {
		fmt.Fprintf(&b, "fix: %s\n", f.Fix)
	}
	return b.String()
}

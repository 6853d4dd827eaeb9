package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
)

func newRulesCommand(e *env) *cli.Command {
	var format, rulesFile string
	return &cli.Command{
		Name:  "rules",
		Usage: "list every rule: id, severity, reason, title, fix",
		Flags: []cli.Flag{
			enumFlag(&cli.StringFlag{Name: "format", Value: "text", Usage: "text or json"}, &format, []string{"text", "json"}),
			rulesFlag(&rulesFile),
		},
		Action: func(c *cli.Context) error {
			rs, err := e.loadRules(rulesFile)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(e.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Rules []*checks.Rule `json:"rules"`
				}{rs.Rules})
			}
			return writeRulesText(e, rs)
		},
	}
}

// writeRulesText lists rules grouped by denial reason, as the report does.
func writeRulesText(e *env, rs *checks.Ruleset) error {
	for _, reason := range checks.Reasons {
		fmt.Fprintf(e.Stdout, "%s — %s\n", reason, checks.ReasonTitles[reason])
		tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
		for _, r := range rs.Rules {
			if r.Reason != reason {
				continue
			}
			off := ""
			if r.Disabled {
				off = " (disabled)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s%s\n", r.ID, r.Severity, r.Title, off)
			fmt.Fprintf(tw, "  \t\tfix: %s\n", r.Fix)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout)
	}
	return nil
}

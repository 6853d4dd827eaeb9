package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/internal/example"
)

func exampleCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "example",
		Usage: "offline: serve the sample app and a fake Pinterest, then run the full check and record the demo",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "example-out", Usage: "where to write pinready.yaml, the reports and the video"},
			&cli.BoolFlag{Name: "no-record", Usage: "run the check only"},
		},
		Action: func(c *cli.Context) error {
			out := c.String("out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				return &checks.CannotRunError{What: "create --out directory", Err: err}
			}
			w, err := example.Start(example.Options{})
			if err != nil {
				return &checks.CannotRunError{What: "start the sample app and the fake Pinterest", Err: err}
			}
			defer w.Close()
			cfgPath := filepath.Join(out, "pinready.yaml")
			if err := os.WriteFile(cfgPath, []byte(w.Config()), 0o644); err != nil {
				return &checks.CannotRunError{What: "write " + cfgPath, Err: err}
			}
			fmt.Fprintf(e.stderr, "pinready: sample app at %s, fake Pinterest at %s (both on loopback)\n", w.AppURL, w.AuthorizeURL)

			var resolveArgs []string
			for _, r := range w.ResolveFlags() {
				resolveArgs = append(resolveArgs, "--resolve", r)
			}
			checkArgs := append([]string{"pinready", "check", "--config", cfgPath,
				"--format", "text,json,html,markdown,junit,sarif", "--output-dir", out,
				"--evidence", filepath.Join(out, "evidence")}, resolveArgs...)
			fmt.Fprintf(e.stderr, "pinready: %s\n", strings.Join(checkArgs, " "))
			checkCode := run(c.Context, checkArgs, e.stdout, e.stderr)
			if checkCode == checks.ExitUsage || checkCode == checks.ExitCannot || checkCode == checks.ExitSignal {
				return exitStatus(checkCode)
			}
			if text, err := os.ReadFile(filepath.Join(out, "report.txt")); err == nil {
				e.stdout.Write(text)
			}
			code := checkCode
			if !c.Bool("no-record") {
				recordArgs := append([]string{"pinready", "record", "--config", cfgPath, "--out", out, "--pace", "1s"}, resolveArgs...)
				fmt.Fprintf(e.stderr, "pinready: %s\n", strings.Join(recordArgs, " "))
				if rc := run(c.Context, recordArgs, e.stdout, e.stderr); rc != checks.ExitOK {
					return exitStatus(rc)
				}
				packArgs := append([]string{"pinready", "pack", "--config", cfgPath, "--from", out, "--out", filepath.Join(out, "submission")}, resolveArgs...)
				fmt.Fprintf(e.stderr, "pinready: %s\n", strings.Join(packArgs, " "))
				if rc := run(c.Context, packArgs, e.stdout, e.stderr); rc != checks.ExitOK {
					return exitStatus(rc)
				}
			}
			fmt.Fprintf(e.stdout, "\nExample done. Reports: %s/report.{txt,json,html,md,junit.xml,sarif}\n", out)
			if !c.Bool("no-record") {
				fmt.Fprintf(e.stdout, "Demo video: %s/demo.mp4  storyboard: %s/storyboard.png  steps: %s/steps/\n", out, out, out)
				fmt.Fprintf(e.stdout, "Submission folder: %s/submission/ (CHECKLIST.md, demo.mp4, report.html, …)\n", out)
			}
			return exitStatus(code)
		},
	}
}

package cli

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pinready/pinready/checks"
)

func newInitCommand(e *env) *cli.Command {
	var path, website string
	var force bool
	return &cli.Command{
		Name:  "init",
		Usage: "write a commented starter pinready.yaml",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "website", Usage: "the app's homepage, to prefill URLs", Destination: &website},
			configFlag(&path),
			&cli.BoolFlag{Name: "force", Usage: "overwrite an existing file", Destination: &force},
		},
		Action: func(c *cli.Context) error {
			text, err := starterConfig(website)
			if err != nil {
				return err
			}
			if !force {
				if _, err := os.Stat(path); err == nil {
					return &checks.UsageError{Msg: path + " exists; pass --force to overwrite it"}
				}
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				return &checks.CannotRunError{What: "write " + path, Err: err}
			}
			fmt.Fprintf(e.Stderr, "pinready: wrote %s; fill in the app's details, then run `pinready check`\n", path)
			return nil
		},
	}
}

// starterConfig is a pinready.yaml that loads cleanly and explains each key.
func starterConfig(website string) (string, error) {
	if website == "" {
		website = "https://yourapp.example/"
	}
	u, err := url.Parse(website)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &checks.UsageError{Msg: fmt.Sprintf("--website %q: want an absolute https:// URL", website)}
	}
	base := u.Scheme + "://" + u.Host
	return strings.NewReplacer("{{WEBSITE}}", u.String(), "{{BASE}}", base).Replace(starterTemplate), nil
}

const starterTemplate = `# yaml-language-server: $schema=https://raw.githubusercontent.com/pinready/pinready/main/schema/pinready.schema.json
# pinready.yaml: what pinready checks before you apply for Pinterest API
# Standard access. Every key is explained in the README ("Configuration").
app:
  name: Your App Name                    # as registered; must not contain "Pinterest"
  id: "0000000"                          # your Pinterest app id (= OAuth client_id)
  company: Your Company Inc.
  website: {{WEBSITE}}                   # the homepage reviewers will open
  domains: []                            # other domains you own (e.g. a legal site)
  privacy_policy_url: {{BASE}}/privacy   # must be on your own domain, public, complete
  # The text you paste into the access form: what the app does with Pinterest,
  # for whom, and why it needs each scope below.
  description: |
    Replace this with your app's description.
  scopes: [boards:read, pins:read, user_accounts:read]
  redirect_uris: [{{BASE}}/oauth/callback]   # exactly as registered
  access: trial                          # trial | standard: the tier you hold today
oauth:
  start_url: {{WEBSITE}}                 # where the demo starts (default: app.website)
  steps: []                              # before connecting, e.g. sign in to your app:
  #  - goto: {{BASE}}/login
  #  - fill: "#email"
  #    value: demo@yourapp.example
  #  - fill: "#password"
  #    value_env: DEMO_PASSWORD          # read from the environment, never written anywhere
  #  - click: "#sign-in"
  connect_selector: "#connect-pinterest" # the control that starts the OAuth flow
  approve_selector: "text=Give access"   # Pinterest's consent button
  success_text: Your boards              # text your app shows with live Pinterest data
  after: []                              # steps after connecting, e.g. create a Pin
  profile_dir: ""                        # a Chrome profile signed in to Pinterest
  # An app with no web page (you are its only user): a script runs the flow
  # from a terminal. Uncomment these, remove start_url, steps,
  # connect_selector and after, and register http://localhost:8085/ (README,
  # "Apps with no web page"):
  # command: [python3, get_access_token.py]   # run from this file's folder
  # env:
  #   - {name: PINTEREST_APP_ID, value: "0000000"}
  #   - {name: PINTEREST_APP_SECRET, value_env: PINTEREST_APP_SECRET}
demo:
  out: pinready-out                      # where record writes the video
  video: mp4                             # mp4 | webm | gif
  size: 1920x1080
`

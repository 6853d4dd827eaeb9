package cli

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Completion scripts ask pinready itself what may come next
// (`pinready … --generate-bash-completion`, urfave/cli's completion
// protocol), so they never go stale as commands and flags change.
const bashCompletion = `# bash completion for pinready: source <(pinready completion bash)
_pinready_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local args=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts=$("${args[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${args[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o bashdefault -o default -F _pinready_complete pinready
`

const zshCompletion = `#compdef pinready
# zsh completion for pinready: pinready completion zsh > "${fpath[1]}/_pinready"
_pinready() {
  local cur=${words[CURRENT]}
  local -a opts
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[1,CURRENT-1]} $cur --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    compadd -a opts
  else
    _files
  fi
}
compdef _pinready pinready
`

func newCompletionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: "bash: source <(pinready completion bash)\n" +
			"zsh:  pinready completion zsh > \"${fpath[1]}/_pinready\"\n" +
			"fish: pinready completion fish > ~/.config/fish/completions/pinready.fish",
		Action: func(c *cli.Context) error {
			switch shell := c.Args().First(); shell {
			case "bash":
				fmt.Fprint(e.Stdout, bashCompletion)
			case "zsh":
				fmt.Fprint(e.Stdout, zshCompletion)
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				fmt.Fprint(e.Stdout, script)
			default:
				return oneOf("completion", strings.TrimSpace(shell), []string{"bash", "zsh", "fish"})
			}
			return nil
		},
	}
}

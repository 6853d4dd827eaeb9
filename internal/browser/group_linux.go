//go:build linux

package browser

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the browser as the leader of a process group of its own,
// which every helper it starts (zygotes, renderers, GPU and network
// processes) joins: Chromium's headless shell starts its helpers with
// neither the profile on their command line nor the browser's
// environment, so the group is what finds them all (Processes). It also
// keeps chromedp's default: the kernel kills the browser if pinready dies.
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = new(syscall.SysProcAttr)
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

//go:build unix && !linux

package browser

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts Chromium as the leader of a process group of its
// own, so that a Close past its bound kills the browser and every helper it
// started with one signal.
func ownProcessGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

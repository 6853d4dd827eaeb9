//go:build !linux

package browser

import (
	"os/exec"
	"syscall"
)

// ownGroup starts the browser as the leader of a process group of its own
// (see group_linux.go).
func ownGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = new(syscall.SysProcAttr)
	}
	cmd.SysProcAttr.Setpgid = true
}

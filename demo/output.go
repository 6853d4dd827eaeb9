package demo

import (
	"context"
	"os"
	"os/exec"
	"runtime"

	"github.com/pinready/pinready/internal/outfile"
)

// ffmpegIntoNewFile builds the ffmpeg command with its output a file
// pinready has just created under a fresh name (O_EXCL) in the output
// folder: ffmpeg (run with -y) would follow a symbolic link planted at a
// fixed name such as demo.partial.mp4 and overwrite whatever it points at.
// On Linux the file goes to ffmpeg as descriptor 3 (/dev/fd/3 reopens that
// very file, seekable for +faststart), so ffmpeg never looks the name up.
// The caller closes the returned file once ffmpeg has started, and gives
// the finished file its name with outfile.Place.
func ffmpegIntoNewFile(ctx context.Context, ffmpeg string, o Options) (*exec.Cmd, *os.File, error) {
	f, err := outfile.CreateTemp(o.OutDir, ".demo.*.partial."+o.Format)
	if err != nil {
		return nil, nil, err
	}
	if runtime.GOOS != "linux" {
		return BuildFFmpegCmd(ctx, ffmpeg, o, f.Name()), f, nil
	}
	cmd := BuildFFmpegCmd(ctx, ffmpeg, o, "/dev/fd/3")
	cmd.ExtraFiles = []*os.File{f} // fd 3 in ffmpeg
	return cmd, f, nil
}

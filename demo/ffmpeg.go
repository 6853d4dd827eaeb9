package demo

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pinready/pinready/checks"
)

// gifWidth is the widest a GIF gets: GIFs are for READMEs and tickets, where
// a 1080p GIF would be tens of megabytes.
const gifWidth = 960

// inputPixFmt is what the recorder sends ffmpeg: yuv420p, converted in Go
// where frames changed (yuvWriter), for the video codecs; RGBA for the GIF,
// whose palette wants full colour.
func inputPixFmt(o Options) string {
	if o.Format == "gif" {
		return "rgba"
	}
	return "yuv420p"
}

// frameSink takes the composed frames in order, each with the rectangle
// that changed since the frame before it (the compositor knows exactly).
type frameSink interface {
	writeFrame(img *image.RGBA, damage image.Rectangle) error
}

// newFrameSink is where composed RGBA frames go: through the yuv420p
// converter when ffmpeg reads yuv420p, straight to it otherwise.
func newFrameSink(enc io.Writer, o Options) frameSink {
	if inputPixFmt(o) == "yuv420p" {
		return newYUVWriter(enc, o.Width, o.Height)
	}
	return rgbaSink{enc}
}

// rgbaSink writes whole RGBA frames (the GIF's input).
type rgbaSink struct{ w io.Writer }

func (s rgbaSink) writeFrame(img *image.RGBA, _ image.Rectangle) error {
	_, err := s.w.Write(img.Pix)
	return err
}

// BuildFFmpegCmd builds (does not start) the ffmpeg command that reads raw
// frames (inputPixFmt) of o's size and rate on stdin and writes the video to out.
func BuildFFmpegCmd(ctx context.Context, ffmpeg string, o Options, out string) *exec.Cmd {
	o = o.withDefaults()
	if ffmpeg == "" {
		ffmpeg = o.FFmpeg
	}
	args := []string{
		"-hide_banner", "-nostats", "-loglevel", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", inputPixFmt(o),
		"-s", fmt.Sprintf("%dx%d", o.Width, o.Height),
		"-r", strconv.Itoa(o.FPS),
		"-i", "pipe:0",
		"-an",
	}
	switch o.Format {
	case "webm":
		// Realtime VP9 keeps up with the flow on two cores; constant quality.
		// No look-ahead and tile columns let both cores work as frames arrive.
		args = append(args, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
			"-row-mt", "1", "-tile-columns", "2", "-lag-in-frames", "0",
			"-b:v", "0", "-crf", "36", "-pix_fmt", "yuv420p", "-f", "webm")
	case "gif":
		// A palette per frame (stats_mode=single, new=1) streams: a palette for
		// the whole video would make ffmpeg hold every frame until the end.
		w, _ := gifSize(o)
		args = append(args, "-vf", fmt.Sprintf("scale=%d:-2:flags=lanczos,split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=new=1", w),
			"-f", "gif")
	default:
		// crf 20 keeps small text (the address bar) sharp. ultrafast keeps
		// up with the flow on two busy cores; UI content stays small anyway.
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20",
			"-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4")
	}
	args = append(args, out)
	return exec.CommandContext(ctx, ffmpeg, args...)
}

// gifSize is the size of a GIF: at most gifWidth wide, even height.
func gifSize(o Options) (int, int) {
	w := min(gifWidth, o.Width)
	h := o.Height * w / o.Width
	return w, h + h%2
}

// FindFFmpeg resolves the executable (a path, or a name on PATH; "" is
// "ffmpeg"), or says how to install it or where to point pinready at one.
func FindFFmpeg(name string) (string, error) {
	if name == "" {
		name = "ffmpeg"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", &checks.CannotRunError{What: "ffmpeg not found", Err: err, Hint: FFmpegHint(runtime.GOOS)}
	}
	return p, nil
}

// FFmpegHint tells a user of goos how to get ffmpeg, and how to name one
// that is not on PATH.
func FFmpegHint(goos string) string {
	const set = "or set PINREADY_FFMPEG (or pass --ffmpeg) to its path"
	switch goos {
	case "darwin":
		return "install it (brew install ffmpeg) " + set
	case "linux":
		return "install it (Debian/Ubuntu: sudo apt-get install -y ffmpeg; Fedora: sudo dnf install -y ffmpeg-free) " + set
	}
	return "install ffmpeg " + set
}

// FFmpegVersion is the first line of `ffmpeg -version` ("ffmpeg version
// 5.1.9-0+deb12u1 Copyright …" cut before "Copyright").
func FFmpegVersion(ctx context.Context, path string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-version").Output()
	if err != nil {
		return "", fmt.Errorf("%s -version: %w", path, err)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	line, _, _ = strings.Cut(line, " Copyright")
	return strings.TrimSpace(line), nil
}

// encoder is a running ffmpeg that frames are written to.
type encoder struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *tailBuffer
	once   sync.Once
	err    error
	exited chan struct{} // closed when ffmpeg exits, whenever that is
	wait   error         // cmd.Wait's result, set before exited closes
}

func startEncoder(cmd *exec.Cmd) (*encoder, error) {
	e := &encoder{cmd: cmd, stderr: &tailBuffer{max: 16 << 10}}
	cmd.Stderr = e.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	e.stdin = stdin
	if err := cmd.Start(); err != nil {
		return nil, &checks.CannotRunError{What: "start ffmpeg", Err: err}
	}
	e.exited = make(chan struct{})
	go func() {
		e.wait = cmd.Wait()
		close(e.exited)
	}()
	return e, nil
}

// exitedEarly returns ffmpeg's failure if it has already exited while frames
// are still to come, so a broken ffmpeg stops the recording at its start
// rather than after the whole flow.
func (e *encoder) exitedEarly() error {
	select {
	case <-e.exited:
		err := e.wait
		if err == nil {
			err = errors.New("ffmpeg exited before the recording ended")
		}
		return e.failure(err)
	default:
		return nil
	}
}

func (e *encoder) Write(p []byte) (int, error) { return e.stdin.Write(p) }

// close ends the input and waits for ffmpeg to finish the file. A failure
// comes with what ffmpeg said.
func (e *encoder) close() error {
	e.once.Do(func() {
		e.stdin.Close()
		<-e.exited
		if e.wait != nil {
			e.err = e.failure(e.wait)
		}
	})
	return e.err
}

// kill stops ffmpeg at once (Abort).
func (e *encoder) kill() {
	if e.cmd.Process != nil {
		e.cmd.Process.Kill()
	}
	e.close()
}

// failure wraps err with ffmpeg's stderr.
func (e *encoder) failure(err error) error {
	msg := strings.TrimSpace(e.stderr.String())
	if msg == "" {
		msg = "(ffmpeg printed nothing)"
	}
	return &checks.CannotRunError{What: "encode the demo video", Err: fmt.Errorf("%w\nffmpeg: %s", err, msg),
		Hint: "ffmpeg ran as: " + strings.Join(e.cmd.Args, " ")}
}

// tailBuffer keeps the last max bytes written: ffmpeg's error is at the end,
// and a chatty ffmpeg must not grow memory.
type tailBuffer struct {
	mu        sync.Mutex
	buf       []byte
	max       int
	truncated bool
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
		b.truncated = true
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.truncated {
		return "…" + string(b.buf)
	}
	return string(b.buf)
}

var errNoVideo = errors.New("no video was written")

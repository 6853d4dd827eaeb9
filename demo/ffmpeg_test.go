package demo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

// hasSeq reports whether want appears in args as consecutive elements.
func hasSeq(args []string, want ...string) bool {
	for i := 0; i+len(want) <= len(args); i++ {
		if slices.Equal(args[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

func TestBuildFFmpegCmd(t *testing.T) {
	yuvIn := []string{"-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", "1920x1080", "-r", "30", "-i", "pipe:0"}
	rgbaIn := []string{"-f", "rawvideo", "-pix_fmt", "rgba", "-s", "1920x1080", "-r", "30", "-i", "pipe:0"}
	tests := []struct {
		name   string
		o      Options
		want   [][]string
		reject []string
	}{
		{"mp4 default", Options{}, [][]string{yuvIn,
			{"-c:v", "libx264"}, {"-preset", "ultrafast"}, {"-pix_fmt", "yuv420p"}, {"-movflags", "+faststart"}, {"-f", "mp4"}},
			[]string{"libvpx-vp9", "palettegen"}},
		{"webm", Options{Format: "webm"}, [][]string{yuvIn,
			{"-c:v", "libvpx-vp9"}, {"-deadline", "realtime"}, {"-b:v", "0"}, {"-pix_fmt", "yuv420p"}, {"-f", "webm"}},
			[]string{"libx264", "+faststart"}},
		{"gif scaled to 960", Options{Format: "gif"}, [][]string{rgbaIn, {"-f", "gif"}},
			[]string{"libx264", "libvpx-vp9", "yuv420p"}},
		{"size and rate", Options{Width: 1280, Height: 720, FPS: 25}, [][]string{{"-s", "1280x720"}, {"-r", "25"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := BuildFFmpegCmd(context.Background(), "/usr/bin/ffmpeg", tt.o, "/out/demo.x")
			args := cmd.Args[1:]
			if cmd.Path != "/usr/bin/ffmpeg" {
				t.Errorf("path %q", cmd.Path)
			}
			if args[len(args)-1] != "/out/demo.x" {
				t.Errorf("output is not the last argument: %q", args)
			}
			for _, w := range tt.want {
				if !hasSeq(args, w...) {
					t.Errorf("args lack %q:\n%q", w, args)
				}
			}
			for _, r := range tt.reject {
				if slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, r) }) {
					t.Errorf("args contain %q:\n%q", r, args)
				}
			}
			// The input must be declared before the output options apply.
			if in := slices.Index(args, "pipe:0"); in < 0 || in > slices.Index(args, "-an") {
				t.Errorf("input not before output options: %q", args)
			}
		})
	}
	gif := BuildFFmpegCmd(context.Background(), "ffmpeg", Options{Format: "gif"}, "x.gif").Args
	vf := gif[slices.Index(gif, "-vf")+1]
	for _, w := range []string{"scale=960:-2", "palettegen=stats_mode=single", "paletteuse=new=1"} {
		if !strings.Contains(vf, w) {
			t.Errorf("gif filter %q lacks %q", vf, w)
		}
	}
}

func TestGIFSize(t *testing.T) {
	for _, tt := range []struct{ w, h, gw, gh int }{{1920, 1080, 960, 540}, {640, 360, 640, 360}, {1280, 720, 960, 540}, {1366, 768, 960, 540}} {
		if gw, gh := gifSize(Options{Width: tt.w, Height: tt.h}); gw != tt.gw || gh != tt.gh {
			t.Errorf("gifSize(%dx%d) = %dx%d, want %dx%d", tt.w, tt.h, gw, gh, tt.gw, tt.gh)
		}
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	b := &tailBuffer{max: 10}
	b.Write([]byte("0123456789"))
	b.Write([]byte("abcdef"))
	if got := b.String(); got != "…6789abcdef" {
		t.Fatalf("tail = %q", got)
	}
}

// The hint names the platform's package manager and the two ways to point
// pinready at an ffmpeg that is not on PATH; macOS is tested here, on Linux.
func TestFFmpegHintPerSystem(t *testing.T) {
	for goos, want := range map[string]string{"darwin": "brew install ffmpeg", "linux": "sudo apt-get install -y ffmpeg", "freebsd": "install ffmpeg"} {
		hint := FFmpegHint(goos)
		if !strings.Contains(hint, want) || !strings.Contains(hint, "PINREADY_FFMPEG") || !strings.Contains(hint, "--ffmpeg") {
			t.Errorf("%s: %q lacks %q, PINREADY_FFMPEG or --ffmpeg", goos, hint, want)
		}
	}
}

// FindFFmpeg takes a path or a name; a missing one is a CannotRunError with
// the hint; FFmpegVersion reads the real ffmpeg's own words.
func TestFindFFmpeg(t *testing.T) {
	path, err := FindFFmpeg("")
	if err != nil {
		t.Skip(err)
	}
	if again, err := FindFFmpeg(path); err != nil || again != path {
		t.Errorf("FindFFmpeg(%q) = %q, %v", path, again, err)
	}
	v, err := FFmpegVersion(context.Background(), path)
	if err != nil || !strings.HasPrefix(v, "ffmpeg version ") || strings.Contains(v, "\n") || strings.Contains(v, "Copyright") {
		t.Errorf("FFmpegVersion = %q, %v", v, err)
	}
	_, err = FindFFmpeg(t.TempDir() + "/no-ffmpeg")
	var cre *checks.CannotRunError
	if !errors.As(err, &cre) || !strings.Contains(cre.Hint, "PINREADY_FFMPEG") {
		t.Errorf("a missing ffmpeg: %v", err)
	}
}

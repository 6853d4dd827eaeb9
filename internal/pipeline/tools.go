package pipeline

import (
	"context"

	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/browser"
)

// Tool is an outside program a run uses: which one, and its version.
type Tool struct {
	Name    string // "chromium" or "ffmpeg"
	Path    string // the executable found; "" when none was
	Version string // its own words (`--version`, `-version`)
	Err     error  // why none was found or it would not say; its hint says what to do
}

// Tools finds the Chromium every command may start and, with ffmpeg non-nil
// (the value of --ffmpeg or PINREADY_FFMPEG, "" for PATH), the ffmpeg record
// encodes with, the same way a run finds them, without starting either.
func Tools(ctx context.Context, ffmpeg *string) []Tool {
	chromium := Tool{Name: "chromium"}
	if chromium.Path, chromium.Err = browser.Find(); chromium.Err == nil {
		chromium.Version, chromium.Err = browser.Version(ctx, chromium.Path)
	}
	tools := []Tool{chromium}
	if ffmpeg != nil {
		enc := Tool{Name: "ffmpeg"}
		if enc.Path, enc.Err = demo.FindFFmpeg(*ffmpeg); enc.Err == nil {
			enc.Version, enc.Err = demo.FFmpegVersion(ctx, enc.Path)
		}
		tools = append(tools, enc)
	}
	return tools
}

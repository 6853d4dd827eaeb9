package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/pinready/pinready/internal/pipeline"
)

// Stamped by a release build (.goreleaser.yaml):
//
//	-X github.com/pinready/pinready/internal/cli.version=1.2.3
//	-X github.com/pinready/pinready/internal/cli.commit=<sha>
//	-X github.com/pinready/pinready/internal/cli.date=<RFC 3339>
//
// Empty in every other build, where the module version and the VCS stamp of
// the Go toolchain say the same.
var version, commit, date string

// Version is pinready's version in reports and --version: the release's
// stamp, else the module version a `go install …@vX.Y.Z` build records, else
// the release this tree is.
var Version = pickVersion(version, readBuildInfo())

const release = "0.1.0"

// buildInfo is what debug.ReadBuildInfo says, ok false when it says nothing.
type buildInfo struct {
	info *debug.BuildInfo
	ok   bool
}

func readBuildInfo() buildInfo {
	info, ok := debug.ReadBuildInfo()
	return buildInfo{info, ok}
}

func pickVersion(stamped string, b buildInfo) string {
	if stamped != "" {
		return strings.TrimPrefix(stamped, "v")
	}
	if b.ok && strings.HasPrefix(b.info.Main.Version, "v") {
		return strings.TrimPrefix(b.info.Main.Version, "v")
	}
	return release
}

// versionLine is what --version prints after "pinready version": the
// version, the commit it was built from and when, and the Go that built it.
func versionLine() string { return formatVersion(Version, commit, date, readBuildInfo()) }

// formatVersion prefers the release's stamped commit and date to the VCS
// settings the Go toolchain records (absent from `go install …@vX` builds,
// and from builds with -buildvcs=false).
func formatVersion(v, stampedCommit, stampedDate string, b buildInfo) string {
	commit, modified, when := stampedCommit, false, stampedDate
	goVersion := runtime.Version()
	if b.ok {
		goVersion = b.info.GoVersion
		for _, s := range b.info.Settings {
			switch {
			case s.Key == "vcs.revision" && stampedCommit == "":
				commit = s.Value
			case s.Key == "vcs.modified" && stampedCommit == "":
				modified = s.Value == "true"
			case s.Key == "vcs.time" && stampedDate == "":
				when = s.Value
			}
		}
	}
	var parts []string
	if commit != "" {
		c := commit[:min(12, len(commit))]
		if modified {
			c += " (modified)"
		}
		if when != "" {
			c += " of " + when
		}
		parts = append(parts, "commit "+c)
	} else if when != "" {
		parts = append(parts, "built "+when)
	}
	parts = append(parts, "built with "+goVersion, runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("%s (%s)", v, strings.Join(parts, ", "))
}

// writeTools names the Chromium and, with ffmpeg non-nil, the ffmpeg this
// run would use and their versions (`pinready --version --verbose`, and -v
// on a command, its lines starting with prefix as progress lines do), or why
// none was found and how to get one.
func writeTools(ctx context.Context, w io.Writer, prefix string, ffmpeg *string) {
	for _, t := range pipeline.Tools(ctx, ffmpeg) {
		if t.Err != nil {
			fmt.Fprintf(w, "%s%s: %v\n", prefix, t.Name, t.Err)
			continue
		}
		fmt.Fprintf(w, "%s%s: %s (%s)\n", prefix, t.Name, t.Path, t.Version)
	}
}

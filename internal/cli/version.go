package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Version is pinready's version in reports and --version: the module version
// a `go install …@vX.Y.Z` build records, else the release this tree is.
var Version = moduleVersion(debug.ReadBuildInfo())

const release = "0.1.0"

func moduleVersion(info *debug.BuildInfo, ok bool) string {
	if ok && strings.HasPrefix(info.Main.Version, "v") {
		return strings.TrimPrefix(info.Main.Version, "v")
	}
	return release
}

// versionLine is what --version prints after "pinready version": the
// version, the commit it was built from, and the Go that built it.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	commit, modified, when := "", false, ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		case "vcs.time":
			when = s.Value
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
	}
	parts = append(parts, "built with "+info.GoVersion)
	return fmt.Sprintf("%s (%s)", Version, strings.Join(parts, ", "))
}

package report

import (
	"path/filepath"
	"strings"
)

// linkPath rewrites an artifact or evidence path (as the run recorded it:
// relative to the working directory, or absolute) so that it resolves from
// the directory of the report being written. A report written to stdout
// (output "") keeps paths as they are: whoever reads it shares the
// working directory. URLs and paths that cannot be related (different
// volumes, an unknown working directory) are left alone.
func linkPath(output, path string) string {
	if output == "" || path == "" || strings.Contains(path, "://") {
		return path
	}
	dir := filepath.Dir(output)
	if filepath.IsAbs(dir) != filepath.IsAbs(path) {
		// One relative, one absolute: relate both to the working directory.
		var err1, err2 error
		dir, err1 = filepath.Abs(dir)
		path, err2 = filepath.Abs(path)
		if err1 != nil || err2 != nil {
			return path
		}
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

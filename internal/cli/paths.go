package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pinready/pinready/checks"
)

// A command's outputs must never eat its inputs: `--output pinready.yaml`
// would replace the config with the report, `--out` naming the config's
// folder would remove a config called record.json as an earlier recording.
// Each command lists what it reads and where it writes, and refuses (exit 2,
// naming both) before anything is written.

// namedPath is a path and the flag it came from, for the message.
type namedPath struct {
	flag string // "--config", "--rules", "--output", …
	path string
}

// outputFolder is a folder a command writes into: the file names it writes
// or removes there (glob patterns, record's "demo.partial.*"), and the
// subfolders it fills with names of its own choosing (steps/, evidence/),
// where no input may live at all.
type outputFolder struct {
	namedPath
	names      []string
	subfolders []string
}

// refuseEatenInputs returns a UsageError when an output file is an input,
// or an output folder would write, remove or fill where an input is.
func refuseEatenInputs(inputs []namedPath, files []namedPath, folders []outputFolder) error {
	for _, in := range inputs {
		if in.path == "" {
			continue
		}
		for _, out := range files {
			if out != in && out.path != "" && samePath(in.path, out.path) {
				return &checks.UsageError{Msg: fmt.Sprintf("%s %s is the %s file %s: writing it would replace your %s; name another file",
					out.flag, out.path, in.flag, in.path, strings.TrimPrefix(in.flag, "--"))}
			}
		}
		for _, out := range folders {
			if out.path == "" {
				continue
			}
			if name, ok := writtenAs(in.path, out); ok {
				return &checks.UsageError{Msg: fmt.Sprintf("%s %s holds the %s file %s, and pinready writes (or removes) %s there: name another folder, or move the %s",
					out.flag, out.path, in.flag, in.path, name, strings.TrimPrefix(in.flag, "--"))}
			}
		}
	}
	return nil
}

// writtenAs reports whether in is a file the folder's command writes or
// removes: one of its names in the folder, or anything under one of its
// subfolders. It returns that name for the message.
func writtenAs(in string, out outputFolder) (string, bool) {
	file, dir := canonical(in), canonical(out.path)
	for _, sub := range out.subfolders {
		if within(file, filepath.Join(dir, sub)) {
			return sub + string(filepath.Separator), true
		}
	}
	if filepath.Dir(file) != dir {
		return "", false
	}
	for _, pattern := range out.names {
		if ok, _ := filepath.Match(pattern, filepath.Base(file)); ok {
			return filepath.Base(file), true
		}
	}
	return "", false
}

// samePath reports whether a and b name the same file: the same file on
// disk when both exist (links followed, hard links too), else the same
// canonical path.
func samePath(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return canonical(a) == canonical(b)
}

// sameFolder reports whether two folders are one (links followed).
func sameFolder(a, b string) bool { return samePath(a, b) }

// canonical is p made absolute with the links of its longest existing
// part resolved, so a path through a linked folder and the real one
// compare equal, whether the file exists yet or not.
func canonical(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for dir := abs; ; {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// within reports whether path lies in dir or below it (both canonical).
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

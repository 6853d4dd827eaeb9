// Package outfile is the one place pinready writes output files (reports,
// traces, screenshots, step images, the storyboard, the video, the
// submission folder). It is careful with what it finds at a path, because
// users run pinready as root in CI, into folders other jobs also write:
//
//   - a regular file is written whole or not at all: to an exclusive
//     temporary name in the same folder (O_EXCL, never an existing file),
//     then renamed over the target;
//   - a target that is not a regular file (a device such as /dev/null, a
//     FIFO) is opened and written in place, never replaced;
//   - a symbolic link pinready finds inside an output folder is never
//     followed: a file is renamed over the link (replacing the link, not
//     its target), a device behind it is never opened (O_NOFOLLOW), and a
//     subfolder pinready makes may not be a link (MkdirNoFollow). Only the
//     path the user named (WriteNamed: --output /dev/stdout) is followed.
package outfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Write writes a file pinready names inside an output folder (report.json in
// --output-dir, record.json, a screenshot in --evidence). Missing folders
// are created. A symbolic link at path is replaced, never followed.
func Write(path string, write func(io.Writer) error) error {
	return writeFile(path, write, false)
}

// WriteNamed writes the file the user named on the command line (--output
// FILE): as Write, except that a symbolic link there is followed, as a
// shell's redirection would (--output /dev/stdout writes to the process's
// standard output, in place).
func WriteNamed(path string, write func(io.Writer) error) error {
	return writeFile(path, write, true)
}

func writeFile(path string, write func(io.Writer) error, follow bool) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fi, err := os.Lstat(path)
	if err == nil && follow && fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Stat(path)
		switch {
		case err == nil && !target.Mode().IsRegular() && !target.IsDir():
			return writeInPlace(path, write, true) // /dev/stdout → a pipe or a terminal
		case err == nil && target.Mode().IsRegular():
			if real, err := filepath.EvalSymlinks(path); err == nil {
				return writeFile(real, write, false)
			}
		}
	}
	if err == nil && fi.Mode()&os.ModeSymlink == 0 {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		if !fi.Mode().IsRegular() {
			return writeInPlace(path, write, follow)
		}
	}
	f, err := CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return Place(f.Name(), path)
}

// writeInPlace writes into an existing file that is not a regular file (a
// device, a FIFO): it cannot be replaced, and must not be. The path the user
// named is opened as a shell would (a FIFO waits for its reader). Inside an
// output folder, a symbolic link swapped in meanwhile makes the open fail
// (O_NOFOLLOW), and so does a FIFO nobody reads (O_NONBLOCK) rather than
// hang the run.
func writeInPlace(path string, write func(io.Writer) error, follow bool) error {
	flags := os.O_WRONLY
	if !follow {
		flags |= syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CreateTemp creates a new file in dir with a name from pattern (as
// os.CreateTemp: a "*" is replaced by random text) that did not exist
// before: O_EXCL, so no file or link already there is ever opened. It is
// readable by others, as output files are. Hand it to Place when complete.
func CreateTemp(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// Place gives a complete temporary file (from CreateTemp, in the same
// folder) its name: renamed over a regular file or a symbolic link (which
// is replaced, not followed), or copied into a device or FIFO in place.
// The temporary file is gone afterwards, whatever happened.
func Place(tmp, path string) error {
	defer os.Remove(tmp)
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode()&os.ModeSymlink == 0 && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		in, err := os.Open(tmp)
		if err != nil {
			return err
		}
		defer in.Close()
		return writeInPlace(path, func(w io.Writer) error { _, err := io.Copy(w, in); return err }, false)
	}
	return os.Rename(tmp, path)
}

// MkdirNoFollow makes a folder pinready names inside an output folder (the
// steps/ and evidence/ of record, one app's folder in --output-dir). Its
// parents are created as needed (they are the user's); the folder itself
// may exist, but not as a symbolic link: writing through one would put
// pinready's files wherever the link points.
func MkdirNoFollow(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	err := os.Mkdir(path, 0o755)
	if err == nil {
		return nil
	}
	fi, lerr := os.Lstat(path)
	switch {
	case lerr != nil:
		return err
	case fi.Mode()&os.ModeSymlink != 0:
		return &os.PathError{Op: "mkdir", Path: path, Err: ErrSymlink}
	case !fi.IsDir():
		return &os.PathError{Op: "mkdir", Path: path, Err: syscall.ENOTDIR}
	}
	return nil
}

// ErrSymlink is why pinready refuses to write through a symbolic link it
// found inside an output folder.
var ErrSymlink = errors.New("is a symbolic link; pinready does not write through links inside its output folders (remove it)")

// WriteBytes writes data to path (see Write).
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// WriteString writes s to path (see Write).
func WriteString(path, s string) error {
	return Write(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
}

// WriteJSON writes v as indented JSON (see Write).
func WriteJSON(path string, v any) error {
	return Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// Copy copies src to dst (see Write; never a half file at dst). A symbolic
// link at src is not followed either: src is a file pinready wrote.
func Copy(src, dst string) error {
	in, err := os.OpenFile(src, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	return Write(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

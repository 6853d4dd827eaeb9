package outfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pinready/pinready/internal/testenv"
)

func TestWriteCreatesFoldersAndReplacesWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "report.json")
	if err := WriteJSON(path, map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "{\n  \"x\": 1\n}\n" {
		t.Fatalf("read %q, %v", got, err)
	}
	// A write that fails leaves the old file whole and no temporary file.
	boom := errors.New("boom")
	if err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(got) {
		t.Fatalf("a failed write changed the file to %q", again)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestCopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "out", "dst")
	if err := WriteString(src, "video"); err != nil {
		t.Fatal(err)
	}
	if err := Copy(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "video" {
		t.Fatalf("copied %q", got)
	}
	if err := Copy(filepath.Join(dir, "missing"), dst); err == nil {
		t.Fatal("copying a missing file succeeded")
	}
}

// A symbolic link planted where pinready writes a file is replaced, never
// followed: the file it points at keeps its content.
func TestWriteReplacesASymlinkInsteadOfFollowingIt(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o600)
	for _, name := range []string{"report.json", "storyboard.png"} {
		link := filepath.Join(dir, "out", name)
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
		if err := WriteString(link, "pinready's"); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(victim); string(got) != "precious" {
			t.Fatalf("%s: the link's target was overwritten: %q", name, got)
		}
		fi, _ := os.Lstat(link)
		if got, _ := os.ReadFile(link); !fi.Mode().IsRegular() || string(got) != "pinready's" {
			t.Fatalf("%s: mode %v, content %q; want a regular file of ours", name, fi.Mode(), got)
		}
	}
}

// fifoReader makes a FIFO and reads it whole in the background.
func fifoReader(t *testing.T, path string) <-chan string {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	return got
}

// A FIFO the user names is written in place, as a shell would, also through
// a symbolic link (/dev/stdout is one); it stays a FIFO.
func TestWriteNamedFIFOAndLinkToIt(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	got := fifoReader(t, fifo)
	if err := WriteNamed(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "report" {
		t.Fatalf("the reader got %q", s)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO became %v", fi.Mode())
	}

	fifo2 := filepath.Join(dir, "pipe2")
	got = fifoReader(t, fifo2)
	link := filepath.Join(dir, "stdout")
	os.Symlink(fifo2, link)
	if err := WriteNamed(link, func(w io.Writer) error { _, err := io.WriteString(w, "through the link"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the link" {
		t.Fatalf("the reader got %q", s)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by %v", fi.Mode())
	}
}

// Inside an output folder, a FIFO nobody reads fails the write instead of
// hanging the run, and a link to one is replaced, not opened.
func TestWriteDerivedFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteString(fifo, "x"); err == nil {
		t.Fatal("writing into a FIFO with no reader succeeded")
	}
	link := filepath.Join(dir, "trace.json")
	os.Symlink(fifo, link)
	if err := WriteString(link, "x"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); !fi.Mode().IsRegular() {
		t.Fatalf("trace.json is %v, want a regular file", fi.Mode())
	}
}

// A character device (a copy of /dev/null made with mknod) is written in
// place and stays a device; pinready used to rename a file over it.
func TestWriteIntoDeviceInPlace(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root (mknod needs it; CI runs as root)", fmt.Errorf("euid %d", os.Geteuid()))
	}
	dir := t.TempDir()
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, int(unixMkdev(1, 3))); err != nil {
		t.Fatal(err)
	}
	for _, write := range []func(string, func(io.Writer) error) error{Write, WriteNamed} {
		if err := write(null, func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(null); fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("the device became %v", fi.Mode())
		}
	}
	tmp, err := CreateTemp(dir, ".video.*")
	if err != nil {
		t.Fatal(err)
	}
	tmp.WriteString("frames")
	tmp.Close()
	if err := Place(tmp.Name(), null); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(null); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("Place replaced the device with %v", fi.Mode())
	}
	if _, err := os.Stat(tmp.Name()); err == nil {
		t.Error("Place left the temporary file")
	}
}

// unixMkdev is Linux's makedev for small numbers.
func unixMkdev(major, minor uint32) uint64 {
	return uint64(major)<<8 | uint64(minor)
}

// A folder pinready makes inside an output folder may not be a link, and
// a file it copies from one may not be either.
func TestNoFollowFoldersAndSources(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	os.Symlink(elsewhere, filepath.Join(dir, "evidence"))
	if err := MkdirNoFollow(filepath.Join(dir, "evidence")); !errors.Is(err, ErrSymlink) {
		t.Fatalf("MkdirNoFollow through a link: %v", err)
	}
	if err := MkdirNoFollow(filepath.Join(dir, "steps")); err != nil {
		t.Fatal(err)
	}
	if err := MkdirNoFollow(filepath.Join(dir, "steps")); err != nil {
		t.Fatalf("an existing folder: %v", err)
	}
	secret := filepath.Join(elsewhere, "shadow")
	os.WriteFile(secret, []byte("secret"), 0o600)
	os.Symlink(secret, filepath.Join(dir, "demo.mp4"))
	if err := Copy(filepath.Join(dir, "demo.mp4"), filepath.Join(dir, "out", "demo.mp4")); err == nil {
		t.Fatal("Copy followed a link planted as its source")
	}
}

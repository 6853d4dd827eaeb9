package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// earlierRecording are the files a record run leaves in its output folder,
// by pattern: a new run removes them before it starts, so that a run cut
// short leaves no mix of old and new for pack to ship.
var earlierRecording = append(slices.Clone(RecordNames), "steps/[0-9][0-9]-*.png")

// RecordNames are the names record writes or removes at the top of its
// output folder (glob patterns); RecordSubfolders are the folders it fills
// there. No input of record's may be among them (the CLI checks).
var (
	RecordNames = []string{
		RecordFile, "trace.json", "storyboard.png",
		"demo.mp4", "demo.webm", "demo.gif",
		"demo.partial.*",    // what an older pinready's ffmpeg wrote to
		".demo.*.partial.*", // the temporary video of a killed run
	}
	RecordSubfolders = []string{"steps", "evidence"}
)

// EvidenceNames are the names check writes into --evidence (glob
// patterns): the pages' screenshots, the flow's step images, its trace.
var EvidenceNames = []string{"homepage.png", "privacy-policy.png", "[0-9][0-9]-*.png", "trace.json"}

// removeEarlierRecording removes what an earlier record run wrote into out.
func removeEarlierRecording(out string) error {
	for _, pattern := range earlierRecording {
		found, _ := filepath.Glob(filepath.Join(out, pattern))
		for _, p := range found {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// fileSHA256 is the hex SHA-256 of a file pinready wrote (a link there is
// not followed).
func fileSHA256(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pinready/pinready/checks"
)

// recordedVideo is the video pack ships: the one record.json in dir names,
// and only if it is still that very file (its SHA-256). A video with no
// record.json beside it, or another one than record.json describes, is left
// by a run that did not finish (or by another app's): pack refuses it rather
// than mark the form's "Demo video" ready.
func recordedVideo(progress io.Writer, dir, preferred, app string) (string, error) {
	refuse := func(format string, args ...any) error {
		return &checks.CannotRunError{What: "pack the submission", Err: fmt.Errorf(format, args...),
			Hint: "run `pinready record` again (it writes the video and record.json together), then pack"}
	}
	recPath := filepath.Join(dir, RecordFile)
	data, err := os.ReadFile(recPath)
	if errors.Is(err, os.ErrNotExist) {
		video, err := findVideo(dir, preferred)
		if err != nil {
			return "", err // no video at all: the usual hint
		}
		return "", refuse("%s has no %s beside it: it is not the video of a finished `pinready record` run", video, RecordFile)
	}
	if err != nil {
		return "", &checks.CannotRunError{What: "read " + recPath, Err: err}
	}
	var rep checks.Report
	if err := json.Unmarshal(data, &rep); err != nil || rep.Tool.Name != "pinready" {
		return "", refuse("%s is not a pinready record report", recPath)
	}
	if rep.App.Name != app {
		return "", refuse("%s is the recording of %q, not of %q", recPath, rep.App.Name, app)
	}
	var art *checks.Artifact
	for i, a := range rep.Artifacts {
		if a.Kind == "video" {
			art = &rep.Artifacts[i]
			break
		}
	}
	if art == nil {
		return "", refuse("%s names no video", recPath)
	}
	video := filepath.Join(dir, filepath.Base(art.Path))
	fi, err := os.Lstat(video)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return "", refuse("%s names %s, which is missing, empty or not a regular file", recPath, video)
	}
	if art.SHA256 == "" {
		fmt.Fprintf(progress, "pinready: %s was written by an older pinready without the video's SHA-256; %s is used unchecked\n", recPath, video)
		return video, nil
	}
	sum, err := fileSHA256(video)
	if err != nil {
		return "", &checks.CannotRunError{What: "read " + video, Err: err}
	}
	if sum != art.SHA256 {
		return "", refuse("%s is not the video %s describes (its SHA-256 differs): it is left from another run", video, recPath)
	}
	return video, nil
}

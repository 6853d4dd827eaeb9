package checks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Limits on what a config may be, each an error (exit 2) naming the file,
// the line and the field: a 50 MB description took minutes and gigabytes,
// and a 200 kB URL filled every report with copies of itself.
const (
	MaxConfigBytes = 1 << 20 // 1 MiB: a long description is a few kB
	MaxURLBytes    = 8 << 10 // 8 KiB: more than any browser's address bar keeps
)

// LoadConfigContext is LoadConfig that ends when ctx does: --config
// /dev/stdin from a pipe that never closes must not outlive Ctrl-C.
func LoadConfigContext(ctx context.Context, path string) (*Config, error) {
	data, err := readLimited(ctx, path, MaxConfigBytes)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, os.ErrNotExist):
		return nil, &ConfigError{File: path, Msg: "no such file (write one with `pinready init`, or name it with --config or PINREADY_CONFIG)"}
	case errors.Is(err, errTooLarge):
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("the file is larger than %d bytes (1 MiB): a config is a few kilobytes; is this the right file?", MaxConfigBytes)}
	case err != nil:
		return nil, &ConfigError{File: path, Msg: err.Error()}
	}
	return ParseConfig(path, data)
}

var errTooLarge = errors.New("too large")

// readLimited reads at most limit bytes of path (errTooLarge past that), and
// returns ctx's error as soon as ctx ends, even while the open or a read
// blocks (a FIFO with no writer, a pipe that never closes). The blocked
// reader is then left to the process's exit.
func readLimited(ctx context.Context, path string, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	var mu sync.Mutex
	var open *os.File
	go func() {
		f, err := os.Open(path)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer f.Close()
		mu.Lock()
		open = f
		mu.Unlock()
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err == nil && int64(len(data)) > limit {
			err = errTooLarge
		}
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		mu.Lock()
		if open != nil {
			open.SetReadDeadline(time.Now()) // unblocks a pipe's read; a no-op elsewhere
		}
		mu.Unlock()
		return nil, ctx.Err()
	}
}

// oneDocument returns the YAML document of data, refusing a second one: a
// config file is one document, and yaml.Unmarshal would silently drop the
// rest (everything after a stray `---`).
func oneDocument(file string, data []byte) (*yaml.Node, error) {
	if len(data) > MaxConfigBytes {
		return nil, &ConfigError{File: file, Msg: fmt.Sprintf("the text is larger than %d bytes (1 MiB)", MaxConfigBytes)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err)
	}
	var next yaml.Node
	err := dec.Decode(&next)
	switch {
	case errors.Is(err, io.EOF):
		return &doc, nil
	case err != nil:
		return nil, yamlError(file, err)
	case len(next.Content) == 0 || (len(next.Content) == 1 && next.Content[0].Tag == "!!null" && next.Content[0].Value == ""):
		return &doc, nil // a lone trailing `---`
	}
	return nil, &ConfigError{File: file, Line: max(next.Line-1, next.Content[0].Line-1, 1),
		Msg: "a second YAML document (after `---`) starts here: a config holds one app; put each app in its own file (check takes several --config)"}
}

// checkURLLength refuses a URL field longer than MaxURLBytes.
func (c *Config) checkURLLength(field, value string) error {
	if len(value) > MaxURLBytes {
		return c.errorf(field, "is %d bytes long; a URL may have at most %d (8 KiB)", len(value), MaxURLBytes)
	}
	return nil
}

package checks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pinready/pinready/internal/testenv"
)

// Limits: each is a ConfigError naming the file, and the line and field
// where there is one.
func TestConfigLimits(t *testing.T) {
	long := "https://acme.example/" + strings.Repeat("a", MaxURLBytes)
	tests := []struct {
		name, yaml string
		line       int
		field, msg string
	}{
		{"multi-document", "app:\n  name: A\n---\napp:\n  name: B\n", 3, "", "second YAML document"},
		{"multi-document, three", "app:\n  name: A\n---\napp:\n  name: B\n---\napp:\n  name: C\n", 3, "", "second YAML document"},
		{"URL over 8 KiB", "app:\n  name: A\n  website: https://acme.example/\n  privacy_policy_url: " + long + "\n", 4, "app.privacy_policy_url", "at most 8192"},
		{"goto over 8 KiB", "app:\n  name: A\noauth:\n  steps:\n    - goto: " + long + "\n", 5, "oauth.steps[0].goto", "at most 8192"},
		{"redirect URI over 8 KiB", "app:\n  name: A\n  redirect_uris:\n    - " + long + "\n", 4, "app.redirect_uris[0]", "at most 8192"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("pinready.yaml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if ce.File != "pinready.yaml" || ce.Line != tt.line || ce.Field != tt.field || !strings.Contains(ce.Msg, tt.msg) {
				t.Fatalf("got %s:%d %s %q, want line %d field %q containing %q", ce.File, ce.Line, ce.Field, ce.Msg, tt.line, tt.field, tt.msg)
			}
		})
	}
	// A lone trailing separator is not a second document.
	if _, err := ParseConfig("pinready.yaml", []byte("app:\n  name: A\n---\n")); err != nil {
		t.Fatalf("trailing ---: %v", err)
	}
}

// A config over 1 MiB is refused before it is parsed.
func TestConfigSizeLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	big := "app:\n  name: A\n  description: |\n" + strings.Repeat("    "+strings.Repeat("word ", 20)+"\n", MaxConfigBytes/100)
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.File != path || !strings.Contains(ce.Msg, "larger than 1048576 bytes") {
		t.Fatalf("err = %v, want a ConfigError naming the file and the limit", err)
	}
}

// Reading a config from a pipe that never closes (--config /dev/stdin, a
// FIFO with no writer) ends when the context does.
func TestLoadConfigHonoursContext(t *testing.T) {
	for _, name := range []string{"a FIFO with no writer", "a pipe that never closes"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.fifo")
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
			if name == "a pipe that never closes" {
				// A writer that writes part of a config and then holds on.
				w, err := os.OpenFile(path, os.O_RDWR, 0) // O_RDWR: does not wait for a reader
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				w.WriteString("app:\n  name: A\n")
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { _, err := LoadConfigContext(ctx, path); done <- err }()
			select {
			case err := <-done:
				t.Fatalf("returned before the context ended: %v", err)
			case <-time.After(200 * time.Millisecond):
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
			case <-time.After(testenv.Hang):
				t.Fatal("LoadConfigContext ignored the context")
			}
		})
	}
}

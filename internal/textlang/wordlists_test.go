package textlang

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// Each language's file is loaded once however many readers ask at once,
// a failed load is not retried, and Codes names the files.
func TestWordListsLoadEachLanguageOnce(t *testing.T) {
	files := fstest.MapFS{
		"lexicon/de.yaml":      {Data: []byte("code: de")},
		"lexicon/zh-Hans.yaml": {Data: []byte("code: zh-Hans")},
		"lexicon/README.md":    {Data: []byte("not a language")},
	}
	var loads atomic.Int32
	w := NewWordLists(files, func(code string) (*string, error) {
		loads.Add(1)
		if code != "de" {
			return nil, errors.New("no such language")
		}
		return &code, nil
	})
	if got := w.Codes(); !slices.Equal(got, []string{"de", "zh-Hans"}) {
		t.Errorf("Codes() = %v", got)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if l := w.For("de"); l == nil || *l != "de" {
				t.Errorf(`For("de") = %v`, l)
			}
			if l := w.For("xx"); l != nil {
				t.Errorf(`For("xx") = %v, want nil`, *l)
			}
		})
	}
	wg.Wait()
	if n := loads.Load(); n != 2 {
		t.Errorf("%d loads for 2 languages asked 8 times each", n)
	}
}

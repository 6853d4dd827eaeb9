package textlang

import (
	"io/fs"
	"strings"
	"sync"
)

// WordLists are an audit's per-language word lists, embedded one file per
// language as lexicon/CODE.yaml (privacy's and description's): the
// languages there are files for, and each language's lists loaded on first
// use, once, so a run that reads only English parses none.
type WordLists[T any] struct {
	files fs.FS
	load  func(code string) (T, error)
	cache sync.Map // code → func() (T, error), a sync.OnceValues of load
}

// NewWordLists serves the lexicon/*.yaml files of files, each read by load.
func NewWordLists[T any](files fs.FS, load func(code string) (T, error)) *WordLists[T] {
	return &WordLists[T]{files: files, load: load}
}

// Codes lists the languages there are files for, in file name order.
func (w *WordLists[T]) Codes() []string {
	names, _ := fs.Glob(w.files, "lexicon/*.yaml")
	codes := make([]string, len(names))
	for i, n := range names {
		codes[i] = strings.TrimSuffix(strings.TrimPrefix(n, "lexicon/"), ".yaml")
	}
	return codes
}

// For returns what load made of a language's file the first time it was
// asked for. A language without a file, or whose file does not load, gets
// what load returned with its error (nil lists): a broken embedded file is
// a bug the audit's own tests report, and at run time the language is read
// as one without word lists.
func (w *WordLists[T]) For(code string) T {
	once, ok := w.cache.Load(code)
	if !ok {
		once, _ = w.cache.LoadOrStore(code, sync.OnceValues(func() (T, error) { return w.load(code) }))
	}
	v, _ := once.(func() (T, error))()
	return v
}

package checks

import (
	"regexp"
	"sync"
)

// regexps caches compiled patterns by their source. Rule patterns are
// checked when the rules load (CompilePatterns) but evaluated for every app
// and page, so each is compiled once, whatever the number of apps.
var regexps sync.Map // string -> *regexp.Regexp

// Regexp returns the compiled pattern, compiling each source once.
func Regexp(src string) (*regexp.Regexp, error) {
	if re, ok := regexps.Load(src); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	regexps.Store(src, re)
	return re, nil
}

// MustRegexp is Regexp for patterns already validated (rule parameters after
// CompilePatterns, or our own code's).
func MustRegexp(src string) *regexp.Regexp {
	re, err := Regexp(src)
	if err != nil {
		panic(err)
	}
	return re
}

package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Match is a token found where it must not be (oauth.token-exposure).
type Match struct {
	Rule       string // the Rule's Name, e.g. "pinterest-token"
	Start, End int    // the token's bytes in the text searched
}

// Find returns the tokens in s that count as exposed: matches of the rules
// with Detect set whose secret part is long enough, in the order they appear.
func Find(s string) []Match {
	var out []Match
	for i, r := range Rules {
		if r.Detect == 0 {
			continue
		}
		for _, m := range compiled(i).FindAllStringSubmatchIndex(s, -1) {
			a, b := m[4], m[5]
			if a < 0 || utf8.RuneCountInString(s[a:b]) < r.Detect || s[a:b] == Masked || placeholder(s[a:b]) {
				continue
			}
			out = append(out, Match{Rule: r.Name, Start: a, End: b})
		}
	}
	sortMatches(out)
	return out
}

// placeholder: a value that documentation or a form shows in place of a
// token ("client_secret=YOUR_CLIENT_SECRET", "pina_xxxxxxxxxxxx"), not a
// token. It is masked all the same; it is not an exposure.
func placeholder(v string) bool {
	lv := strings.ToLower(v)
	for _, w := range []string{"your", "xxxx", "****", "...", "…", "<", ">", "{", "}", "$", "placeholder", "example", "redacted", "changeme"} {
		if strings.Contains(lv, w) {
			return true
		}
	}
	return false
}

func sortMatches(ms []Match) {
	slices.SortStableFunc(ms, func(a, b Match) int { return a.Start - b.Start })
}

// JSONMatch is a token found in a JSON document, at Path ("$.accessToken",
// "$.user.tokens[0]", `$["x-y"]`). A path names keys as they are, masked.
type JSONMatch struct {
	Path string
	Rule string
}

// FindJSON looks for exposed tokens in a JSON document and says where each
// is. Every member is searched as the text `"key":value`, so a key such as
// "client_secret" counts as it does in any other text. ok is false when
// data is not JSON; the caller then searches it as text.
func FindJSON(data []byte) (found []JSONMatch, ok bool) {
	if !json.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		path   string
		array  bool
		index  int
		key    string
		hasKey bool
	}
	var stack []*frame
	seen := map[JSONMatch]bool{}
	report := func(path, text string) {
		for _, m := range Find(text) {
			jm := JSONMatch{Path: path, Rule: m.Rule}
			if !seen[jm] {
				seen[jm] = true
				found = append(found, jm)
			}
		}
	}
	// here is the path of the value about to be read, and the text its
	// member spells.
	here := func() (string, string) {
		if len(stack) == 0 {
			return "$", ""
		}
		f := stack[len(stack)-1]
		if f.array {
			return f.path + "[" + strconv.Itoa(f.index) + "]", ""
		}
		return f.path + pathKey(f.key), strconv.Quote(f.key) + ":"
	}
	advance := func() {
		if len(stack) == 0 {
			return
		}
		f := stack[len(stack)-1]
		if f.array {
			f.index++
		} else {
			f.hasKey = false
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return found, true // valid JSON: cannot happen
		}
		if len(stack) > 0 {
			if f := stack[len(stack)-1]; !f.array && !f.hasKey {
				if d, isDelim := tok.(json.Delim); !isDelim || d != '}' {
					f.key, f.hasKey = tok.(string), true
					report(f.path+pathKey(f.key), f.key) // a token used as a key
					continue
				}
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				path, _ := here()
				stack = append(stack, &frame{path: path, array: v == '['})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			path, member := here()
			report(path, member+strconv.Quote(v))
			report(path, v) // the string's own text, unescaped
			advance()
		default:
			path, member := here()
			if member != "" {
				report(path, member+jsonScalar(v))
			}
			advance()
		}
	}
	return found, true
}

func jsonScalar(v any) string {
	switch v := v.(type) {
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return "null"
}

var identifier = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`) })

// pathKey is one step of a JSONPath, the key masked (a key may itself be a
// secret).
func pathKey(k string) string {
	k = Text(k)
	if identifier().MatchString(k) {
		return "." + k
	}
	b, _ := json.Marshal(k)
	return "[" + string(b) + "]"
}

// Text masks the grammar in s (no run secrets): tokens, credentials, URL
// userinfo, authorization codes.
func Text(s string) string { return (*Masker)(nil).Text(s) }

// URL is a URL as any output may show it: userinfo masked
// ("https://•••@acme.example/"), credential parameters and tokens masked,
// an authorization code cut to its fingerprint.
func URL(raw string) string { return Text(raw) }

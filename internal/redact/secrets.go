package redact

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// MinSecret is the shortest value_env value hidden in text, in characters:
// a shorter one would mangle ordinary words and numbers everywhere. A form
// field holding it is still drawn as discs.
const MinSecret = 3

// Masker masks the grammar and the secrets of one run. The zero value masks
// the grammar only; a nil *Masker does too. It is safe for concurrent use.
type Masker struct {
	mu      sync.RWMutex
	secrets []string       // as registered, in order
	re      *regexp.Regexp // every spelling of every secret; nil when none
	needs   []string       // a text holding none of these holds no secret (secretNeeds)
}

// NewMasker returns a masker that hides the given secrets too.
func NewMasker(secrets ...string) *Masker {
	m := &Masker{}
	m.Add(secrets...)
	return m
}

// Add registers value_env values: from now on they are hidden however they
// are spelled (see secretPattern). Empty and repeated values are ignored.
func (m *Masker) Add(vals ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	changed := false
	for _, v := range vals {
		if v == "" || slices.Contains(m.secrets, v) {
			continue
		}
		m.secrets = append(m.secrets, v)
		changed = true
	}
	if changed {
		m.re, m.needs = secretsRegexp(m.secrets), secretNeeds(m.secrets)
	}
}

// Secrets returns the registered values, in the order they were added.
func (m *Masker) Secrets() []string {
	if m == nil {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.secrets)
}

// Text returns s with every secret hidden ("•••") and authorization codes
// cut to their fingerprint. Masking twice changes nothing more.
func (m *Masker) Text(s string) string {
	return apply(s, m.ranges(s))
}

// ranges finds what Text replaces: the run's secrets, then every rule.
func (m *Masker) ranges(s string) []rangeOf {
	var out []rangeOf
	lower := lowerASCII(s)
	if re, needs := m.secretsRe(); re != nil && worth(lower, needs) {
		out = find(out, re, false, s)
	}
	for i, r := range Rules {
		if worth(lower, r.Needs) {
			out = find(out, compiled(i), r.Fingerprint, s)
		}
	}
	return merge(out)
}

func (m *Masker) secretsRe() (*regexp.Regexp, []string) {
	if m == nil {
		return nil, nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.re, m.needs
}

// secretNeeds is, for each secret hidden in text, the longest run of
// ASCII letters and digits in it, lower-cased: characters that have no
// other spelling in secretPattern, so every match holds the run. A secret
// with none (all punctuation) makes every text worth searching.
func secretNeeds(secrets []string) []string {
	var out []string
	for _, v := range secrets {
		if utf8.RuneCountInString(v) < MinSecret {
			continue
		}
		best, cur := "", ""
		for _, r := range v {
			if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				cur += string(r)
				if len(cur) > len(best) {
					best = cur
				}
			} else {
				cur = ""
			}
		}
		if best == "" {
			return nil
		}
		out = append(out, strings.ToLower(best))
	}
	return out
}

// secretsSource is the expression of the run's secrets, (prefix)(secret)
// like a Rule's; "" when no secret is long enough to hide.
func secretsSource(secrets []string) string {
	var alts []string
	sorted := slices.Clone(secrets)
	// The longest first: a secret that contains another is hidden whole.
	slices.SortStableFunc(sorted, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	for _, v := range sorted {
		if utf8.RuneCountInString(v) >= MinSecret {
			alts = append(alts, secretPattern(v))
		}
	}
	if len(alts) == 0 {
		return ""
	}
	return "()(" + strings.Join(alts, "|") + ")"
}

func secretsRegexp(secrets []string) *regexp.Regexp {
	src := secretsSource(secrets)
	if src == "" {
		return nil
	}
	return regexp.MustCompile("(?i)" + src)
}

// secretPattern matches v however a page, a URL or a log may spell it:
// each character as itself or escaped for a URL (%2F, or %252F twice),
// for HTML (&amp; &#38; &#x26;) or for JSON (\/ \" \u0026), in any mix and
// any letter case (text-transform: uppercase, or %2f for %2F).
func secretPattern(v string) string {
	var b strings.Builder
	for _, r := range v {
		forms := charForms(r)
		if len(forms) == 1 {
			b.WriteString(forms[0])
			continue
		}
		b.WriteString("(?:" + strings.Join(forms, "|") + ")")
	}
	return b.String()
}

// charForms are the spellings of one character, as expressions.
func charForms(r rune) []string {
	if r == utf8.RuneError {
		return []string{regexp.QuoteMeta(string(r))}
	}
	var raw []string
	add := func(s string) {
		if !slices.Contains(raw, s) {
			raw = append(raw, s)
		}
	}
	add(string(r))
	// Letters and digits are escaped by nothing in practice; everything
	// else by something.
	alnum := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	if !alnum {
		var pct, pct2 strings.Builder
		var buf [utf8.UTFMax]byte
		for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
			fmt.Fprintf(&pct, "%%%02X", c)
			fmt.Fprintf(&pct2, "%%25%02X", c)
		}
		add(pct.String())
		add(pct2.String())
		if r == ' ' {
			add("+")
		}
		switch r {
		case '&':
			add("&amp;")
		case '<':
			add("&lt;")
		case '>':
			add("&gt;")
		case '"':
			add("&quot;")
			add(`\"`)
		case '\'':
			add("&apos;")
		case '\\':
			add(`\\`)
		case '/':
			add(`\/`)
		}
		if r != ' ' {
			add(fmt.Sprintf("&#%d;", r))
			add(fmt.Sprintf("&#x%x;", r))
			if r < 0x10000 {
				add(fmt.Sprintf(`\u%04x`, r))
			} else {
				r1, r2 := surrogates(r)
				add(fmt.Sprintf(`\u%04x\u%04x`, r1, r2))
			}
		}
	}
	// The longest first: alternation takes the first form that matches, and
	// "&amp;" must not be read as "&" followed by "amp;".
	slices.SortStableFunc(raw, func(a, b string) int { return len(b) - len(a) })
	out := make([]string, len(raw))
	for i, s := range raw {
		out[i] = regexp.QuoteMeta(s)
	}
	return out
}

// surrogates splits a character beyond the BMP into its UTF-16 pair, as
// JSON escapes it.
func surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

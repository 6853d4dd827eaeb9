package redact

import "unicode/utf8"

// Masked replaces a secret that is hidden whole.
const Masked = "•••"

// Ellipsis ends a fingerprint: the value went on and was cut.
const Ellipsis = "…"

// Authorization codes are shown as a fingerprint: enough to match the code
// across a trace and to prove in the video that one arrived, too little to
// use it. The rule, in characters (runes, not bytes):
//
//   - a code of at most MinCodeForFingerprint characters is masked whole;
//   - otherwise the fingerprint shows at most MaxCodeShown characters and
//     never more than a third of the code.
//
// So a 4-character code such as "漢字漢字" never survives as its own
// "fingerprint", and a real 40-character code shows its first 4 characters.
const (
	MaxCodeShown          = 4
	MinCodeForFingerprint = 8
)

// CodeShown is how many leading characters of a code of n characters a
// fingerprint keeps.
func CodeShown(n int) int {
	if n <= MinCodeForFingerprint {
		return 0
	}
	return min(MaxCodeShown, n/3)
}

// CodeFingerprint returns the form of an authorization code every output
// shows: "" for no code, Masked for a short one, else its first CodeShown
// characters and an ellipsis.
func CodeFingerprint(code string) string {
	if code == "" {
		return ""
	}
	k := CodeShown(utf8.RuneCountInString(code))
	if k == 0 {
		return Masked
	}
	// Cut on the k-th character boundary of the original bytes, so even an
	// invalid code keeps its own prefix rather than replacement characters.
	end := 0
	for i := 0; i < k; i++ {
		_, size := utf8.DecodeRuneInString(code[end:])
		end += size
	}
	return code[:end] + Ellipsis
}

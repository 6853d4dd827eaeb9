package cli

import (
	"testing"

	"github.com/pinready/pinready/schema"
)

// The starter `pinready init` writes validates against the editor schema, so
// a new user's editor shows no false errors on it.
func TestStarterConfigMatchesSchema(t *testing.T) {
	for _, website := range []string{"", "https://pins.example/app"} {
		text, err := starterConfig(website)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate([]byte(text)); err != nil {
			t.Errorf("starter for %q:\n%v", website, err)
		}
	}
}

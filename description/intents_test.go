package description

import (
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

func scopesOf(t *testing.T, desc string, scopes ...string) checks.Finding {
	t.Helper()
	sr, err := newScopeReader(loadRules(t).Get("description.scopes").Params)
	if err != nil {
		t.Fatal(err)
	}
	// The description names Pinterest (a board is Pinterest's only then),
	// in a sentence that explains no scope.
	return sr.judge(readText("Made for Pinterest. "+desc), scopes)
}

// Issue 17: each scope is explained by meaning: its intents, with stems and
// synonyms, in any word order. Every phrase the issue found missed is here.
func TestScopeIntentsRecognised(t *testing.T) {
	tests := []struct{ scope, desc string }{
		{"user_accounts:read", "After connecting their Pinterest account, users design Pins."},
		{"user_accounts:read", "The settings page shows which account is connected."},
		{"pins:write", "The plugin lets you pin images from your posts; they are added to your selected Board."},
		{"boards:read", "The plugin lets you pin images from your posts; they are added to your selected Board."},
		{"pins:write", "With templates you can create endless pins for every article."},
		{"boards:write", "No board yet? Create one using the Add board option."},
		{"pins:write", "Each post is a pin on one board."},
		{"boards:write", "The dashboard offers board management including creation."},
		{"pins:write", "Bulk creation and editing of pins saves hours."},
		{"ads:write", "Marketers build audiences to advertise on Pinterest."},
		{"ads:read", "Agencies see campaign performance and ad spend for each client."},
		{"pins:write", "Authors press Save to Pinterest in the editor."},
		{"pins:write", "Scheduled Pins go out at the time the user picked."},
		{"pins:write", "Photographers publish photos to one of their boards."},
		{"pins:read", "The report lists each Pin with its saves and clicks."},
		{"boards:read_secret", "Users may also choose one of their secret boards."},
		{"catalogs:write", "The app syncs your products to Pinterest every night."},
		{"catalogs:read", "Merchants see the status of their product feed."},
		{"user_accounts:read", "Link your Pinterest business account from the settings page."},
	}
	for _, tt := range tests {
		t.Run(tt.scope+": "+tt.desc, func(t *testing.T) {
			if f := scopesOf(t, tt.desc, tt.scope); f.Status != checks.StatusPass {
				t.Fatalf("description.scopes = %s %q, want pass", f.Status, f.Message)
			}
		})
	}
}

// What does not explain a scope: denied actions, a board that only receives
// Pins, "designed for".
func TestScopeIntentsNotRecognised(t *testing.T) {
	tests := []struct{ scope, desc string }{
		{"pins:write", "It is read-only: the app never creates, edits or deletes Pins."},
		{"boards:write", "Users create Pins on their boards at a chosen time."},
		{"pins:write", "A Pin analytics dashboard designed for bloggers."},
		{"pins:write", "It shows impressions, saves and outbound clicks for each Pin."},
		{"ads:write", "Agencies see campaign performance and ad spend for each client."},
		{"user_accounts:read", "The plugin adds a link to each Pin."},
		{"boards:read_secret", "Users pick one of their boards."},
		{"catalogs:read", "Shop owners pin photos of their products."},
	}
	for _, tt := range tests {
		t.Run(tt.scope+": "+tt.desc, func(t *testing.T) {
			if f := scopesOf(t, tt.desc, tt.scope); f.Status != checks.StatusFail {
				t.Fatalf("description.scopes = %s %q, want fail", f.Status, f.Message)
			}
		})
	}
}

// A condition after a denial is a promise about consent, not a denial.
func TestScopeIntentsConsentIsNotDenial(t *testing.T) {
	f := scopesOf(t, "The app never creates a Pin without the user's click.", "pins:write")
	if f.Status != checks.StatusPass {
		t.Fatalf("description.scopes = %s %q, want pass", f.Status, f.Message)
	}
}

// The message names the missing intent and suggests a sentence for the scope.
func TestScopeIntentsMessage(t *testing.T) {
	f := scopesOf(t, "Bloggers connect their Pinterest account and see analytics for their Pins.", "user_accounts:read", "pins:read", "boards:write")
	if f.Status != checks.StatusFail {
		t.Fatalf("description.scopes = %s %q, want fail", f.Status, f.Message)
	}
	for _, want := range []string{"boards:write (no sentence says the app will create or edit boards", `e.g. "Users can create a new board`} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if strings.Contains(f.Message, "pins:read (") || strings.Contains(f.Message, "user_accounts:read (") {
		t.Errorf("message %q names explained scopes", f.Message)
	}
}

// A --rules file whose intents name an unknown concept or scope is a
// configuration error with the rule's line, never a rule that cannot run.
func TestScopeIntentsValidated(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"rules:\n  - id: description.scopes\n    params:\n      intents: {x: ['@nothing & @pin']}\n", `no concept "nothing"`},
		{"rules:\n  - id: description.scopes\n    params:\n      scope_intents: {pins:sing: [x]}\n", `"pins:sing" is not a Pinterest v5 scope`},
		{"rules:\n  - id: description.scopes\n    params:\n      scope_intents: {pins:write: [fly to the moon]}\n", `no intent "fly to the moon"`},
		{"rules:\n  - id: description.scopes\n    params:\n      intents: {x: ['* pin']}\n", "cannot start with *"},
		{"rules:\n  - id: description.scopes\n    params:\n      intents: {x: ['@pin ~12 @board']}\n", "0 to 8"},
	}
	for _, tt := range tests {
		rs := loadRules(t)
		if err := rs.Extend("mine.yaml", []byte(tt.yaml)); err != nil {
			t.Fatal(err)
		}
		err := rs.CompilePatterns("mine.yaml")
		if err == nil || !strings.Contains(err.Error(), "mine.yaml:2: rules.params: description.scopes") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want mine.yaml:2 and %q", tt.yaml, err, tt.want)
		}
	}
}

// explained_by keeps old --rules files working: a phrase explains a scope outright.
func TestScopeExplainedByPhrase(t *testing.T) {
	rs := loadRules(t)
	if err := rs.Extend("mine.yaml", []byte("rules:\n  - id: description.scopes\n    params:\n      explained_by: {ads:write: [\"bid strateg*\"]}\n")); err != nil {
		t.Fatal(err)
	}
	sr, err := newScopeReader(rs.Get("description.scopes").Params)
	if err != nil {
		t.Fatal(err)
	}
	if f := sr.judge(readText("Agencies tune bid strategies for clients."), []string{"ads:write"}); f.Status != checks.StatusPass || !strings.Contains(f.Message, `"bid strategies"`) {
		t.Fatalf("description.scopes = %s %q", f.Status, f.Message)
	}
}

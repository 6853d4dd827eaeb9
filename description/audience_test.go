package description

import (
	"strings"
	"testing"

	"github.com/pinready/pinready/checks"
)

func audienceOf(t *testing.T, desc string) checks.Finding {
	t.Helper()
	return newAudience(loadRules(t).Get("description.audience").Params).judge(readText(desc))
}

// Issue 17: a group of people is recognised however it is named, from the
// lexicon, not from a list of forty user nouns.
func TestAudienceRecognisesPeople(t *testing.T) {
	tests := []struct{ desc, names string }{
		{"Swatchbook is a planning tool for wedding and event florists.", "florists"},
		{"A florist connects their Pinterest account and picks a board.", "florist connects"},
		{"Homestead is a listing tool for realtors.", "for realtors"},
		{"A seating tool for wedding planners.", "wedding planners"},
		{"Plotline helps bloggers, small businesses and marketers grow on Pinterest.", "helps bloggers"},
		{"Adpulse provides advertisers with weekly reports of their campaigns.", "provides advertisers"},
		{"The app lets you present new collections to small-business owners as Pins.", "to small-business owners"},
		{"Publish the products of your WooCommerce store as Pins.", "owner of a store: \"your WooCommerce store\""},
		{"Turn your blog posts into Pins with one click.", "owner of a blog"},
		{"Etsy sellers use it to pin new listings.", "Etsy sellers use"},
		{"Only our customers can sign in.", "our customers"},
		{"Its members plan boards together.", "Its members"},
		{"Made for anyone who sells handmade goods.", "anyone"},
		{"Kitchen Notes is aimed at recipe bloggers and home cooks.", "recipe bloggers"},
		{"Lessons are planned by teachers in the app.", "by teachers"},
		{"A tool for the families of our students.", "families"},
		{"Pinners who collect quilt patterns save them here.", "Pinners who"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			f := audienceOf(t, tt.desc)
			if f.Status != checks.StatusPass || !strings.Contains(f.Message, tt.names) {
				t.Fatalf("audience = %s %q, want a pass naming %q", f.Status, f.Message, tt.names)
			}
		})
	}
}

// Things are not people: a description that names only boards, images,
// Pins or a feature does not say who the app is for.
func TestAudienceIgnoresThings(t *testing.T) {
	tests := []string{
		"Pinwheel creates Pins for boards.",
		"An editor for images and boards.",
		"Pins are created for the user's boards at a chosen time.",
		"The scheduler publishes each Pin at the chosen time.",
		"A Pin designer lets you pick a template.",
		"Use it for free, for planning and for fun.",
		"Schedule Pins to boards and send reports to the dashboard.",
		"Connect your Pinterest account and pick your boards.",
		"We never sell data to third parties.",
	}
	for _, desc := range tests {
		t.Run(desc, func(t *testing.T) {
			if f := audienceOf(t, desc); f.Status != checks.StatusFail {
				t.Fatalf("audience = %s %q, want a failure", f.Status, f.Message)
			}
		})
	}
}

// The failure quotes the phrase that named only things, so the user sees why.
func TestAudienceMessageQuotesThings(t *testing.T) {
	f := audienceOf(t, "Pinwheel creates Pins for boards.")
	if f.Status != checks.StatusFail || !strings.Contains(f.Message, `"for boards" names things, not people`) {
		t.Fatalf("audience = %s %q", f.Status, f.Message)
	}
}

func TestPersonAtSingularsAndPlurals(t *testing.T) {
	a := newAudience(loadRules(t).Get("description.audience").Params)
	tests := []struct {
		word     string
		ok       bool
		singular string
		plural   bool
	}{
		{"florists", true, "florist", true},
		{"agencies", true, "agency", true},
		{"businesses", true, "business", true},
		{"alumni", true, "alumnus", true},
		{"salesmen", true, "salesman", true},
		{"people", true, "people", true},
		{"realtor", true, "realtor", false},
		{"pinners", true, "pinner", true},
		{"boards", false, "", false},
		{"images", false, "", false},
		{"parties", false, "", false},
		// An -er plural WordNet does not know is people; one it knows as a thing is not.
		{"scrapbookers", true, "scrapbooker", true},
		{"stickers", false, "", false},
		{"schedulers", false, "", false},
		{"faster", false, "", false},
	}
	for _, tt := range tests {
		tx := readText(tt.word)
		p, ok := a.personAt(tx, 0)
		if ok != tt.ok || p.singular != tt.singular || p.plural != tt.plural {
			t.Errorf("personAt(%q) = %+v, %v; want %q plural=%v, %v", tt.word, p, ok, tt.singular, tt.plural, tt.ok)
		}
	}
}

// Issue 25: what audience took for users were things: an authentication
// scheme after a verb's stem, and subfolders (an -er compound of "folder").
func TestAudienceTakesOnlyPeople(t *testing.T) {
	for _, desc := range []string{
		"The API uses the Bearer authentication for each request to the service endpoints.",
		"Sync each board and subfolders into a local directory.",
		"Exports every board and its placeholders to a folder.",
	} {
		if f := audienceOf(t, desc); f.Status != checks.StatusFail {
			t.Errorf("%q: audience = %s %q, want a failure", desc, f.Status, f.Message)
		}
	}
}

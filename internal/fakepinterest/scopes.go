package fakepinterest

import (
	"fmt"
	"slices"
	"strings"
)

// scopeWords are the v5 scopes with the plain words the consent page shows,
// taken from the scope descriptions in Pinterest's v5 OpenAPI description.
var scopeWords = map[string]string{
	"ads:read":            "See all of your advertising data, including ads, ad groups, campaigns etc.",
	"ads:write":           "Create, update, or delete ads, ad groups, campaigns etc.",
	"billing:read":        "See all of your billing data, billing profile, etc.",
	"billing:write":       "Create, update, or delete billing data, billing profiles, etc.",
	"biz_access:read":     "See business access data",
	"biz_access:write":    "Create, update, or delete business access data",
	"boards:read":         "See your public boards, including group boards you join",
	"boards:read_secret":  "See your secret boards",
	"boards:write":        "Create, update, or delete your public boards",
	"boards:write_secret": "Create, update, or delete your secret boards",
	"catalogs:read":       "See all of your catalogs data",
	"catalogs:write":      "Create, update, or delete your catalogs data",
	"msot:write":          "Create measurement source of truth events",
	"pins:read":           "See your public Pins",
	"pins:read_secret":    "See your secret Pins",
	"pins:write":          "Create, update, or delete your public Pins",
	"pins:write_secret":   "Create, update, or delete your secret Pins",
	"user_accounts:read":  "See your user accounts and followers",
	"user_accounts:write": "Update your user accounts and followers",
}

// parseScopes splits Pinterest's comma-separated scope parameter. A
// space-separated list (the OAuth RFC habit) is one unknown scope here, as it
// is for an app that gets the separator wrong.
func parseScopes(raw string) ([]string, error) {
	var scopes []string
	for s := range strings.SplitSeq(raw, ",") {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(scopes, s) {
			continue
		}
		if _, ok := scopeWords[s]; !ok {
			return nil, fmt.Errorf("unknown scope %q (scopes are comma-separated v5 scopes such as boards:read,pins:read)", s)
		}
		scopes = append(scopes, s)
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("the scope parameter is missing or empty")
	}
	return scopes, nil
}

// missingScope returns the first of need that granted lacks, or "".
func missingScope(granted, need []string) string {
	for _, n := range need {
		if !slices.Contains(granted, n) {
			return n
		}
	}
	return ""
}

package checks

import "slices"

// Scopes are the Pinterest API v5 OAuth scopes, as Pinterest's OpenAPI
// description (pinterest/api-description, v5/openapi.yaml) lists them.
var Scopes = []string{
	"ads:read", "ads:write", "billing:read", "billing:write",
	"biz_access:read", "biz_access:write", "boards:read", "boards:read_secret",
	"boards:write", "boards:write_secret", "catalogs:read", "catalogs:write",
	"msot:write", "pins:read", "pins:read_secret", "pins:write",
	"pins:write_secret", "user_accounts:read", "user_accounts:write",
}

// IsScope reports whether s is a v5 scope.
func IsScope(s string) bool { return slices.Contains(Scopes, s) }

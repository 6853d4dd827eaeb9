// Package redact is the one definition of what a secret looks like and how
// much of it any output may show. Every sink (trace.json, record.json,
// reports, progress lines, evidence screenshots, the video's page area and
// address bar) masks with it, and oauth.token-exposure detects with it:
//
//   - grammar.go: the token grammar (Pinterest pina_/pinr_/pinc_ tokens with
//     any base64, base64url or hex body, JWTs, client secrets), credential
//     keys in every form (query, fragment, form body, JSON, YAML-ish
//     key: value, headers), URL userinfo and authorization codes;
//   - secrets.go: the run's value_env values, in every spelling a page or a
//     URL may give them (URL-, HTML-, JSON-escaped, any letter case);
//   - code.go: how much of an authorization code a fingerprint keeps;
//   - page.js: the same masking inside a page. It holds no pattern of its
//     own: PageRules hands it the expressions of grammar.go as JSON, and a
//     browser test checks that it masks exactly as Text does.
package redact

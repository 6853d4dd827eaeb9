// Package redact is the one place that decides how much of a secret any
// output may show. Every sink (trace, reports, screenshots, the video's
// address bar) asks it instead of keeping its own rule.
package redact

#!/usr/bin/env bash
# Runs every Fuzz* target for a short, bounded time (make test calls it).
set -euo pipefail
fuzztime=${1:-5s}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/pinready-fuzz.log 2>&1 || { cat /tmp/pinready-fuzz.log; exit 1; }
  done
done

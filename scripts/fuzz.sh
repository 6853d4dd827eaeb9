#!/usr/bin/env bash
# Runs every Fuzz* target for a bounded budget (`make fuzz` calls it, never
# `make test`, whose answer must not change from run to run):
# a count of executions such as 10000x (see the Makefile for why not a time).
set -euo pipefail
fuzztime=${1:-10000x}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/pinready-fuzz.log 2>&1 || { cat /tmp/pinready-fuzz.log; exit 1; }
  done
done

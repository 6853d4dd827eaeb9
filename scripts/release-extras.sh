#!/usr/bin/env bash
# Writes what a release archive carries beside the binary, from the binary
# itself so they never disagree with it: build/man/pinready.1.gz (pinready
# man) and build/completions/pinready.{bash,zsh,fish} (pinready completion).
# `make man` and GoReleaser's before hook run it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build}
bin=$(mktemp -d)/pinready
trap 'rm -rf "$(dirname "$bin")"' EXIT
${GO:-go} build -o "$bin" .
mkdir -p "$out/man" "$out/completions"
"$bin" man >"$out/man/pinready.1"
gzip -9 -n -c "$out/man/pinready.1" >"$out/man/pinready.1.gz"
for shell in bash zsh fish; do
  "$bin" completion "$shell" >"$out/completions/pinready.$shell"
done
echo "wrote $out/man/pinready.1(.gz) and $out/completions/pinready.{bash,zsh,fish}" >&2

#!/usr/bin/env bash
# Installs what pinready needs at run time (Chromium, ffmpeg) and, with
# --test, what its tests need too (tesseract reads the text drawn in video
# frames). Nothing is installed when it is already there. As root it uses
# apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || have chromium-browser || have google-chrome || need+=(chromium)
have ffmpeg || need+=(ffmpeg)
have ffprobe || need+=(ffmpeg)
if [[ "${1:-}" == "--test" ]]; then
  have tesseract || need+=(tesseract-ocr)
fi
# Debian's Go is older than go.mod asks for; with it installed, the go command
# fetches the right toolchain from the Go module proxy by itself.
have go || need+=(golang-go ca-certificates)

if ((${#need[@]} == 0)); then
  exit 0
fi
# de-duplicate
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
cmd="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "pinready needs: ${need[*]}. Install them with:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "installing: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${need[@]}" >&2

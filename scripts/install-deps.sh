#!/usr/bin/env bash
# Installs what pinready needs at run time (Chromium, ffmpeg) and, with
# --test, what its tests need too (tesseract reads the text drawn in video
# frames). Nothing is installed when it is already there. As root it uses
# apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }

# macOS: Homebrew, and Chrome or Chromium where macOS puts applications
# (where pinready looks for them: internal/browser/find.go).
if [[ $(uname -s) == Darwin ]]; then
  apps=("/Applications" "$HOME/Applications")
  browser=
  for d in "${apps[@]}"; do
    for app in "Chromium.app" "Google Chrome.app" "Google Chrome for Testing.app"; do
      [[ -d "$d/$app" ]] && browser="$d/$app"
    done
  done
  [[ -n $browser ]] || have chromium || have google-chrome || [[ -n ${PINREADY_CHROMIUM:-} ]] || need+=("brew install --cask google-chrome")
  have ffmpeg || [[ -n ${PINREADY_FFMPEG:-} ]] || need+=("brew install ffmpeg")
  if [[ "${1:-}" == "--test" ]]; then
    have tesseract || need+=("brew install tesseract")
  fi
  have go || need+=("brew install go")
  if ((${#need[@]} > 0)); then
    echo "pinready needs, on macOS:" >&2
    printf '  %s\n' "${need[@]}" >&2
    exit 1
  fi
  exit 0
fi
have chromium || have chromium-browser || have google-chrome || need+=(chromium)
# The headless shell (Debian's build of chrome-headless-shell, what Playwright
# runs headless) does a headless run's flows for about half the CPU of full
# Chromium; pinready runs it when it is there (full Chromium for --headful),
# so it is installed where apt has it and this runs as root; without it,
# full Chromium does everything, as before.
if ! have chromium-headless-shell && [[ $(id -u) -eq 0 ]] && apt-cache show chromium-headless-shell >/dev/null 2>&1; then
  need+=(chromium-headless-shell)
fi
have ffmpeg || need+=(ffmpeg)
have ffprobe || need+=(ffmpeg)
if [[ "${1:-}" == "--test" ]]; then
  have tesseract || need+=(tesseract-ocr)
  # The terminal-flow tests run scripts like Pinterest's quickstart: Python
  # (webbrowser, http.server), and bash with nc (OpenBSD's, as macOS has) and curl.
  have python3 || need+=(python3)
  have nc || need+=(netcat-openbsd)
  have curl || need+=(curl)
fi
# Go: any Go from 1.21 on fetches the toolchain go.mod asks for by itself
# (GOTOOLCHAIN=auto). Debian 12 ships 1.19, which cannot; bootstrap_go below
# uses it to download the official toolchain module instead.
have go || need+=(golang-go ca-certificates)

# go_minor prints the minor version of the go on PATH (19 for go1.19.8).
go_minor() { go version 2>/dev/null | sed -n 's/.* go1\.\([0-9]*\).*/\1/p'; }

# bootstrap_go installs the Go toolchain of go.mod from the Go module proxy
# (module golang.org/toolchain: what GOTOOLCHAIN downloads) with an old go,
# and links it into $PINREADY_BIN_DIR, ahead of Debian's go on PATH.
bootstrap_go() {
  local want arch dir bin tc
  want=${PINREADY_GO_VERSION:-1.26.8} # go.mod asks for 1.26 or later; this one is tested
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  dir=${PINREADY_GO_DIR:-/usr/local/lib/pinready-go}
  bin=${PINREADY_BIN_DIR:-/usr/local/bin}
  echo "installing the Go $want toolchain from the Go module proxy into $dir" >&2
  tc=$(cd "$(mktemp -d)" && GOPATH=$dir GOFLAGS=-modcacherw GO111MODULE=on GOTOOLCHAIN=local \
    go mod download -json "golang.org/toolchain@v0.0.1-go$want.linux-$arch" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  [[ -x $tc/bin/go ]] || chmod +x "$tc"/bin/* "$tc"/pkg/tool/*/*
  mkdir -p "$bin"
  ln -sf "$tc/bin/go" "$bin/go"
  ln -sf "$tc/bin/gofmt" "$bin/gofmt"
}

if ((${#need[@]} == 0)); then
  if [[ -n $(go_minor) && $(go_minor) -lt 21 ]]; then
    [[ $(id -u) -eq 0 ]] || { echo "go $(go version) is too old (need 1.21+ to fetch go.mod's toolchain); run as root to install it" >&2; exit 1; }
    bootstrap_go
  fi
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
hash -r
if [[ -n $(go_minor) && $(go_minor) -lt 21 ]]; then
  bootstrap_go
fi

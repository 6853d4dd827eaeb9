#!/usr/bin/env bash
# Installs the pinready release for this system (linux or macOS, amd64 or
# arm64), checked against the release's checksums.txt:
#
#   curl -fsSL https://raw.githubusercontent.com/pinready/pinready/main/scripts/install.sh | bash
#
# PINREADY_VERSION: 1.2.3, v1.2.3 or latest (default). PINREADY_INSTALL_DIR:
# where the binary goes (default ~/.local/bin; the man page goes to
# ../share/man/man1 beside it). PINREADY_DOWNLOAD_URL: where releases are
# (default GitHub's; a mirror, or a local dist/ folder as file:///…).
# pinready runs Chromium (or Google Chrome) and ffmpeg: `pinready --version
# --verbose` says which it found, or how to install them.
set -euo pipefail

case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "pinready: releases are for linux and macOS, not $(uname -s); try: go install github.com/pinready/pinready@latest" >&2; exit 1 ;;
esac
case $(uname -m) in
  x86_64 | amd64) arch=amd64 ;;
  arm64 | aarch64) arch=arm64 ;;
  *) echo "pinready: no release for $(uname -m)" >&2; exit 1 ;;
esac

version=${PINREADY_VERSION:-latest}
base=${PINREADY_DOWNLOAD_URL:-https://github.com/pinready/pinready/releases}
if [[ $base == file://* ]]; then
  url=$base
elif [[ $version == latest ]]; then
  url=$base/latest/download
else
  url=$base/download/v${version#v}
fi
bindir=${PINREADY_INSTALL_DIR:-$HOME/.local/bin}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fetch() { curl -fsSL --retry 3 -o "$2" "$1"; }
fetch "$url/checksums.txt" checksums.txt
# The checksums name the archive, and so the version "latest" is.
line=$(grep -E "  pinready_[^ ]+_${os}_${arch}\.tar\.gz$" checksums.txt | head -n1) || true
[[ -n $line ]] || { echo "pinready: no archive for $os/$arch in $url/checksums.txt" >&2; exit 1; }
archive=${line##* }
fetch "$url/$archive" "$archive"
if command -v sha256sum >/dev/null; then
  echo "$line" | sha256sum -c - >/dev/null
else
  echo "$line" | shasum -a 256 -c - >/dev/null
fi
tar -xzf "$archive"
dir=${archive%.tar.gz}
mkdir -p "$bindir"
install -m 0755 "$dir/pinready" "$bindir/pinready"
if [[ -f $dir/man/man1/pinready.1.gz ]]; then
  mkdir -p "$bindir/../share/man/man1" && install -m 0644 "$dir/man/man1/pinready.1.gz" "$bindir/../share/man/man1/" || true
fi
echo "pinready: installed $dir into $bindir (sha256 checked)" >&2
case ":$PATH:" in *":$bindir:"*) ;; *) echo "pinready: add $bindir to PATH" >&2 ;; esac

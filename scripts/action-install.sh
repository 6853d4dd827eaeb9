#!/usr/bin/env bash
# The install step of action.yml: the release for this runner (install.sh:
# checked against the release's checksums.txt) onto PATH; then ffmpeg (and,
# to record, CJK and emoji fonts) when the runner lacks them. GitHub's
# runners already have Google Chrome, where pinready looks for it.
#
# PINREADY_VERSION: 1.2.3, v1.2.3 or latest; empty: ACTION_REF when it is a
# version tag, else latest. PINREADY_DOWNLOAD_URL: see install.sh.
set -euo pipefail

case ${RUNNER_OS:-$(uname -s)} in
  Linux | macOS | Darwin) ;;
  *) echo "::error::pinready runs on linux and macOS runners, not ${RUNNER_OS:-$(uname -s)}"; exit 1 ;;
esac
os=linux; [[ $(uname -s) == Darwin ]] && os=darwin

version=${PINREADY_VERSION:-}
if [[ -z $version && ${ACTION_REF:-} =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  version=$ACTION_REF
fi
dir=${RUNNER_TEMP:-$(mktemp -d)}/pinready/bin
PINREADY_VERSION=${version:-latest} PINREADY_INSTALL_DIR=$dir "$(dirname "$0")/install.sh"
echo "$dir" >>"${GITHUB_PATH:-/dev/null}"

# ffmpeg encodes the video and is checked for at every run; fonts only
# change what the video shows.
sudo=; [[ $(id -u) -eq 0 ]] || sudo=sudo
if ! command -v ffmpeg >/dev/null; then
  if [[ $os == darwin ]]; then brew install ffmpeg; else $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends ffmpeg; fi
fi
if [[ $os == linux && ${INPUT_RECORD:-false} == true ]] && ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
  $sudo apt-get install -y -q --no-install-recommends fonts-noto-cjk fonts-noto-color-emoji || true
fi
"$dir/pinready" --version --verbose

#!/usr/bin/env bash
# Builds the container image (Dockerfile) and smoke-tests it: `make image`.
#
#   scripts/image.sh [TAG]    default pinready:dev
#
# The binary is cross-compiled here for the daemon's architecture and
# stamped like a release (version, commit, date). Without a reachable image
# registry the Debian base is made from Debian's packages
# (docker/debian-base.sh). The smoke test runs `pinready --version --verbose`
# and `pinready example` in the image with no network, as the non-root user,
# with Chromium's sandbox on, and checks with ffprobe that the video plays.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-pinready:dev}
suite=${DEBIAN_SUITE:-trixie}
base=debian:$suite-slim
GO=${GO:-go}

command -v docker >/dev/null || { echo "image: docker is missing" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "image: no Docker daemon answers (start dockerd)" >&2; exit 1; }

if [[ ${PUSH:-} != 1 ]] && ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1; then
  echo "image: no registry reachable for $base; making it with debootstrap" >&2
  docker/debian-base.sh "$suite" "$base"
fi

version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
version=${VERSION:-${version#v}}
commit=$(git rev-parse HEAD 2>/dev/null || true)
date=$(git log -1 --format=%cI 2>/dev/null || true)
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
pkg=github.com/pinready/pinready/internal/cli
# PLATFORMS (linux/amd64,linux/arm64) with PUSH=1 builds every platform with
# buildx and pushes them as one tag, untested here; by default, the daemon's
# own platform, loaded and smoke-tested.
platforms=${PLATFORMS:-linux/$(docker version --format '{{.Server.Arch}}')}
for p in ${platforms//,/ }; do
  arch=${p#linux/}
  CGO_ENABLED=0 GOOS=linux GOARCH=$arch $GO build -trimpath -tags urfave_cli_no_docs \
    -ldflags "-s -w -X $pkg.version=$version -X $pkg.commit=$commit -X $pkg.date=$date" \
    -o "$ctx/bin/linux-$arch/pinready" .
done
cp Dockerfile "$ctx/"
if [[ ${PUSH:-} == 1 ]]; then
  tags=(-t "$tag")
  for t in ${EXTRA_TAGS:-}; do tags+=(-t "$t"); done
  docker buildx build --platform "$platforms" --build-arg BASE="$base" --build-arg VERSION="$version" \
    "${tags[@]}" --push "$ctx"
  exit 0
fi
# The legacy builder when there is no buildx; host network for apt only.
if docker buildx version >/dev/null 2>&1; then build=(docker buildx build --load); else build=(env DOCKER_BUILDKIT=0 docker build); fi
"${build[@]}" --network host --build-arg BASE="$base" --build-arg VERSION="$version" \
  --build-arg TARGETARCH="$arch" -t "$tag" "$ctx"

echo "== image $tag: $(docker image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
seccomp=(--security-opt seccomp="$PWD/docker/chromium-seccomp.json")
docker run --rm --network none "$tag" --version --verbose
# Not root: Chromium keeps its sandbox (pinready turns it off only for root),
# so the example below runs only if the sandbox works.
[[ $(docker run --rm --entrypoint id "$tag" -u) != 0 ]] || { echo "image: runs as root" >&2; exit 1; }

out=$(mktemp -d)
chmod 0777 "$out" # the image's user (uid 10001) writes here
start=$(date +%s.%N)
docker run --rm --network none "${seccomp[@]}" -v "$out:/out" "$tag" example --out /out/example
end=$(date +%s.%N)
echo "== docker run … pinready example: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f s", b-a}') wall"
video=$out/example/demo.mp4
ffprobe -v error -show_entries stream=codec_name,width,height,nb_frames:format=duration -of default=nw=1 "$video"
# Decoding every frame is what "it plays" means.
ffmpeg -v error -i "$video" -f null - && echo "== $video decodes end to end"
rm -rf "$out"

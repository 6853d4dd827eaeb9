#!/usr/bin/env bash
# Makes the Debian slim base image from Debian's own packages, for machines
# that reach Debian's mirror but no image registry: debootstrap's minimal
# variant, trimmed the way Debian's official -slim images are (no manuals,
# docs or translations, now or in any package installed later), imported
# as one layer. With a registry, the Dockerfile's default base
# (debian:SUITE-slim) is the same thing, pulled.
#
#   docker/debian-base.sh [SUITE] [TAG]    as root; default trixie, debian:trixie-slim
set -euo pipefail

suite=${1:-trixie}
tag=${2:-debian:$suite-slim}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag is already there" >&2
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "debootstrap needs root" >&2; exit 1; }

root=$(mktemp -d /var/tmp/pinready-debian-XXXXXX)
chmod 0755 "$root" # it becomes the image's /, which every user walks through
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite from $mirror into $root" >&2
debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2

# What "slim" means: dpkg never unpacks these paths again (copyright files
# stay, as the licences ask).
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
# apt keeps no package files or lists in the image's layers.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/docker-no-recommends"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/* "$root"/tmp/*
# Security updates come with the image's next build.
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
rm -f "$root/etc/apt/sources.list"

tar --numeric-owner -C "$root" -c . |
  docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$tag" >&2
docker image inspect --format '{{.Id}} {{.Size}}' "$tag"

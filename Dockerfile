# pinready with the Chromium, ffmpeg and fonts it audits and records with,
# fixed for the life of the image: the same tag draws the same video on every
# CI run, whatever the distribution's Chromium is that day.
#
# The binary comes from the build context (scripts/image.sh cross-compiles
# it, stamped like a release), so the image needs no Go and builds the same
# for amd64 and arm64 (a release pushes both: .github/workflows/release.yml). `make image` builds and smoke-tests it;
# `pinready --version --verbose` in it prints the Chromium and ffmpeg inside.
#
# Chromium's sandbox stays on (pinready runs as the non-root user
# `pinready`); it needs user namespaces, which Docker's default seccomp
# profile refuses: run with --security-opt seccomp=docker/chromium-seccomp.json
# (see the README, "Container image").
ARG BASE=debian:trixie-slim
FROM ${BASE}

ARG DEBIAN_FRONTEND=noninteractive
# Fonts: Liberation (metric twins of Arial, Times, Courier: Latin pages keep
# their layout), DejaVu (Greek, Cyrillic, Arabic, Hebrew), Noto CJK
# (Chinese, Japanese, Korean) and Noto Color Emoji; an app's page in the
# video is drawn with real glyphs, not boxes. tini reaps Chromium's
# processes as PID 1; ca-certificates lets the HTTP client trust real sites.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium ffmpeg tini ca-certificates \
      fonts-liberation fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin pinready \
 && mkdir /work && chown pinready:pinready /work

# bin/linux-amd64/pinready, bin/linux-arm64/pinready: BuildKit sets
# TARGETARCH per platform; scripts/image.sh passes it to the legacy builder.
ARG TARGETARCH
COPY bin/linux-${TARGETARCH}/pinready /usr/local/bin/pinready

ARG VERSION=dev
LABEL org.opencontainers.image.title="pinready" \
      org.opencontainers.image.description="Audit a Pinterest app before it applies for API Standard access, and record its OAuth demo video" \
      org.opencontainers.image.source="https://github.com/pinready/pinready" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"

ENV PINREADY_CHROMIUM=/usr/bin/chromium \
    PINREADY_FFMPEG=/usr/bin/ffmpeg \
    LANG=C.UTF-8
USER pinready
WORKDIR /work
ENTRYPOINT ["/usr/bin/tini", "--", "pinready"]
CMD ["--help"]

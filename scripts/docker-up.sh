#!/usr/bin/env bash
# Idempotent: makes a local Docker engine and the sandbox base image available for ftm's container sandbox.
#  1. installs docker.io and debootstrap when missing (root or sudo only),
#  2. starts dockerd in the background when no engine answers (no systemd needed; log in /var/log/ftm-dockerd.log),
#  3. builds the base image ftm-base:<content-tag> with debootstrap + docker import when it is not there yet
#     (no registry is needed: nothing is pulled), labelled dev.ftmatrix.role=sandbox-base.
# Exit 0 with the image reference on stdout when the engine and image are ready; exit 1 (with the reason on
# stderr) when they are not, in which case ftm uses its local sandbox and results say "sandbox: none".
set -uo pipefail
log() { printf 'ftm docker-up: %s\n' "$*" >&2; }
fail() { log "$*"; log "containers unavailable: ftm will build in the local sandbox (sandbox: none)"; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="-"; fi
fi

# The runtime the toolchains (bind-mounted from the host) and the builds need inside the container.
SUITE=bookworm
MIRROR=${FTM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Beyond that, what real test suites commonly call: ps (procps), git, file, a C compiler, make, pkg-config and the usual
# -dev libraries (a project's tests may compile a small program that embeds Python or links zlib/openssl/libffi).
PACKAGES=build-essential,libssl3,libffi8,zlib1g,libsqlite3-0,libbz2-1.0,liblzma5,libreadline8,libncursesw6,libuuid1,libexpat1,ca-certificates,git,pkg-config,procps,file,make,libssl-dev,libffi-dev,zlib1g-dev,libbz2-dev,liblzma-dev,libsqlite3-dev,libexpat1-dev,libyaml-dev,xz-utils,patch,less,psmisc
# Content tag: what the image is made of; change the list (or this recipe's version) and a new image is built.
TAG=$(printf '%s\n' "recipe=1" "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)
IMAGE="ftm-base:$TAG"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$SUDO" = "-" ] && return 1
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$2" >&2 \
    || { $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$2" >&2; }
}

need dockerd docker.io || fail "no dockerd and cannot install docker.io (not root)"
command -v docker >/dev/null 2>&1 || fail "no docker client"

if ! docker info >/dev/null 2>&1; then
  [ "$SUDO" = "-" ] && fail "no Docker engine answers and this user cannot start dockerd"
  log "starting dockerd in the background (log: /var/log/ftm-dockerd.log)"
  $SUDO sh -c 'nohup dockerd >/var/log/ftm-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || fail "dockerd did not come up in 30 s: $(tail -3 /var/log/ftm-dockerd.log 2>/dev/null | tr '\n' ' ')"
fi

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "base image $IMAGE present"
  echo "$IMAGE"
  exit 0
fi

need debootstrap debootstrap || fail "no debootstrap and cannot install it"
DIR=$(mktemp -d /var/tmp/ftm-base.XXXXXX)
trap '$SUDO rm -rf "$DIR"' EXIT
log "building base image $IMAGE: debootstrap $SUITE (about a minute)"
start=$(date +%s)
$SUDO debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$DIR" "$MIRROR" >/tmp/ftm-debootstrap.log 2>&1 \
  || fail "debootstrap failed (log: /tmp/ftm-debootstrap.log): $(tail -3 /tmp/ftm-debootstrap.log | tr '\n' ' ')"
# apt caches are of no use inside a sandbox without network
$SUDO rm -rf "$DIR"/var/cache/apt/archives/*.deb "$DIR"/var/lib/apt/lists/*
$SUDO tar -C "$DIR" -c . | docker import \
  --change 'LABEL dev.ftmatrix.role=sandbox-base' \
  --change "LABEL dev.ftmatrix.packages=$PACKAGES" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/sh"]' - "$IMAGE" >&2 || fail "docker import failed"
log "base image $IMAGE built in $(( $(date +%s) - start )) s"
echo "$IMAGE"

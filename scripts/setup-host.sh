#!/usr/bin/env bash
# Idempotent host set-up for ftmatrix: the Debian packages that toolchain builds, the demo and the
# tests need, and the trixie deb-src entry that serves CPython's source package. Safe to re-run.
set -euo pipefail
log() { printf 'ftm setup: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: install the packages listed in $0 by hand"; exit 2; fi
fi

# CPython build dependencies (what ./configure needs for the stdlib modules pytest and pip use),
# dpkg-dev for `apt-get source`, chromium for the website's browser test.
PACKAGES=(build-essential pkg-config dpkg-dev libssl-dev zlib1g-dev libffi-dev libbz2-dev
          liblzma-dev libsqlite3-dev libreadline-dev libncurses-dev uuid-dev xz-utils
          chromium chromium-driver git maven)
if [ "${FTM_SETUP_MINIMAL:-0}" = 1 ]; then PACKAGES=(build-essential pkg-config dpkg-dev libssl-dev zlib1g-dev libffi-dev xz-utils git maven); fi

SRC=/etc/apt/sources.list.d/ftm-trixie-src.sources
need_update=0
if [ ! -f "$SRC" ]; then
  log "adding deb-src for trixie (CPython 3.13 source package) in $SRC"
  $SUDO tee "$SRC" >/dev/null <<'SRCS'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRCS
  need_update=1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then need_update=1; fi
stamp=/var/lib/apt/ftm-updated
if [ "$need_update" = 1 ] || [ ! -f "$stamp" ]; then
  log "apt-get update"
  $SUDO apt-get update -qq >&2
  $SUDO touch "$stamp"
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
log "host ready"

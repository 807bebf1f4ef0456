#!/usr/bin/env bash
# Installs everything the product and its tests need on Debian 12 with Node 20, without GitHub:
#   1. Debian packages: the mediasoup worker's build dependencies and Chromium (for end-to-end tests);
#   2. meson >= 1.1 (Debian 12 has 1.0) from the Python package index, into a venv under ~/.cache;
#   3. npm dependencies (package-lock.json);
#   4. the mediasoup worker, built from its npm sources (cached under ~/.cache, keyed by version);
#   5. the web UI (dist/client);
#   6. PostgreSQL running on 127.0.0.1:5432 for the data-layer tests (build/postgres.sh); the product
#      itself uses an embedded SQLite file unless DATABASE_URL says otherwise.
# Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31msetup failed: %s\033[0m\n' "$*" >&2; exit 1; }

APT_PACKAGES=(
  # mediasoup worker build (build/mediasoup-worker.ts)
  g++ make python3 python3-venv pkg-config ninja-build flatbuffers-compiler
  libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev
  # end-to-end tests, and Chinese glyphs in their screenshots
  chromium fonts-noto-cjk
  # hearing recordings (FFmpeg writes the streams, ffprobe measures them)
  ffmpeg
)

step "Debian packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "need root (or sudo) to install: ${missing[*]}"
    SUDO="sudo"
  fi
  $SUDO apt-get update -q || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install failed for: ${missing[*]}"
else
  echo "all present"
fi

step "meson >= 1.1"
meson_ok() { "$1" --version 2>/dev/null | awk -F. '{ exit !($1 > 1 || ($1 == 1 && $2 >= 1)) }'; }
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/shared-court"
VENV="$CACHE/meson-venv"
if command -v meson >/dev/null && meson_ok meson; then
  echo "using $(command -v meson) $(meson --version)"
else
  if ! meson_ok "$VENV/bin/meson"; then
    python3 -m venv "$VENV" || fail "python3 -m venv failed (apt-get install python3-venv)"
    "$VENV/bin/pip" install --quiet 'meson>=1.1' || fail "pip install meson failed"
  fi
  export PATH="$VENV/bin:$PATH"
  echo "using $VENV/bin/meson $(meson --version)"
fi

step "npm dependencies"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

step "mediasoup worker"
npm run --silent worker:build

step "web UI"
npm run --silent build

step "PostgreSQL (for the tests)"
bash build/postgres.sh

step "done"
echo "start the server with: npm start   (npm run demo seeds the demo; then open http://127.0.0.1:3000)"

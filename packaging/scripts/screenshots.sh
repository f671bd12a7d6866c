#!/usr/bin/env bash
# Refreshes the README screenshots from the real app under Xvfb (needs xvfb, xdotool, imagemagick, fonts-dejavu-core).
# Usage: packaging/scripts/screenshots.sh [output-folder]   (run after mvn -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-resources/docs}"
mkdir -p "$out"
export DISPLAY=:97
Xvfb :97 -screen 0 1280x840x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; kill $app 2>/dev/null || true' EXIT
sleep 1
java -Dprism.order=sw -Dinkwell.data.dir="$(mktemp -d)" -jar target/inkwell.jar >/dev/null 2>&1 &
app=$!
xdotool search --sync --name '^Inkwell$' >/dev/null
win=$(xdotool search --name '^Inkwell$' | head -1)
xdotool windowmove "$win" 0 0 windowsize "$win" 1280 800
sleep 12   # ND4J and the bundled model load in the background
shot() { import -window root -crop 1280x800+0+0 "$out/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; sleep "$3"; }
click 244 45 6; shot screenshot-compare
click 104 45 4; shot screenshot-samples
click 36 45 2; click 118 120 90; click 420 400 3; shot screenshot-dataset
click 173 45 2; click 377 80 150; shot screenshot-training   # Start a default run and let two epochs finish

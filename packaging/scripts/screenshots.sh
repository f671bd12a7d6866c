#!/usr/bin/env bash
# Refreshes the README screenshots from the real app under Xvfb (needs xvfb, xdotool, imagemagick, fonts-dejavu-core,
# libgtk-3-0). Usage: packaging/scripts/screenshots.sh [output-folder]   (run after mvn -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-resources/docs}"
mkdir -p "$out"
work=$(mktemp -d)
# A photocopied signature (three times the generator's resolution) to drop on Compare, as the README shows.
java -jar target/inkwell.jar synth --count 1 --seed 77 --scan device:0.8:only=photocopier --scale 3 -o "$work/scan" >/dev/null 2>&1
mv "$work/scan/signature-000000.png" "$work/dusty-scan.png"
export DISPLAY=:97
Xvfb :97 -screen 0 1280x840x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; kill $app 2>/dev/null || true' EXIT
sleep 1
java -Dprism.order=sw -Djava.util.prefs.userRoot="$work/prefs" -Dinkwell.data.dir="$work/data" \
    -jar target/inkwell.jar "$work/dusty-scan.png" >/dev/null 2>&1 &
app=$!
xdotool search --sync --name '^Inkwell$' >/dev/null
win=$(xdotool search --name '^Inkwell$' | head -1)
xdotool windowmove "$win" 0 0 windowsize "$win" 1280 800
sleep 15   # ND4J and the bundled model load in the background, then the scan is cleaned
shot() { import -window root -crop 1280x800+0+0 "$out/$1.png"; }
key() { xdotool key --window "$win" "$1"; sleep "$2"; }
shot screenshot-compare
key ctrl+2 4; shot screenshot-samples
key ctrl+1 2; xdotool mousemove 118 120 click 1; sleep 90; xdotool mousemove 420 400 click 1; sleep 3; shot screenshot-dataset
key ctrl+3 2; xdotool mousemove 377 80 click 1; sleep 150; shot screenshot-training   # a default run, two epochs

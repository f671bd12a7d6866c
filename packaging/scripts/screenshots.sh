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
# For the Sign pane: a contract, a signature kept in the library (blue, transparent, cropped), and the contract
# remembered as the last document signed, so the pane opens it.
python3 packaging/scripts/sample-contract.py "$work/contract.pdf"
java -jar target/inkwell.jar synth --count 1 --seed 11 --scale 3 -o "$work/clean" >/dev/null 2>&1
mkdir -p "$work/data/signatures" "$work/prefs/.java/.userPrefs/org/inkwell/workbench"
java -jar target/inkwell.jar denoise "$work/clean/signature-000000.png" --transparent --crop --ink-colour '#1b3a8c' \
    -o "$work/data/signatures/Ada Lovelace.png" >/dev/null 2>&1
cat > "$work/prefs/.java/.userPrefs/org/inkwell/workbench/prefs.xml" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE map SYSTEM "http://java.sun.com/dtd/preferences.dtd">
<map MAP_XML_VERSION="1.0">
  <entry key="text.place.document" value="$work/contract.pdf"/>
  <entry key="text.place.widthMm" value="60"/>
</map>
XML
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
# Sign: the contract reopened, the kept signature chosen and dragged onto the Contractor's line.
key ctrl+5 4; xdotool mousemove 475 79 click 1; sleep 1; xdotool mousemove 420 128 click 1; sleep 2
xdotool mousemove 740 580 mousedown 1 mousemove 730 520 mousemove 720 430 mousemove 713 418 mouseup 1; sleep 1
xdotool mousemove 1000 600; sleep 1; shot screenshot-sign

#!/usr/bin/env bash
# The leave-one-family-out protocol (docs/quality.md, "Scans from devices Inkwell never saw"): for each family of
# device degradations (pen, paper, photocopier, camera, pepper), a model trained WITHOUT it, scored on that family
# alone; and the model trained on every family (the bundled candidate), scored on each. Every run is resumable: run
# the script again after a stop (Ctrl+C writes interrupted.zip) and it continues where each run stopped.
#
#   packaging/scripts/families.sh [OUT_DIR]          # default: ~/.local/share/inkwell/families
#   EPOCHS=12 STEPS=250 packaging/scripts/families.sh
#   ONLY=all packaging/scripts/families.sh           # just the all-families model
set -euo pipefail
out="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/inkwell/families}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${INKWELL_JAR:-$here/target/inkwell.jar}"
[ -f "$jar" ] || { echo "families: build it first: mvn -q -DskipTests package" >&2; exit 1; }
inkwell() { java -Dorg.bytedeco.javacpp.maxbytes="${MAXBYTES:-6g}" -jar "$jar" "$@"; }
epochs="${EPOCHS:-12}"
steps="${STEPS:-250}"
common=(--synthetic 2000 --arch unet-context --optimizer adam --lr 1e-3 --patch 128 --batch 16 --steps "$steps"
        --preprocess fit --seed 45 --validation 64)
mkdir -p "$out"

# Trains NAME on NOISE for $epochs epochs, resuming from its newest checkpoint when one exists.
train() {
  local name="$1" noise="$2" model="$out/$1.zip" cps="$out/$1-checkpoints"
  [ -f "$out/$name.done" ] && { echo "families: $name already trained"; return 0; }
  local latest=""
  if [ -f "$cps/interrupted.zip" ]; then latest="$cps/interrupted.zip"
  elif ls "$cps"/epoch-*.zip >/dev/null 2>&1; then latest="$(ls "$cps"/epoch-*.zip | sort | tail -1)"; fi
  if [ -n "$latest" ]; then
    inkwell train --resume "$latest" --epochs "$epochs" --checkpoints "$cps" -o "$model"
  else
    inkwell train "${common[@]}" --epochs "$epochs" --noise "$noise" --checkpoints "$cps" -o "$model"
  fi
  touch "$out/$name.done"
}

# Scores MODEL on FAMILY's ordinary and hard levels against the classical methods, one CSV each.
score() {
  local name="$1" family="$2"
  for set in device device-hard; do
    local csv="$out/eval-$name-on-$family-$set.csv"
    [ -f "$csv" ] || inkwell evaluate --set "$set" --family "$family" --model "$out/$name.zip" \
        --method model,otsu,sauvola,otsu-cc,sauvola-cc,median3,median5 --csv "$csv"
  done
}

families=(pen paper photocopier camera pepper)
if [ "${ONLY:-}" != "" ] && [ "${ONLY}" != "all" ]; then families=("$ONLY"); fi
train all "devicemix:0.0-1.0"
for f in "${families[@]}"; do score all "$f"; done
[ "${ONLY:-}" = "all" ] && exit 0
for f in "${families[@]}"; do
  train "without-$f" "device:0.0-1.0:without=$f"
  score "without-$f" "$f"
done
echo "families: done; CSVs in $out"

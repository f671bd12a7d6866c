#!/usr/bin/env bash
# The same training work on one machine (inkwell train) and on Spark local[N] (spark-train), one after the other.
# Prints wall time and steps/s of each. Run from the project root after: mvn -Pspark -DskipTests package
#   src/bench/spark_vs_local.sh [N]      (N workers for local[N], default 2)
set -euo pipefail
workers=${1:-2}
root=$(pwd)
# spark-train.sh (re)builds the Spark output and its classpath when they are missing or stale.
"$root/packaging/scripts/spark-train.sh" --help > /dev/null
cp="$root/target/classes:$(cat "$root/target/spark-classpath.txt")"
work=$(mktemp -d)
trap 'status=$?; [ $status -ne 0 ] && tail -20 "$work"/*.log >&2; rm -rf "$work"' EXIT
# Identical settings: seed network, Adam, 96x96 patches of 224x224 signatures, batch 16, 2 epochs of 24 steps.
common=(--arch seed --optimizer adam --lr 1e-3 --size 224 --patch 96 --batch 16 --steps 24 --epochs 2 --validation 16 --seed 42)
t0=$(date +%s.%N)
java -Xmx4g -cp "$cp" org.inkwell.Main train "${common[@]}" --synthetic 1000 -o "$work/local.zip" > "$work/local.log" 2>&1
t1=$(date +%s.%N)
"$root/packaging/scripts/spark-train.sh" --master "local[$workers]" --data generator:1000 --average-every 4 "${common[@]}" \
  -o "$work/spark.zip" > "$work/spark.log" 2>&1
t2=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" "$workers" "$work" <<'PY'
import sys, json, zipfile
t0, t1, t2 = map(float, sys.argv[1:4]); workers = sys.argv[4]; work = sys.argv[5]
def val(path):
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("inkwell/metadata.json"))
    return meta["metrics"]["val_bce"]
steps = 48
print(json.dumps({"steps": steps, "batch": 16,
    "local_s": round(t1 - t0, 1), "local_steps_per_s": round(steps / (t1 - t0), 2), "local_val_bce": round(val(work + "/local.zip"), 4),
    "spark_workers": int(workers), "spark_s": round(t2 - t1, 1), "spark_steps_per_s": round(steps / (t2 - t1), 2),
    "spark_val_bce": round(val(work + "/spark.zip"), 4)}))
PY

#!/usr/bin/env bash
# Times `inkwell bench --json` with glibc's default allocator thresholds and with Inkwell's (NativeAllocator), in
# alternating processes so that a machine speeding up or slowing down affects both alike. One JSON line per run.
# Usage: src/bench/allocator_ab.sh [rounds] > ab.jsonl   (after `mvn package`)
set -euo pipefail
rounds=${1:-2}
jar=${JAR:-target/inkwell.jar}
for ((i = 1; i <= rounds; i++)); do
    for tune in false true; do
        line=$(java -Dinkwell.tuneMalloc=$tune -jar "$jar" bench --json 2>/dev/null | tail -1)
        echo "{\"round\": $i, \"tuned\": $tune, \"bench\": $line}"
    done
done

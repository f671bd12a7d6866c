#!/usr/bin/env bash
# Runs Inkwell's Spark training without a cluster: spark-train on local[N] from a source checkout.
#   packaging/scripts/spark-train.sh --master 'local[2]' --data generator:1000 --epochs 2 -o spark-model.zip
# Builds the Spark output on first use and after the pom or the sources change (mvn -Pspark package). On a cluster use spark-submit (see README).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# Rebuilt when missing or older than the pom or the sources (a new dependency must reach the classpath).
stale() { [ ! -f "$1" ] || [ "$root/pom.xml" -nt "$1" ] || [ -n "$(find "$root/src/main" "$root/src/spark" -newer "$1" -name '*.java' -print -quit)" ]; }
if stale "$root/target/inkwell-spark.jar" || stale "$root/target/spark-classpath.txt"; then
  (cd "$root" && mvn -q -Pspark -DskipTests package \
    && mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/spark-classpath.txt)
fi
# Spark on Java 17 needs these (spark-launcher's JavaModuleOptions).
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# local[N] runs N workers in this JVM (local[*] and no --master: one per core): each gets its share of the cores
# for oneDNN's threads, not all of them.
if [ -z "${OMP_NUM_THREADS:-}" ]; then
  cores=$(nproc)
  master="local[*]"
  prev=""
  for a in "$@"; do
    case "$a" in --master=*) master=${a#--master=} ;; esac
    [ "$prev" = "--master" ] && master=$a
    prev=$a
  done
  case "$master" in
    local) n=1 ;;
    local\[*\]) n=${master#local[}; n=${n%]}; n=${n%%,*}; [ "$n" = "*" ] && n=$cores ;;
    *) n="" ;;
  esac
  if [[ "$n" =~ ^[0-9]+$ ]] && [ $((10#$n)) -gt 0 ]; then
    t=$(( cores / 10#$n )); export OMP_NUM_THREADS=$(( t > 0 ? t : 1 ))
  fi
fi
exec java -Xmx${INKWELL_HEAP:-4g} $opens -cp "$root/target/inkwell-spark.jar:$(cat "$root/target/spark-classpath.txt")" \
  org.inkwell.spark.SparkTrainCommand "$@"

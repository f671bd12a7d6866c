#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the Maven artifacts alone: a master and N workers, each a JVM of
# its own bound to 127.0.0.1; each worker starts executor JVMs for the applications submitted to it. For trying
# spark-train against separate executor JVMs (serialization, natives per executor, executor loss) without a cluster.
#
#   packaging/scripts/spark-cluster.sh start DIR [--workers 2] [--cores 1] [--memory 2g]
#   packaging/scripts/spark-cluster.sh submit DIR [--conf KEY=VALUE]... -- SPARK_TRAIN_OPTIONS...
#   packaging/scripts/spark-cluster.sh pids DIR        # master, workers and executors: "ROLE PID" per line
#   packaging/scripts/spark-cluster.sh stop DIR        # stops every JVM it started, removes all but DIR/logs
#
# DIR holds the cluster: spark-home/jars (links to the jars), logs/, pids/, work/ (the workers' folders), tmp/.
# `submit` runs spark-train as spark-submit does (org.apache.spark.deploy.SparkSubmit, client mode): the driver in
# this process, the application jar served to the executors, which have only the cluster's jars besides it.
# The jars come from INKWELL_SPARK_CLASSPATH (colon-separated), else target/spark-classpath.txt; the application jar
# from INKWELL_SPARK_APP, else target/inkwell-spark.jar. Both are built on first use (mvn -Pspark package).
# INKWELL_CLUSTER_JAVA_OPTS is added to every JVM's command line (the master's, workers', executors' and driver's).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
usage() { sed -n '6,9p' "$0" | sed 's/^# *//' >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 dir=$2
shift 2

opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
extra=${INKWELL_CLUSTER_JAVA_OPTS:-}

classpath() {
  if [ -n "${INKWELL_SPARK_CLASSPATH:-}" ]; then echo "$INKWELL_SPARK_CLASSPATH"; return; fi
  "$root/packaging/scripts/spark-train.sh" --help > /dev/null   # builds target/spark-classpath.txt when stale
  cat "$root/target/spark-classpath.txt"
}

app_jar() {
  if [ -n "${INKWELL_SPARK_APP:-}" ]; then echo "$INKWELL_SPARK_APP"; return; fi
  "$root/packaging/scripts/spark-train.sh" --help > /dev/null
  echo "$root/target/inkwell-spark.jar"
}

# Waits up to $3 seconds for the text $2 in the file $1.
await() {
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "spark-cluster: no '$2' in $1 after $3 s:" >&2; tail -20 "$1" >&2; return 1; fi
    sleep 0.3
  done
}

# Every process of the cluster: the daemons and their children (the executors).
pids() {
  [ -d "$dir/pids" ] || return 0
  for f in "$dir"/pids/*; do
    [ -f "$f" ] || continue
    local pid role
    pid=$(cat "$f"); role=$(basename "$f")
    kill -0 "$pid" 2>/dev/null || continue
    echo "$role $pid"
    for c in $(pgrep -P "$pid" 2>/dev/null || true); do
      if tr '\0' ' ' < "/proc/$c/cmdline" 2>/dev/null | grep -q CoarseGrainedExecutorBackend; then echo "executor $c"; fi
    done
  done
}

# Starts a daemon in its own session (process group), so that stop reaches its executors too.
daemon() {
  local name=$1; shift
  SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR="$dir/conf" \
    setsid "$java_bin" -Xmx512m $opens $extra -Djava.io.tmpdir="$dir/tmp" -cp "$dir/conf:$dir/spark-home/jars/*" "$@" \
    > "$dir/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/pids/$name"
}

stop() {
  [ -d "$dir/pids" ] || { rm -rf "$dir/spark-home" "$dir/work" "$dir/tmp" "$dir/conf"; return 0; }
  # Workers first (each stops its executors), then the master.
  for f in $(ls "$dir"/pids/worker-* 2>/dev/null) "$dir/pids/master"; do
    [ -f "$f" ] && kill -TERM -- -"$(cat "$f")" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 20))
  while [ -n "$(pids)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.3; done
  for f in "$dir"/pids/*; do
    [ -f "$f" ] && kill -KILL -- -"$(cat "$f")" 2>/dev/null || true
  done
  deadline=$((SECONDS + 10))
  while [ -n "$(pids)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.3; done
  if [ -n "$(pids)" ]; then echo "spark-cluster: still running: $(pids | tr '\n' ' ')" >&2; return 1; fi
  rm -rf "$dir/pids" "$dir/spark-home" "$dir/work" "$dir/tmp" "$dir/conf" "$dir/master-url"
}

case "$cmd" in
  start)
    workers=2 cores=1 memory=2g
    while [ $# -gt 0 ]; do
      case "$1" in
        --workers) workers=$2; shift 2 ;;
        --cores) cores=$2; shift 2 ;;
        --memory) memory=$2; shift 2 ;;
        *) usage ;;
      esac
    done
    if [ -e "$dir/pids" ] && [ -n "$(pids)" ]; then echo "spark-cluster: a cluster is already running in $dir" >&2; exit 1; fi
    mkdir -p "$dir/spark-home/jars" "$dir/logs" "$dir/pids" "$dir/work" "$dir/tmp" "$dir/conf"
    dir=$(cd "$dir" && pwd)
    i=0
    IFS=: read -r -a entries <<< "$(classpath)"
    for e in "${entries[@]}"; do
      case "$e" in *.jar) i=$((i + 1)); ln -sf "$e" "$dir/spark-home/jars/$(printf %03d $i)-$(basename "$e")" ;; esac
    done
    [ $i -gt 0 ] || { echo "spark-cluster: no jars on the classpath" >&2; exit 1; }
    # Failures are logged, not only counted; nothing of the cluster listens beyond the loopback address.
    printf 'spark.master.rest.enabled false\n' > "$dir/conf/spark-defaults.conf"
    # The conf folder is on every executor's classpath too: Spark's INFO lines, not logback's DEBUG default.
    cat > "$dir/conf/logback.xml" <<'XML'
<configuration>
  <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="err"/></root>
</configuration>
XML
    trap 'stop' ERR
    daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
    await "$dir/logs/master.log" "Starting Spark master at spark://" 90
    url=$(grep -o 'spark://[0-9.]*:[0-9]*' "$dir/logs/master.log" | head -1)
    echo "$url" > "$dir/master-url"
    for w in $(seq 1 "$workers"); do
      mkdir -p "$dir/work/worker-$w"
      daemon "worker-$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
        --cores "$cores" --memory "$memory" --work-dir "$dir/work/worker-$w" "$url"
    done
    for w in $(seq 1 "$workers"); do
      await "$dir/logs/worker-$w.log" "Successfully registered with master" 90
    done
    trap - ERR
    echo "$url"
    ;;
  submit)
    [ -f "$dir/master-url" ] || { echo "spark-cluster: no cluster in $dir (start one first)" >&2; exit 1; }
    dir=$(cd "$dir" && pwd)
    confs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
      case "$1" in --conf) confs+=(--conf "$2"); shift 2 ;; *) usage ;; esac
    done
    [ "${1:-}" = "--" ] && shift
    app=$(app_jar)
    # As spark-submit runs it; the executors' own temporary files stay in the cluster's folder.
    SPARK_LOCAL_IP=127.0.0.1 exec "$java_bin" -Xmx"${INKWELL_HEAP:-2g}" $opens $extra -cp "$dir/spark-home/jars/*:$app" \
      org.apache.spark.deploy.SparkSubmit --master "$(cat "$dir/master-url")" --deploy-mode client \
      --class org.inkwell.spark.SparkTrainCommand \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
      --conf "spark.executor.extraJavaOptions=-Djava.io.tmpdir=$dir/tmp $extra" \
      --conf spark.executorEnv.OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" \
      ${confs[@]+"${confs[@]}"} "$app" "$@"
    ;;
  pids) pids ;;
  stop) stop ;;
  *) usage ;;
esac

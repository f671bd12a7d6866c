#!/usr/bin/env python3
"""When does scaling out pay? The same training work, one run after the other on this machine:

  - `inkwell train` (one JVM, all cores);
  - `spark-train --master local[2]` (two workers in the driver's JVM);
  - `spark-train` on a standalone cluster of separate JVMs (packaging/scripts/spark-cluster.sh): one executor with
    every core, and two executors of one core each, averaging every 1, 4 and 16 batches.

Each run: the seed network, Adam 1e-3, 96x96 patches of 224x224 generator signatures, batch 16, EPOCHS epochs of 30
steps, validation on 32 images after every epoch. Reported: steps/s over the training (wall time from the first to
the last epoch line, so JVM and cluster start are apart), the start-up time, and the time from launch to the first
epoch whose validation BCE is at or below the target (the BCE `train` reaches after TARGET_EPOCH epochs).

  python3 src/bench/spark_scaling.py [--epochs 6] [--out resources/docs/spark-scaling.json]

Run from the project root; builds the Spark output first (mvn -Pspark package) when it is missing or stale.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.getcwd()
SCRIPTS = os.path.join(ROOT, "packaging", "scripts")
EPOCH = re.compile(r"^epoch (\d+): (?:train BCE [0-9.]+, )?validation BCE ([0-9.]+)")


def run_timed(cmd, env=None, log=None):
    """Runs cmd; returns (start-up seconds to the first epoch line's epoch start, [(t, epoch, val_bce)], total)."""
    t0 = time.monotonic()
    lines = []
    started = None
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env) as p:
        for line in p.stdout:
            if log:
                log.write(line)
            t = time.monotonic() - t0
            if started is None and line.startswith("training "):
                started = t
            m = EPOCH.match(line)
            if m:
                lines.append((t, int(m.group(1)), float(m.group(2))))
        rc = p.wait()
    if rc != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}... exited {rc}; see the log")
    return started, lines, time.monotonic() - t0


def summarise(name, started, epochs, total, steps_per_epoch, target, workers, every):
    first_t = started
    last_t = epochs[-1][0]
    steps = steps_per_epoch * len(epochs)
    reached = next((t for t, e, v in epochs if v <= target), None)
    return {"run": name, "workers": workers, "average_every": every,
            "startup_s": round(started, 1), "train_s": round(last_t - first_t, 1),
            "steps_per_s": round(steps / (last_t - first_t), 2),
            "val_bce": [v for _, _, v in epochs],
            "time_to_target_s": None if reached is None else round(reached, 1), "total_s": round(total, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--target-epoch", type=int, default=4)
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "docs", "spark-scaling.json"))
    a = ap.parse_args()
    subprocess.run([os.path.join(SCRIPTS, "spark-train.sh"), "--help"], check=True, stdout=subprocess.DEVNULL)
    cp = open(os.path.join(ROOT, "target", "spark-classpath.txt")).read().strip()
    steps = 30
    common = ["--arch", "seed", "--optimizer", "adam", "--lr", "1e-3", "--size", "224", "--patch", "96", "--batch", "16",
              "--steps", str(steps), "--epochs", str(a.epochs), "--validation", "32", "--seed", "42"]
    work = tempfile.mkdtemp(prefix="inkwell-scaling-")
    log = open(os.path.join(work, "runs.log"), "w", buffering=1)
    results = []
    try:
        java = shutil.which("java")
        jar_cp = os.path.join(ROOT, "target", "classes") + ":" + cp
        started, ep, total = run_timed([java, "-Xmx4g", "-cp", jar_cp, "org.inkwell.Main", "train", *common,
                                        "--synthetic", "1000", "-o", os.path.join(work, "train.zip")], log=log)
        target = ep[a.target_epoch - 1][2]
        results.append(summarise("train (one JVM, 2 threads)", started, ep, total, steps, target, 1, None))
        started, ep, total = run_timed([os.path.join(SCRIPTS, "spark-train.sh"), "--master", "local[2]", "--data",
                                        "generator:1000", "--average-every", "4", *common,
                                        "-o", os.path.join(work, "local2.zip")], log=log)
        results.append(summarise("spark-train local[2] (one JVM)", started, ep, total, steps, target, 2, 4))
        for workers, cores in ((1, 2), (2, 1)):
            cluster = os.path.join(work, f"cluster-{workers}")
            subprocess.run([os.path.join(SCRIPTS, "spark-cluster.sh"), "start", cluster, "--workers", str(workers),
                            "--cores", str(cores), "--memory", "6g"], check=True, stdout=subprocess.DEVNULL)
            try:
                env = dict(os.environ, OMP_NUM_THREADS=str(cores))
                for every in (1, 4, 16):
                    started, ep, total = run_timed(
                        [os.path.join(SCRIPTS, "spark-cluster.sh"), "submit", cluster, "--conf", f"spark.task.cpus={cores}",
                         "--conf", "spark.executor.memory=4g", "--conf", f"spark.cores.max={workers * cores}", "--",
                         "--data", "generator:1000", "--average-every", str(every), *common,
                         "-o", os.path.join(work, f"c{workers}-{every}.zip")], env=env, log=log)
                    results.append(summarise(f"cluster, {workers} executor JVM{'s' if workers > 1 else ''} x {cores} core{'s' if cores > 1 else ''}",
                                             started, ep, total, steps, target, workers, every))
                    print(json.dumps(results[-1]), file=sys.stderr)
            finally:
                subprocess.run([os.path.join(SCRIPTS, "spark-cluster.sh"), "stop", cluster], check=False)
        out = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores",
               "settings": " ".join(common), "target_val_bce": target,
               "target_from": f"train after epoch {a.target_epoch}", "runs": results}
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)
        print(json.dumps(out, indent=1))
    finally:
        log.close()
        print(f"logs: {work}/runs.log", file=sys.stderr)


if __name__ == "__main__":
    main()

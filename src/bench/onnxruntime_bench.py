"""ONNX Runtime's side of `inkwell bench --compare`: the same network Inkwell times, exported by Inkwell to ONNX,
run by ONNX Runtime on the CPU with the same thread count; medians of one image and of 32 images at 224x224.

    python3 src/bench/onnxruntime_bench.py MODEL.onnx --threads 2 --repeats 5

Needs onnxruntime and numpy (a venv from the local wheel mirror: python3 -m venv v && v/bin/pip install onnxruntime).
Prints one JSON object on its last line.
"""
import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1e3)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--side", type=int, default=224)
    args = ap.parse_args()
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    rng = np.random.default_rng(1)
    x1 = rng.random((1, 1, args.side, args.side), dtype=np.float32)
    x32 = rng.random((32, 1, args.side, args.side), dtype=np.float32)
    infer1 = timed(lambda: sess.run(None, {name: x1}), 10, args.repeats * 4)
    infer32 = timed(lambda: sess.run(None, {name: x32}), 2, args.repeats)
    print(json.dumps({
        "framework": "ONNX Runtime " + ort.__version__,
        "threads": args.threads,
        "infer1_ms": statistics.median(infer1),
        "infer32_ms": statistics.median(infer32),
    }))


if __name__ == "__main__":
    main()

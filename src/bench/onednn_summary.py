#!/usr/bin/env python3
"""Sums oneDNN's own timings (DNNL_VERBOSE=1) per primitive, implementation, formats and shape.

    DNNL_VERBOSE=1 java -jar target/inkwell.jar bench profile > verbose.log 2>&1
    python3 src/bench/onednn_summary.py verbose.log

Shares are of all time oneDNN spent executing, so they do not depend on how many steps the log holds.
"""
import collections
import sys


def main(path, top=25):
    totals = collections.defaultdict(lambda: [0, 0.0])
    kinds = collections.defaultdict(float)
    with open(path, errors="replace") as log:
        for line in log:
            if not line.startswith(("dnnl_verbose,exec", "onednn_verbose,exec")):
                continue
            f = line.rstrip("\n").split(",")
            # exec,cpu,primitive,implementation,prop_kind,memory_descriptors,attributes,auxiliary,problem,time
            primitive, impl, prop, formats, problem, ms = f[3], f[4], f[5], f[6], f[-2], float(f[-1])
            key = (primitive, impl, prop, formats if primitive == "reorder" else "", problem)
            totals[key][0] += 1
            totals[key][1] += ms
            kinds[primitive if primitive != "convolution" else "convolution " + prop] += ms
    grand = sum(kinds.values())
    print(f"oneDNN execution time in the log: {grand:.0f} ms")
    for kind, ms in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<34} {ms:9.1f} ms {100 * ms / grand:5.1f}%")
    print(f"top {top} by time (calls, ms per call):")
    for (primitive, impl, prop, formats, problem), (calls, ms) in sorted(totals.items(), key=lambda kv: -kv[1][1])[:top]:
        what = formats.replace("src_f32::blocked:", "").replace(" dst_f32::blocked:", " -> ").replace(":f0", "").replace("dst_f32:p:blocked:", "-> padded ")
        print(f"  {100 * ms / grand:5.1f}% {calls:5d} x {ms / calls:7.2f} ms  {primitive} {impl} {prop} {what} {problem[:60]}")


if __name__ == "__main__":
    main(sys.argv[1])

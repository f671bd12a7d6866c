"""Plots `inkwell fidelity --csv` files: Inkwell's and the reference's per-step loss, one panel per optimizer.

    /usr/bin/python3 src/bench/fidelity_figure.py out.png seed-sgd=sgd.csv adam=adam.csv
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    out = sys.argv[1]
    runs = [arg.split("=", 1) for arg in sys.argv[2:]]
    fig, axes = plt.subplots(1, len(runs), figsize=(6 * len(runs), 3.6), squeeze=False)
    for ax, (name, path) in zip(axes[0], runs):
        steps, mine, ref = [], [], []
        with open(path) as f:
            for row in csv.DictReader(f):
                steps.append(int(row["step"]))
                mine.append(float(row["inkwell"]))
                ref.append(float(row["reference"]))
        ax.plot(steps, ref, label="PyTorch reference (Keras semantics, float64)", color="#888888", linewidth=2.5)
        ax.plot(steps, mine, label="Inkwell (DL4J, float32)", color="#2f5bd3", linewidth=1.2)
        ax.set_title(name)
        ax.set_xlabel("step")
        ax.set_ylabel("training BCE (per-pixel mean)")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()

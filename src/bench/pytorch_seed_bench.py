"""PyTorch reference for `inkwell bench`: the seed network, float32, same thread count, medians.

Run on the same machine as `java -jar target/inkwell.jar bench --json` and compare the two JSON objects
(Inkwell reports its numbers as ratios to these). Needs torch (1.13 was the reference build):

    python3 src/bench/pytorch_seed_bench.py --threads 2 [--channels-last]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


def conv_bn(cin, cout):
    # The seed's order: conv -> ReLU -> BatchNorm (Keras defaults: eps 1e-3, momentum 0.99).
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]


def seed_network():
    layers = []
    layers += conv_bn(1, 16) + conv_bn(16, 16) + [nn.MaxPool2d(2)]
    layers += conv_bn(16, 32) + [nn.MaxPool2d(2)]
    layers += conv_bn(32, 64) + [nn.MaxPool2d(2)]
    layers += conv_bn(64, 64) + [nn.MaxPool2d(2)]
    layers += conv_bn(64, 64) + conv_bn(64, 64) + [nn.MaxPool2d(2)]  # "encoder": 7x7x64
    layers += [nn.Upsample(scale_factor=2)] + conv_bn(64, 64) + conv_bn(64, 64)
    layers += [nn.Upsample(scale_factor=2)] + conv_bn(64, 64)
    layers += [nn.Upsample(scale_factor=2)] + conv_bn(64, 64)
    layers += [nn.Upsample(scale_factor=2)] + conv_bn(64, 32)
    layers += [nn.Upsample(scale_factor=2)] + conv_bn(32, 16)
    layers += [nn.Conv2d(16, 1, 3, padding=1), nn.Sigmoid()]
    return nn.Sequential(*layers)


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
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--channels-last", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    net = seed_network()
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert trainable == 308593, trainable
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    net = net.to(memory_format=fmt)
    x1 = torch.rand(1, 1, 224, 224).to(memory_format=fmt)
    x32 = torch.rand(32, 1, 224, 224).to(memory_format=fmt)
    y32 = (x32 > 0.5).float()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    loss_fn = nn.BCELoss()

    def train_step():
        opt.zero_grad()
        loss = loss_fn(net(x32), y32)
        loss.backward()
        opt.step()

    net.eval()
    with torch.no_grad():
        infer1 = timed(lambda: net(x1), 3, args.repeats * 4)
        infer32 = timed(lambda: net(x32), 1, args.repeats)
    net.train()
    train32 = timed(train_step, 1, args.repeats)
    print(json.dumps({
        "framework": "pytorch " + torch.__version__,
        "channels_last": args.channels_last,
        "threads": args.threads,
        "infer1_ms": round(statistics.median(infer1), 2),
        "infer32_ms": round(statistics.median(infer32), 2),
        "train32_ms": round(statistics.median(train32), 2),
    }))


if __name__ == "__main__":
    main()

"""An independent reference of the seed's training recipe, in PyTorch, with Keras' semantics written out by hand.

Reads what `inkwell fidelity` exported (the seed network's initial weights and a fixed sequence of batches),
trains the same steps and writes its per-step loss and final weights beside them:

    /usr/bin/python3 src/bench/seed_reference.py DIR

Keras semantics, not PyTorch's defaults:
- the seed network: conv 3x3 'same' -> ReLU -> BatchNorm (momentum 0.99 in Keras' convention, i.e. PyTorch's
  0.01; epsilon 1e-3), max-pooling 2, nearest upsampling, a sigmoid output;
- the loss: binary cross-entropy averaged over pixels and images, the prediction clipped to [1e-7, 1 - 1e-7]
  as Keras' backend does;
- seed-sgd: Keras' legacy SGD, lr_t = lr / (1 + decay * iterations) with decay 1e-6, Nesterov momentum 0.99:
  v = m v - lr_t g;  p += m v - lr_t g  (PyTorch's own SGD writes Nesterov differently);
- adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps),
  b1 0.9, b2 0.999 (the form DL4J and Keras' legacy Adam share). Inkwell's Adam sees the loss summed over the
  H x W pixels (DL4J's convention), so its epsilon 1e-8 acts as 1e-8 / (H W) here, on the per-pixel mean.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_seed_bench import seed_network  # noqa: E402  the same layer list as the benchmark


class LastMaxPool(nn.Module):
    """Max-pooling whose gradient goes to the last of tied maxima in a window (row-major), by pooling the input
    flipped in both axes. Used to find how the other implementation breaks ties."""

    def forward(self, x):
        return torch.flip(nn.functional.max_pool2d(torch.flip(x, (2, 3)), 2), (2, 3))


class _AllMaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = nn.functional.max_pool2d(x, 2)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        up = nn.functional.interpolate(out, scale_factor=2, mode="nearest")
        tied = (x == up).to(grad.dtype)
        if os.environ.get("TIES") == "split":
            count = nn.functional.avg_pool2d(tied, 2) * 4
            tied = tied / nn.functional.interpolate(count, scale_factor=2, mode="nearest")
        return tied * nn.functional.interpolate(grad, scale_factor=2, mode="nearest")


class AllMaxPool(nn.Module):
    """Max-pooling whose gradient goes, in full, to every pixel that ties for the maximum of its window."""

    def forward(self, x):
        return _AllMaxPool.apply(x)


def with_tie_rule(net, rule):
    if rule == "last":
        return nn.Sequential(*[LastMaxPool() if isinstance(m, nn.MaxPool2d) else m for m in net])
    if rule in ("all", "split"):
        return nn.Sequential(*[AllMaxPool() if isinstance(m, nn.MaxPool2d) else m for m in net])
    return net


def named_params(net):
    """PyTorch parameters and buffers under the exporter's names: convN.*, bnN.*, in network order."""
    out = {}
    conv = bn = 0
    for m in net:
        if isinstance(m, nn.Conv2d):
            conv += 1
            out[f"conv{conv}.weight"] = m.weight
            out[f"conv{conv}.bias"] = m.bias
        elif isinstance(m, nn.BatchNorm2d):
            bn += 1
            out[f"bn{bn}.weight"] = m.weight
            out[f"bn{bn}.bias"] = m.bias
            out[f"bn{bn}.running_mean"] = m.running_mean
            out[f"bn{bn}.running_var"] = m.running_var
    return out


def load(directory):
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    net = with_tie_rule(seed_network(), os.environ.get("TIES", "first"))
    params = named_params(net)
    with torch.no_grad():
        for name in manifest["params"]:
            data = np.fromfile(os.path.join(directory, f"init-{name}.f32"), dtype="<f4")
            params[name].copy_(torch.from_numpy(data).reshape(params[name].shape))
    s, b, n = manifest["size"], manifest["batch"], manifest["steps"]
    x = torch.from_numpy(np.fromfile(os.path.join(directory, "x.f32"), dtype="<f4").reshape(n, b, 1, s, s))
    y = torch.from_numpy(np.fromfile(os.path.join(directory, "y.f32"), dtype="<f4").reshape(n, b, 1, s, s))
    return manifest, net, x, y


def adam_eps(manifest):
    return 1e-8 / (manifest["size"] * manifest["size"])


def loss_and_gradients(net, trainable, x, y):
    """The batch's loss before the update; leaves each parameter's gradient in p.grad."""
    for p in trainable:
        p.grad = None
    loss = keras_bce(net(x), y)
    loss.backward()
    return float(loss)


def step_delta(manifest, k, g, m, v):
    """The change step k makes to a parameter with gradient g; updates the optimizer state m (and v) in place."""
    lr = manifest["lr"]
    if manifest["optimizer"] == "seed-sgd":
        lr_t = lr / (1 + 1e-6 * k)
        m.mul_(0.99).sub_(lr_t * g)
        return 0.99 * m - lr_t * g
    t = k + 1
    m.mul_(0.9).add_(0.1 * g)
    v.mul_(0.999).add_(0.001 * g * g)
    alpha = lr * (1 - 0.999 ** t) ** 0.5 / (1 - 0.9 ** t)
    return -alpha * m / (v.sqrt() + adam_eps(manifest))


def keras_bce(pred, target):
    p = pred.clamp(1e-7, 1 - 1e-7)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()


def train(manifest, net, x, y):
    trainable = [p for p in net.parameters() if p.requires_grad]
    state = [torch.zeros_like(p) for p in trainable]
    state2 = [torch.zeros_like(p) for p in trainable]
    losses = []
    net.train()
    for k in range(manifest["steps"]):
        losses.append(loss_and_gradients(net, trainable, x[k], y[k]))
        with torch.no_grad():
            for i, p in enumerate(trainable):
                p.add_(step_delta(manifest, k, p.grad, state[i], state2[i]))
    return losses


def teacher_forced(manifest, net, x, y, directory):
    """Every step from Inkwell's own weights before it: the reference's loss there, and how far the update it
    makes (with its own optimizer state, built from its own gradients) is from Inkwell's. Free-running
    trajectories of this recipe drift apart at the rounding level (float32 against float64 in PyTorch alone
    differ by percents within 30 steps), so this is the step-by-step comparison."""
    params = named_params(net)
    names = manifest["params"]
    sizes = [params[n].numel() for n in names]
    total = sum(sizes)
    rows = np.fromfile(os.path.join(directory, "dl4j-trajectory.f32"), dtype="<f4").reshape(-1, total)
    trainable_names = [n for n in names if "running_" not in n]
    trainable = [params[n] for n in trainable_names]
    state = [torch.zeros_like(p) for p in trainable]
    state2 = [torch.zeros_like(p) for p in trainable]
    losses, update_diff = [], []

    def set_row(row):
        at = 0
        with torch.no_grad():
            for n, size in zip(names, sizes):
                params[n].copy_(torch.from_numpy(row[at:at + size].copy()).reshape(params[n].shape))
                at += size

    def trainable_of(row):
        at, out = 0, []
        for n, size in zip(names, sizes):
            if "running_" not in n:
                out.append(torch.from_numpy(row[at:at + size].copy()).double())
            at += size
        return torch.cat(out)

    net.train()
    for k in range(manifest["steps"]):
        set_row(rows[k])
        losses.append(loss_and_gradients(net, trainable, x[k], y[k]))
        with torch.no_grad():
            deltas = []
            for i, p in enumerate(trainable):
                deltas.append(step_delta(manifest, k, p.grad, state[i], state2[i]).flatten())
            mine = torch.cat(deltas).double()
            theirs = trainable_of(rows[k + 1]) - trainable_of(rows[k])
            update_diff.append(float((mine - theirs).norm() / theirs.norm()))
    return losses, update_diff


def main():
    directory = sys.argv[1]
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    torch.manual_seed(0)
    manifest, net, x, y = load(directory)
    if "--forward" in sys.argv:
        # A trained model in inference mode (running statistics), first batch only.
        net.eval()
        with torch.no_grad():
            net.double()(x[0].double()).float().numpy().astype("<f4").tofile(os.path.join(directory, "ref-forward.f32"))
        return
    # Double precision: the reference should not add float32 rounding of its own to the comparison.
    if os.environ.get("PRECISION", "64") == "64":
        net, x, y = net.double(), x.double(), y.double()
    if "--teacher" in sys.argv:
        losses, update_diff = teacher_forced(manifest, net, x, y, directory)
        with open(os.path.join(directory, "teacher.json"), "w") as f:
            json.dump({"losses": losses, "update_rel_diff": update_diff}, f)
        return
    losses = train(manifest, net, x, y)
    for name, p in named_params(net).items():
        p.detach().float().numpy().astype("<f4").tofile(os.path.join(directory, f"ref-{name}.f32"))
    with open(os.path.join(directory, "reference.json"), "w") as f:
        json.dump({"losses": losses, "torch": torch.__version__}, f)
    print(json.dumps({"losses": losses}))


if __name__ == "__main__":
    main()

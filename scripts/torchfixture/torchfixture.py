#!/usr/bin/python3
"""PyTorch fixtures for mdnsimd's safetensors import and export.

    torchfixture.py make OUTDIR
        Trains small networks in PyTorch (CPU, float32), writes each one's
        state dict as OUTDIR/NAME.safetensors and PyTorch's outputs for fixed
        inputs as OUTDIR/NAME.out.safetensors. mdn's tests (which need no
        torch) import the first and compare their predictions with the
        second. The committed files in mdn/testdata/torch/ come from
        `torchfixture.py make mdn/testdata/torch` with Debian's python3-torch
        (torch 1.13).

    torchfixture.py check MODEL.safetensors INPUTS.safetensors OUT.safetensors [...]
        Loads a state dict that mdnsimd exported into the matching PyTorch
        module (load_state_dict with strict=True, so every name and shape
        must be PyTorch's), runs it on the inputs x (and y) and writes its
        outputs; for each triple of files given. mdn's TestTorchLoadsExport
        runs this where torch is installed.

The networks (NAME):

  seed   the seed's module: z_h = Sequential(Linear(1, 20), Tanh()), heads
         z_pi, z_mu, z_sigma (K = 5), trained 300 full-batch Adam epochs on
         the inverted sinusoid; F32; metadata {"format": "pt"} only.
  deep   2 inputs, hidden = Sequential(Linear(2, 16), Tanh(), Linear(16, 12),
         Tanh()), heads pi, mu, sigma with K = 3, D = 2 (mu(h).view(-1, K, D),
         component-major); trained 200 epochs on a two-branch 2-D target;
         stored as F64 (each weight moved by a relative 1e-9, so that it is
         not a float32) with mdnsimd's mdn.* metadata. Its outputs come from
         the float32 module, whose weights are the F64 values rounded once, as
         the import rounds them.
  half   the seed network's weights in F16 and its biases in BF16; outputs
         from the float32 module holding those rounded values.
  mlp    a plain network, one top-level Sequential(Linear(1, 8), Tanh(),
         Linear(8, 1)), trained with MSE; F32.

Outputs (NAME.out.safetensors), all F32 from the float32 module, and the same
computed in float64 from the same (float32) weights, suffixed 64:
  x [N, In], y [N, D]; pi [N, K], mu [N, K, D], sigma [N, K, D], nll [N]
  (−log Σ_k π_k N(y; μ_k, σ_k), log-sum-exp form); for mlp: out [N, D].

The safetensors files are written and read here by hand (struct and json):
torch 1.13 ships no safetensors module.
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {torch.float32: ("F32", 4), torch.float64: ("F64", 8),
          torch.float16: ("F16", 2), torch.bfloat16: ("BF16", 2)}
BY_NAME = {v[0]: k for k, v in DTYPES.items()}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, tensor) in file order."""
    header, blobs, off = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, t in tensors:
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape),
                        "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    buf = data[8 + n:]
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        dt = BY_NAME[info["dtype"]]
        raw = bytearray(buf[b:e])
        if dt in (torch.float16, torch.bfloat16):
            t = torch.frombuffer(raw, dtype=torch.int16).view(dt) if raw else torch.empty(0, dtype=dt)
        else:
            t = torch.frombuffer(raw, dtype=dt) if raw else torch.empty(0, dtype=dt)
        out[name] = t.reshape(info["shape"]).clone()
    return out, meta


class SeedMDN(nn.Module):
    """The seed's module, with len(hidden) tanh layers in z_h."""

    def __init__(self, n_in, hidden, k, d):
        super().__init__()
        layers, w = [], n_in
        for h in hidden:
            layers += [nn.Linear(w, h), nn.Tanh()]
            w = h
        self.k, self.d = k, d
        self.z_h = nn.Sequential(*layers)
        self.z_pi = nn.Linear(w, k)
        self.z_mu = nn.Linear(w, k * d)
        self.z_sigma = nn.Linear(w, k * d)

    def forward(self, x):
        h = self.z_h(x)
        n = x.shape[0]
        return (F.softmax(self.z_pi(h), -1), self.z_mu(h).view(n, self.k, self.d),
                torch.exp(self.z_sigma(h)).view(n, self.k, self.d))


class HeadsMDN(nn.Module):
    """hidden = Sequential(Linear, Tanh, ...); heads pi, mu, sigma."""

    def __init__(self, n_in, hidden, k, d):
        super().__init__()
        layers, w = [], n_in
        for h in hidden:
            layers += [nn.Linear(w, h), nn.Tanh()]
            w = h
        self.k, self.d = k, d
        self.hidden = nn.Sequential(*layers)
        self.pi = nn.Linear(w, k)
        self.mu = nn.Linear(w, k * d)
        self.sigma = nn.Linear(w, k * d)

    def forward(self, x):
        h = self.hidden(x)
        n = x.shape[0]
        return (F.softmax(self.pi(h), -1), self.mu(h).view(n, self.k, self.d),
                torch.exp(self.sigma(h)).view(n, self.k, self.d))


def nll_rows(pi, mu, sigma, y):
    """−log Σ_k π_k Π_d N(y_d; μ_kd, σ_kd), per row, log-sum-exp form."""
    lp = torch.distributions.Normal(mu, sigma).log_prob(y.unsqueeze(1)).sum(-1)
    return -torch.logsumexp(lp + torch.log(pi), dim=1)


def sinusoid(n, gen):
    x = torch.linspace(-10, 10, n)
    y = 7 * torch.sin(0.75 * x) + 0.5 * x + torch.randn(n, generator=gen)
    return y.view(-1, 1), x.view(-1, 1)  # inverted: predict x from y


def train(model, x, y, epochs, lr=1e-3, mse=False):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        if mse:
            loss = torch.mean((model(x) - y) ** 2)
        else:
            loss = torch.mean(nll_rows(*model(x), y))
        opt.zero_grad()
        loss.backward()
        opt.step()


def outputs(model, x, y):
    """PyTorch's outputs in float32, and in float64 from the same weights."""
    res = [("x", x), ("y", y)]
    with torch.no_grad():
        for suffix, m, xx, yy in (("", model.float(), x, y),
                                  ("64", _double(model), x.double(), y.double())):
            out = m(xx)
            if isinstance(out, tuple):
                pi, mu, sigma = out
                res += [("pi" + suffix, pi), ("mu" + suffix, mu), ("sigma" + suffix, sigma),
                        ("nll" + suffix, nll_rows(pi, mu, sigma, yy))]
            else:
                res += [("out" + suffix, out)]
    return res


def _double(model):
    import copy
    return copy.deepcopy(model).double()


def state(model, dtype_of=lambda name, t: t):
    return [(k, dtype_of(k, v.detach())) for k, v in model.state_dict().items()]


MDN_META = {"format": "pt", "mdn.activation": "tanh", "mdn.pi": "softmax",
            "mdn.sigma": "exp", "mdn.mu_order": "component-major"}


def make(outdir):
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)

    # seed: the seed's module on its data.
    x, y = sinusoid(1000, gen)
    seed = SeedMDN(1, [20], 5, 1)
    train(seed, x, y, 300)
    xs = torch.linspace(-15, 15, 61).view(-1, 1)  # beyond the data, too
    ys = (torch.rand(61, 1, generator=gen) * 24 - 12)
    write_safetensors(f"{outdir}/seed.safetensors", state(seed), {"format": "pt"})
    write_safetensors(f"{outdir}/seed.out.safetensors", outputs(seed, xs, ys))

    # half: the seed's weights in F16, biases in BF16.
    half = SeedMDN(1, [20], 5, 1)
    tensors = []
    with torch.no_grad():
        for (name, t), p in zip(state(seed), half.parameters()):
            dt = torch.float16 if name.endswith(".weight") else torch.bfloat16
            r = t.to(dt)
            tensors.append((name, r))
            p.copy_(r.float())
    write_safetensors(f"{outdir}/half.safetensors", tensors, {"format": "pt"})
    write_safetensors(f"{outdir}/half.out.safetensors", outputs(half, xs, ys))

    # deep: 2 inputs, two hidden layers, K = 3 components in D = 2.
    n = 600
    x2 = torch.rand(n, 2, generator=gen) * 4 - 2
    branch = torch.where(torch.rand(n, generator=gen) < 0.5, 1.0, -1.0).view(-1, 1)
    y2 = torch.cat([torch.sin(2 * x2[:, :1]) + branch * x2[:, 1:],
                    x2[:, :1] * x2[:, 1:] - branch], 1) + 0.1 * torch.randn(n, 2, generator=gen)
    deep = HeadsMDN(2, [16, 12], 3, 2)
    train(deep, x2, y2, 200, lr=1e-2)
    # The file holds float64 values that float32 cannot hold exactly (each
    # weight moved by a relative 1e-9); the float32 module gets them rounded
    # once to nearest, as the import rounds them.
    g64 = torch.Generator().manual_seed(2)
    wide = [(k, v.double() * (1 + 1e-9 * torch.randn(v.shape, generator=g64, dtype=torch.float64)))
            for k, v in state(deep)]
    with torch.no_grad():
        for (_, v), p in zip(wide, deep.parameters()):
            p.copy_(v.float())
    write_safetensors(f"{outdir}/deep.safetensors", wide, dict(MDN_META, **{"mdn.k": "3", "mdn.d": "2"}))
    xq = torch.rand(48, 2, generator=gen) * 5 - 2.5
    yq = torch.randn(48, 2, generator=gen) * 1.5
    write_safetensors(f"{outdir}/deep.out.safetensors", outputs(deep, xq, yq))

    # mlp: a plain network as one top-level Sequential.
    mlp = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    xf, yf = y, x  # the forward problem
    train(mlp, xf, yf, 300, lr=1e-2, mse=True)
    write_safetensors(f"{outdir}/mlp.safetensors", state(mlp), {"format": "pt"})
    write_safetensors(f"{outdir}/mlp.out.safetensors", outputs(mlp, xs, ys))
    print(f"wrote seed, half, deep and mlp fixtures to {outdir} (torch {torch.__version__})")


def build(tensors, meta):
    """The PyTorch module an mdnsimd export describes."""
    k, d = int(meta["mdn.k"]), int(meta["mdn.d"])
    names = sorted(tensors)
    if k == 0:
        idx = sorted({int(n.split(".")[0]) for n in names})
        layers = []
        for j, i in enumerate(idx):
            w = tensors[f"{i}.weight"]
            while len(layers) < i:
                layers.append(nn.Tanh())
            layers.append(nn.Linear(w.shape[1], w.shape[0]))
        return nn.Sequential(*layers)
    if "z_pi.weight" in tensors:
        cls, trunk, head = SeedMDN, "z_h", "z_pi"
    else:
        cls, trunk, head = HeadsMDN, "hidden", "pi"
    hidden = [tensors[n].shape[0] for n in sorted(
        (n for n in names if n.startswith(trunk + ".") and n.endswith(".weight")),
        key=lambda n: int(n.split(".")[1]))]
    n_in = tensors[f"{trunk}.0.weight"].shape[1] if hidden else tensors[head + ".weight"].shape[1]
    return cls(n_in, hidden, k, d)


def check(model_path, inputs_path, out_path):
    tensors, meta = read_safetensors(model_path)
    if meta.get("mdn.scaling", "none") == "kept":
        sys.exit("check: the export keeps its scaling in the metadata; export with it folded")
    model = build(tensors, meta)
    model.load_state_dict({k: v.float() for k, v in tensors.items()}, strict=True)
    inp, _ = read_safetensors(inputs_path)
    x = inp["x"].float()
    with torch.no_grad():
        out = model(x)
        if isinstance(out, tuple):
            pi, mu, sigma = out
            res = [("pi", pi), ("mu", mu), ("sigma", sigma), ("nll", nll_rows(pi, mu, sigma, inp["y"].float()))]
        else:
            res = [("out", out)]
    write_safetensors(out_path, res)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) >= 5 and len(sys.argv) % 3 == 2 and sys.argv[1] == "check":
        for i in range(2, len(sys.argv), 3):
            check(*sys.argv[i:i + 3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

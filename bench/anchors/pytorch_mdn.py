#!/usr/bin/env python3
"""The seed MDN experiment in PyTorch (CPU), timed per epoch.

Trains the inverted-sinusoid mixture density network the way the seed does
(1→H tanh layer, three linear heads for π (softmax), μ and σ (exp), the seed's
loss  mean(−log Σ_k π_k N(y; μ_k, σ_k)), full-batch Adam with PyTorch's
defaults) and prints one `go test -bench` line per workload and thread count:

    BenchmarkEpoch/size=seed/workers=1/impl=pytorch   <epochs>  <ns> ns/op  <nll> nll

size=seed is 1000 points, 1→20→K=5; size=wide is 10,000 points, 1→256→K=20
(the same workloads as the Go BenchmarkEpoch). workers=N is
torch.set_num_threads(N). nll is the final mean negative log-likelihood on
the training points (log-sum-exp form).

With -predict it times prediction instead, on one thread under
torch.no_grad(), at 1 and 1000 rows (the Go BenchmarkQuery's sizes):

    BenchmarkQuery/size=seed-1000/query=mixture/impl=pytorch  <calls>  <ns> ns/op  <ns> ns/row
    BenchmarkQuery/size=seed-1000/query=sample/impl=pytorch   ...

query=mixture is the forward pass (π by softmax, μ, σ by exp); query=sample
is the forward pass and one draw per row as the seed samples: the component
by torch.multinomial(π, 1), then torch.normal(μ, σ) of that component.

usage: pytorch_mdn.py [-benchtime SECONDS] [-threads 1,2] [-count N] [-size seed,wide] [-predict]
"""
import argparse
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

WORKLOADS = {"seed": (1000, 20, 5), "wide": (10000, 256, 20)}


def data(n):
    g = torch.Generator().manual_seed(1)
    x = torch.linspace(-10, 10, n)
    y = 7 * torch.sin(0.75 * x) + 0.5 * x + torch.randn(n, generator=g)
    return y.view(-1, 1), x.view(-1, 1)  # inverted: predict x from y


class MDN(nn.Module):
    def __init__(self, hidden, k):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(1, hidden), nn.Tanh())
        self.pi = nn.Linear(hidden, k)
        self.mu = nn.Linear(hidden, k)
        self.sigma = nn.Linear(hidden, k)

    def forward(self, x):
        h = self.hidden(x)
        return F.softmax(self.pi(h), -1), self.mu(h), torch.exp(self.sigma(h))


def seed_loss(pi, mu, sigma, y):
    p = torch.exp(torch.distributions.Normal(mu, sigma).log_prob(y))
    return torch.mean(-torch.log(torch.sum(p * pi, dim=1)))


def nll(pi, mu, sigma, y):
    lp = torch.distributions.Normal(mu, sigma).log_prob(y) + torch.log(pi)
    return -torch.mean(torch.logsumexp(lp, dim=1)).item()


def bench(size, threads, benchtime):
    n, hidden, k = WORKLOADS[size]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, y = data(n)
    model = MDN(hidden, k)
    opt = torch.optim.Adam(model.parameters())

    def epochs(count):
        for _ in range(count):
            pi, mu, sigma = model(x)
            loss = seed_loss(pi, mu, sigma, y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    epochs(3)  # warm up
    count = 1
    while True:  # grow the epoch count until one timed run lasts benchtime
        t0 = time.perf_counter()
        epochs(count)
        dt = time.perf_counter() - t0
        if dt >= benchtime:
            break
        count = max(count + 1, min(100 * count, int(count * benchtime * 1.2 / max(dt, 1e-9))))
    with torch.no_grad():
        final = nll(*model(x), y)
    print(f"BenchmarkEpoch/size={size}/workers={threads}/impl=pytorch \t{count}\t"
          f"{dt / count * 1e9:.0f} ns/op\t{final:.4f} nll", flush=True)


def timed(fn, benchtime):
    """Calls fn until one timed run of count calls lasts benchtime; returns
    the count and the seconds per call."""
    for _ in range(3):  # warm up
        fn()
    count = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(count):
            fn()
        dt = time.perf_counter() - t0
        if dt >= benchtime:
            return count, dt / count
        count = max(count + 1, min(100 * count, int(count * benchtime * 1.2 / max(dt, 1e-9))))


def seed_sample(pi, mu, sigma):
    """One draw per row: the component from π, then a normal of its μ, σ."""
    k = torch.multinomial(pi, 1)
    return torch.normal(mu.gather(1, k), sigma.gather(1, k))


def bench_predict(size, rows, benchtime):
    _, hidden, k = WORKLOADS[size]
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = MDN(hidden, k)
    x = torch.linspace(-10, 10, rows).view(-1, 1)
    queries = {
        "mixture": lambda: model(x),
        "sample": lambda: seed_sample(*model(x)),
    }
    with torch.no_grad():
        for q, fn in queries.items():
            count, sec = timed(fn, benchtime)
            print(f"BenchmarkQuery/size={size}-{rows}/query={q}/impl=pytorch \t{count}\t"
                  f"{sec * 1e9:.0f} ns/op\t{sec * 1e9 / rows:.2f} ns/row", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-benchtime", type=float, default=1.0)
    ap.add_argument("-threads", default="1,2")
    ap.add_argument("-count", type=int, default=1)
    ap.add_argument("-size", default="seed,wide")
    ap.add_argument("-predict", action="store_true", help="time prediction (1 thread) instead of training")
    a = ap.parse_args()
    print(f"pkg: anchors/pytorch torch={torch.__version__}", flush=True)
    if a.predict:
        for _ in range(a.count):
            for size in a.size.split(","):
                for rows in (1, 1000):
                    bench_predict(size, rows, a.benchtime)
        return 0
    for _ in range(a.count):
        for size in a.size.split(","):
            for t in a.threads.split(","):
                bench(size, int(t), a.benchtime)
    return 0


if __name__ == "__main__":
    sys.exit(main())

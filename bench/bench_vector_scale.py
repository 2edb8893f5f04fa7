"""Benchmark vector search at scale for the Wegwijzer index.

The real corpus is small (a few thousand e5-small chunks, 384-d, L2-normalised,
inner-product search). This script simulates larger corpora with synthetic,
clustered embeddings and compares exact search (IndexFlatIP, the ground truth)
with HNSW and IVF indexes (IVF-Flat and IVF-SQ8).

Per configuration it reports build time, index memory (size of the serialised
index), single-query latency p50/p95/p99 (one query per call, warm, 1 thread),
batch throughput (all queries in one call, all threads) and recall@10 against
exact search. The cheapest configuration meeting the targets (p95 < 10 ms and
recall@10 >= 0.95) is marked per corpus size; "cheapest" means the smallest
index memory, ties broken by the lowest p95.

Synthetic data model (all vectors L2-normalised), calibrated on the real
e5-small index (1,802 items): unrelated pairs have cosine ~0.79 (5-95 %:
0.74-0.85), the centred vectors have ~59 effective dimensions (participation
ratio), leave-one-out top-1/top-10 cosine ~0.92/0.89 at the same size:
  * a global distribution: a common mean vector (e5 embeddings are anisotropic)
    plus Gaussian deviations with a power-law spectrum in a random basis;
  * a few hundred to a few thousand cluster centres (2*sqrt(N), 200..4000),
    each the mean + a shared "topic" deviation + an own deviation, with
    log-normally skewed cluster sizes;
  * points = centre with part of its deviation replaced by noise; the noise
    share varies per cluster and per point (log-normal) and each cluster
    weights the axes differently (its own shape);
  * with --seed-vectors path.npy the rows of that file are the centres and the
    mean/axes are fitted on them;
  * queries are perturbed copies of held-out points (never corpus members).

Usage:
  python bench/bench_vector_scale.py [--sizes 10000,100000,1000000] [--dim 384]
      [--queries 500] [--json out.json] [--seed 0] [--seed-vectors real.npy]
      [--noise-scale 1.0] [--hnsw-m 32] [--ef-construction 64] [--threads N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import faiss
import numpy as np
from faiss.contrib.ivf_tools import add_preassigned

K = 10
TARGET_P95_MS = 10.0
TARGET_RECALL = 0.95
HNSW_EF_SEARCH = (16, 32, 64, 128, 256, 512, 1024)
IVF_NPROBE = (4, 8, 16, 32, 64, 128, 256)
GEN_CHUNK = 100_000
ADD_CHUNK = 100_000
WARMUP_QUERIES = 20
# data model, calibrated on the real e5-small index (see docs/benchmarks-vector-scale.md)
COMMON_SHARE = 0.78  # squared norm of the mean vector ~ mean cosine of unrelated pairs
SPECTRUM_DECAY = 0.7  # variance ~ rank^-0.7: ~60 effective dimensions, like the real vectors
TOPIC_SHARE = 0.5  # how much of a centre comes from its topic
NOISE_VAR_MEDIAN = 0.55  # median share of a point's deviation that is noise around its centre
EMPHASIS_SIGMA = 0.5  # log-normal spread of per-cluster axis weights
QUERY_NOISE = 0.3  # query = held-out point perturbed with 0.3 x its cluster's noise
MIN_LATENCY_QUERIES = 30

_T0 = time.perf_counter()


def log(msg: str) -> None:
    """Print a progress line with the elapsed wall time."""
    print(f"[{time.perf_counter() - _T0:7.1f}s] {msg}", flush=True)


def unit_rows(x: np.ndarray) -> np.ndarray:
    """L2-normalise the rows of x (float32)."""
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


# --------------------------------------------------------------------------
# synthetic data
# --------------------------------------------------------------------------


@dataclass
class Distribution:
    """Global shape of the embeddings: a mean plus anisotropic Gaussian spread."""

    mean: np.ndarray  # (d,) e5 vectors share a strong common component
    basis: np.ndarray  # (d, d) orthogonal, columns are the principal axes
    scales: np.ndarray  # (d,) standard deviation along each axis

    def deviations(self, rng: np.random.Generator, n: int, emphasis: np.ndarray | None = None) -> np.ndarray:
        """n zero-mean draws; `emphasis` (n, d) reweights the axes per draw."""
        z = rng.standard_normal((n, len(self.scales)), dtype=np.float32) * self.scales
        if emphasis is not None:
            z *= emphasis
        return z @ self.basis.T


def synthetic_distribution(rng: np.random.Generator, dim: int) -> Distribution:
    """Common direction + power-law spectrum in a random basis."""
    mean = unit_rows(rng.standard_normal(dim)) * np.sqrt(COMMON_SHARE)
    basis, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    var = np.arange(1, dim + 1, dtype=np.float64) ** -SPECTRUM_DECAY
    var *= (1.0 - COMMON_SHARE) / var.sum()
    return Distribution(mean.astype(np.float32), basis.astype(np.float32), np.sqrt(var).astype(np.float32))


def fitted_distribution(vectors: np.ndarray) -> Distribution:
    """Mean and principal axes of real vectors (for --seed-vectors)."""
    mean = vectors.mean(axis=0)
    eigval, eigvec = np.linalg.eigh(np.cov(vectors - mean, rowvar=False))
    scales = np.sqrt(np.clip(eigval, 0.0, None))
    return Distribution(mean.astype(np.float32), eigvec.astype(np.float32), scales.astype(np.float32))


@dataclass
class ClusterModel:
    """Clusters (centres) inside the global distribution."""

    dist: Distribution
    centres: np.ndarray  # (C, d) unit vectors
    weights: np.ndarray  # (C,) cluster probabilities (skewed sizes)
    noise_var: np.ndarray  # (C,) share of a point that is noise, per cluster
    emphasis: np.ndarray  # (C, d) per-cluster axis weights: clusters have own shapes


def n_centres_for(n: int) -> int:
    """A few hundred centres for small corpora, a few thousand for large."""
    return int(np.clip(2 * np.sqrt(n), 200, 4000))


def synthetic_centres(rng: np.random.Generator, dist: Distribution, n_centres: int) -> np.ndarray:
    """Centres = mean + mix of a topic deviation and an own deviation."""
    n_topics = max(16, n_centres // 20)
    topics = dist.deviations(rng, n_topics)
    own = dist.deviations(rng, n_centres)
    topic_of = rng.integers(0, n_topics, n_centres)
    return unit_rows(dist.mean + np.sqrt(TOPIC_SHARE) * topics[topic_of] + np.sqrt(1.0 - TOPIC_SHARE) * own)


def make_model(
    rng: np.random.Generator, n: int, dim: int, seed_vectors: np.ndarray | None, noise_scale: float
) -> ClusterModel:
    """Build the cluster model; seed vectors (if given) become the centres."""
    if seed_vectors is not None:
        dist = fitted_distribution(seed_vectors)
        centres = unit_rows(seed_vectors)
    else:
        dist = synthetic_distribution(rng, dim)
        centres = synthetic_centres(rng, dist, n_centres_for(n))
    n_c = centres.shape[0]
    weights = np.exp(rng.normal(0.0, 1.0, n_c))
    noise_var = np.exp(rng.normal(np.log(NOISE_VAR_MEDIAN * noise_scale), 0.5, n_c))
    log_e = rng.normal(0.0, EMPHASIS_SIGMA, (n_c, dim))
    return ClusterModel(
        dist=dist,
        centres=centres,
        weights=weights / weights.sum(),
        noise_var=np.clip(noise_var, 0.005, 0.6),
        emphasis=np.exp(log_e - EMPHASIS_SIGMA**2).astype(np.float32),  # E[emphasis^2] = 1
    )


def perturb(
    model: ClusterModel, rng: np.random.Generator, base: np.ndarray, cluster: np.ndarray, var: np.ndarray
) -> np.ndarray:
    """normalise(mean + sqrt(1-var)*(base-mean) + sqrt(var)*cluster-shaped noise).

    Only the deviation from the common mean is mixed, so the common component
    (and with it the cosine ~0.8 of unrelated pairs) is kept.
    """
    mean = model.dist.mean
    noise = model.dist.deviations(rng, len(base), model.emphasis[cluster])
    mixed = mean + np.sqrt(1.0 - var)[:, None] * (base - mean) + np.sqrt(var)[:, None] * noise
    return unit_rows(mixed)


def sample_points(model: ClusterModel, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw n points in chunks; returns (vectors, cluster ids)."""
    dim = model.centres.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    cluster = rng.choice(len(model.weights), n, p=model.weights)
    for start in range(0, n, GEN_CHUNK):
        c = cluster[start : start + GEN_CHUNK]
        var = np.clip(model.noise_var[c] * np.exp(rng.normal(0, 0.3, len(c))), 0.005, 0.8)
        out[start : start + len(c)] = perturb(model, rng, model.centres[c], c, var)
    return out, cluster


def make_dataset(
    rng: np.random.Generator,
    n: int,
    dim: int,
    n_queries: int,
    seed_vectors: np.ndarray | None,
    noise_scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Corpus of n points + queries perturbed from n_queries held-out points."""
    model = make_model(rng, n, dim, seed_vectors, noise_scale)
    points, cluster = sample_points(model, rng, n + n_queries)
    corpus = points[:n]
    held, held_c = points[n:], cluster[n:]
    queries = perturb(model, rng, held, held_c, QUERY_NOISE * model.noise_var[held_c])
    log(f"  data: {n:,} x {dim} corpus, {n_queries} queries, {len(model.weights)} centres")
    return corpus, queries


def data_stats(corpus: np.ndarray, queries: np.ndarray, gt_d: np.ndarray) -> dict[str, float]:
    """Similarity statistics, to compare with real e5 embeddings."""
    sample = corpus[: min(2000, len(corpus))]
    return {
        "mean_top1_ip": float(gt_d[:, 0].mean()),
        "mean_top10_ip": float(gt_d[:, K - 1].mean()),
        "mean_random_ip": float((queries[:200] @ sample.T).mean()),
    }


# --------------------------------------------------------------------------
# measurement
# --------------------------------------------------------------------------


@dataclass
class Row:
    """One benchmark result line."""

    n: int
    index: str
    params: str
    build_s: float
    memory_bytes: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    latency_queries: int
    batch_qps: float
    recall_at_10: float
    meets_target: bool = False
    cheapest: bool = False


def index_bytes(index: faiss.Index) -> int:
    """Size of the serialised index, counted without materialising it."""
    total = 0

    def count(buf: bytes) -> int:
        nonlocal total
        total += len(buf)
        return len(buf)

    writer = faiss.PyCallbackIOWriter(count)
    faiss.write_index(index, writer)
    del writer  # flushes the last buffer
    return total


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean fraction of the exact top-k found in the approximate top-k."""
    hits = [np.intersect1d(f[f >= 0], t).size for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits) / truth.shape[1])


def single_query_latency(index: faiss.Index, queries: np.ndarray, budget_s: float) -> tuple[np.ndarray, int]:
    """Warm, one-query-per-call latencies in ms with 1 OpenMP thread."""
    faiss.omp_set_num_threads(1)
    for i in range(min(WARMUP_QUERIES, len(queries))):
        index.search(queries[i : i + 1], K)
    lat: list[float] = []
    start = time.perf_counter()
    for i in range(len(queries)):
        t = time.perf_counter()
        index.search(queries[i : i + 1], K)
        lat.append((time.perf_counter() - t) * 1e3)
        over_budget = time.perf_counter() - start > budget_s
        if over_budget and len(lat) >= MIN_LATENCY_QUERIES:
            break
    return np.asarray(lat), len(lat)


def batch_search(index: faiss.Index, queries: np.ndarray, threads: int) -> tuple[np.ndarray, float]:
    """All queries in one call with `threads` threads; returns (ids, qps).

    The first call provides the ids; if it took under a second (index warm
    after it), further calls are timed until a second has passed (at most 5).
    """
    faiss.omp_set_num_threads(threads)
    t = time.perf_counter()
    _, ids = index.search(queries, K)
    first = time.perf_counter() - t
    if first >= 1.0:
        return ids, len(queries) / first
    elapsed, calls = 0.0, 0
    while elapsed < 1.0 and calls < 5:
        t = time.perf_counter()
        index.search(queries, K)
        elapsed += time.perf_counter() - t
        calls += 1
    return ids, calls * len(queries) / elapsed


@dataclass
class Bench:
    """Shared state for one corpus size."""

    n: int
    queries: np.ndarray
    truth: np.ndarray
    threads: int
    latency_budget_s: float
    rows: list[Row] = field(default_factory=list)

    def measure(self, index: faiss.Index, name: str, params: str, build_s: float, memory: int) -> Row:
        """Measure one configuration and record it."""
        ids, qps = batch_search(index, self.queries, self.threads)
        lat, n_lat = single_query_latency(index, self.queries, self.latency_budget_s)
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        row = Row(
            n=self.n,
            index=name,
            params=params,
            build_s=round(build_s, 2),
            memory_bytes=memory,
            p50_ms=round(float(p50), 3),
            p95_ms=round(float(p95), 3),
            p99_ms=round(float(p99), 3),
            latency_queries=n_lat,
            batch_qps=round(qps, 1),
            recall_at_10=round(recall_at_k(ids, self.truth), 4),
        )
        row.meets_target = row.p95_ms < TARGET_P95_MS and row.recall_at_10 >= TARGET_RECALL
        self.rows.append(row)
        log(
            f"    {name:<10} {params:<28} recall@10={row.recall_at_10:.4f} "
            f"p50={row.p50_ms:.3f}ms p95={row.p95_ms:.3f}ms qps={row.batch_qps:,.0f}"
        )
        faiss.omp_set_num_threads(self.threads)
        return row


# --------------------------------------------------------------------------
# indexes
# --------------------------------------------------------------------------


def chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) pairs covering range(n)."""
    for start in range(0, n, size):
        yield start, min(n, start + size)


def build_flat(corpus: np.ndarray) -> tuple[faiss.Index, float]:
    """Exact inner-product index; its results are the ground truth."""
    t = time.perf_counter()
    index = faiss.IndexFlatIP(corpus.shape[1])
    index.add(corpus)
    return index, time.perf_counter() - t


def build_hnsw(corpus: np.ndarray, m: int, ef_construction: int) -> tuple[faiss.Index, float]:
    """HNSW graph over the raw vectors, added in chunks with progress."""
    index = faiss.IndexHNSWFlat(corpus.shape[1], m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = ef_construction
    n = len(corpus)
    step = max(ADD_CHUNK // 2, n // 10)
    t = time.perf_counter()
    for start, stop in chunks(n, step):
        index.add(corpus[start:stop])
        spent = time.perf_counter() - t
        if n > step:
            log(f"  HNSW add {stop:,}/{n:,} ({spent:.0f}s)")
    return index, time.perf_counter() - t


def run_hnsw(bench: Bench, corpus: np.ndarray, m: int, ef_construction: int) -> None:
    """Build HNSW once and sweep efSearch."""
    log(f"  building HNSW{m} (efConstruction={ef_construction})")
    index, build_s = build_hnsw(corpus, m, ef_construction)
    memory = index_bytes(index)
    for ef in HNSW_EF_SEARCH:
        index.hnsw.efSearch = ef
        params = f"M={m} efC={ef_construction} ef={ef}"
        bench.measure(index, f"HNSW{m}", params, build_s, memory)


def nlist_for(n: int) -> int:
    """Number of IVF lists: about 4*sqrt(N)."""
    return round(4 * float(np.sqrt(n)))


def train_coarse(
    corpus: np.ndarray, nlist: int, rng: np.random.Generator, seed: int
) -> tuple[faiss.IndexFlatIP, np.ndarray]:
    """Spherical k-means on a sample (32 points per list, 10 iterations)."""
    size = min(len(corpus), 32 * nlist)
    sample = corpus[np.sort(rng.choice(len(corpus), size, replace=False))]
    clus = faiss.Clustering(corpus.shape[1], nlist)
    clus.niter, clus.spherical, clus.seed = 10, True, seed
    clus.min_points_per_centroid = 1
    quantizer = faiss.IndexFlatIP(corpus.shape[1])
    clus.train(sample, quantizer)
    return quantizer, sample


def assign(quantizer: faiss.Index, corpus: np.ndarray) -> np.ndarray:
    """Nearest list for every corpus vector (computed once, reused)."""
    out = np.empty(len(corpus), dtype=np.int64)
    for start, stop in chunks(len(corpus), ADD_CHUNK * 2):
        _, a = quantizer.search(corpus[start:stop], 1)
        out[start:stop] = a[:, 0]
        if len(corpus) > ADD_CHUNK * 2:
            log(f"  IVF assign {stop:,}/{len(corpus):,}")
    return out


def fill_ivf(index: faiss.IndexIVF, corpus: np.ndarray, lists: np.ndarray, sample: np.ndarray) -> float:
    """Train the fine codec (if any) and add with precomputed lists."""
    t = time.perf_counter()
    index.train(sample)  # coarse quantizer already trained: only the codec
    for start, stop in chunks(len(corpus), ADD_CHUNK):
        add_preassigned(index, corpus[start:stop], lists[start:stop])
    return time.perf_counter() - t


def make_ivf(kind: str, quantizer: faiss.IndexFlatIP, dim: int, nlist: int) -> faiss.IndexIVF:
    """IVF-Flat or IVF-SQ8 over a copy of the trained coarse quantizer."""
    q = faiss.clone_index(quantizer)
    if kind == "IVF-Flat":
        index = faiss.IndexIVFFlat(q, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexIVFScalarQuantizer(
            q, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT, False
        )
    index.own_fields = True
    q.this.disown()
    return index


def run_ivf(bench: Bench, corpus: np.ndarray, rng: np.random.Generator, seed: int) -> None:
    """Train k-means once, then IVF-Flat and IVF-SQ8 with an nprobe sweep."""
    nlist = nlist_for(len(corpus))
    log(f"  training IVF coarse quantizer: nlist={nlist}")
    t = time.perf_counter()
    quantizer, sample = train_coarse(corpus, nlist, rng, seed)
    train_s = time.perf_counter() - t
    t = time.perf_counter()
    lists = assign(quantizer, corpus)
    assign_s = time.perf_counter() - t
    log(f"  k-means {train_s:.1f}s, assignment {assign_s:.1f}s")
    for kind in ("IVF-Flat", "IVF-SQ8"):
        index = make_ivf(kind, quantizer, corpus.shape[1], nlist)
        build_s = train_s + assign_s + fill_ivf(index, corpus, lists, sample)
        memory = index_bytes(index)
        for nprobe in (p for p in IVF_NPROBE if p <= nlist):
            index.nprobe = nprobe
            bench.measure(index, kind, f"nlist={nlist} nprobe={nprobe}", build_s, memory)
        del index


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------


def mark_cheapest(rows: list[Row]) -> None:
    """Per size: the passing row with the least memory, then lowest p95."""
    for n in sorted({r.n for r in rows}):
        ok = [r for r in rows if r.n == n and r.meets_target]
        if ok:
            min(ok, key=lambda r: (r.memory_bytes, r.p95_ms)).cheapest = True


def fmt_bytes(b: int) -> str:
    """Human-readable MiB."""
    return f"{b / 2**20:,.1f} MiB"


def markdown_table(rows: list[Row]) -> str:
    """The result table; ✅ meets the target, ★ cheapest passing config."""
    head = (
        "| N | index | params | build s | memory | p50 ms | p95 ms | p99 ms "
        "| batch q/s | recall@10 | target |\n"
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|\n"
    )
    lines = []
    for r in rows:
        mark = ("★ " if r.cheapest else "") + ("✅" if r.meets_target else "–")
        lines.append(
            f"| {r.n:,} | {r.index} | {r.params} | {r.build_s:.1f} | "
            f"{fmt_bytes(r.memory_bytes)} | {r.p50_ms:.3f} | {r.p95_ms:.3f} | "
            f"{r.p99_ms:.3f} | {r.batch_qps:,.0f} | {r.recall_at_10:.4f} | {mark} |"
        )
    return head + "\n".join(lines)


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts(threads: int) -> dict[str, object]:
    """Facts to publish alongside the figures."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "faiss": faiss.__version__,
        "faiss_simd": faiss.get_compile_options(),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "threads_build_and_batch": threads,
        "threads_single_query": 1,
        "loadavg_start": os.getloadavg(),
    }


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def load_seed_vectors(path: str | None) -> np.ndarray | None:
    """Real vectors to use as cluster centres, if given."""
    if path is None:
        return None
    vecs = np.load(path).astype(np.float32)
    if vecs.ndim != 2:
        raise SystemExit(f"--seed-vectors: expected a 2-D array, got shape {vecs.shape}")
    return vecs


def run_size(n: int, args: argparse.Namespace, seed_vectors: np.ndarray | None) -> tuple[list[Row], dict[str, float]]:
    """All configurations for one corpus size."""
    log(f"N={n:,}: generating data (load {os.getloadavg()[0]:.2f})")
    rng = np.random.default_rng([args.seed, n])
    corpus, queries = make_dataset(rng, n, args.dim, args.queries, seed_vectors, args.noise_scale)
    faiss.omp_set_num_threads(args.threads)
    flat, build_s = build_flat(corpus)
    gt_d, gt_i = flat.search(queries, K)
    stats = data_stats(corpus, queries, gt_d)
    log(f"  ground truth done; similarity stats {stats}")
    bench = Bench(n, queries, gt_i, args.threads, args.latency_budget)
    bench.measure(flat, "Flat", "exact", build_s, index_bytes(flat))
    del flat
    run_hnsw(bench, corpus, args.hnsw_m, args.ef_construction)
    run_ivf(bench, corpus, rng, args.seed)
    stats["loadavg_1min_end"] = os.getloadavg()[0]
    return bench.rows, stats


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--json", dest="json_path", default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--seed-vectors", default=None, help=".npy of real vectors (centres)")
    p.add_argument(
        "--noise-scale",
        type=float,
        default=1.0,
        help="multiply the cluster noise (sensitivity check: >1 = clusters overlap more)",
    )
    p.add_argument("--hnsw-m", type=int, default=32)
    p.add_argument("--ef-construction", type=int, default=64)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument(
        "--latency-budget",
        type=float,
        default=10.0,
        help="max seconds of single-query timing per configuration",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print (and optionally save) the results."""
    args = parse_args(argv)
    seed_vectors = load_seed_vectors(args.seed_vectors)
    if seed_vectors is not None and seed_vectors.shape[1] != args.dim:
        log(f"--seed-vectors have dim {seed_vectors.shape[1]}; overriding --dim")
        args.dim = seed_vectors.shape[1]
    facts = machine_facts(args.threads)
    log(f"machine: {facts}")
    rows: list[Row] = []
    data: dict[str, dict[str, float]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        size_rows, data[str(n)] = run_size(n, args, seed_vectors)
        rows.extend(size_rows)
    mark_cheapest(rows)
    facts["loadavg_end"] = os.getloadavg()
    facts["runtime_s"] = round(time.perf_counter() - _T0, 1)
    log(f"done in {facts['runtime_s']}s, load {facts['loadavg_end']}")
    print()
    print(markdown_table(rows))
    if args.json_path:
        out = {"machine": facts, "args": vars(args), "data": data, "rows": [asdict(r) for r in rows]}
        Path(args.json_path).write_text(json.dumps(out, indent=2, default=str))
        log(f"wrote {args.json_path}")


if __name__ == "__main__":
    main()

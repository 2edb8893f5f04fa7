"""Benchmark: index build time, warm search latency (query encoding included) and memory.

    .venv/bin/python bench/bench_search.py [--rounds 5] [--torch-queries]

The index is built with the torch encoders (``load_encoders``); searches use the query encoders
of the search processes (``load_query_encoders``: e5 on onnxruntime), or with ``--torch-queries``
the torch ones, as before the ONNX graph.

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from index.build import build_index
from index.encoders import load_encoders, load_query_encoders
from index.search import Searcher
from index.store import read_index
from wegwijzer.evaluation.dataset import load_cases
from wegwijzer.knowledge import load_knowledge
from wegwijzer.paths import REPO_ROOT, models_dir

DEV_SET = REPO_ROOT.parent / "shared" / "eval" / "dev.yaml"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set")
    parser.add_argument("--torch-queries", action="store_true", help="encode queries with torch e5 (the old way)")
    args = parser.parse_args()

    started = time.perf_counter()
    knowledge = load_knowledge()
    knowledge_s = time.perf_counter() - started
    started = time.perf_counter()
    encoders = load_encoders(models_dir())
    models_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "index"
        started = time.perf_counter()
        manifest = build_index(knowledge, encoders, target, progress=lambda _m: None)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        query_encoders = encoders if args.torch_queries else load_query_encoders(models_dir())
        query_models_s = time.perf_counter() - started
        started = time.perf_counter()
        searcher = Searcher(knowledge, read_index(target), query_encoders)
        open_s = time.perf_counter() - started

    questions = (
        [case.question for case in load_cases(DEV_SET)] if DEV_SET.is_file() else ["ik kan de huur niet betalen"]
    )
    for question in questions[:5]:  # warm-up
        searcher.search(question, "purmerend")
    timings = []
    for _ in range(args.rounds):
        for question in questions:
            t0 = time.perf_counter()
            searcher.search(question, "purmerend")
            timings.append((time.perf_counter() - t0) * 1000)
    encode_timings = []
    for question in questions:
        t0 = time.perf_counter()
        searcher.encode(question)
        encode_timings.append((time.perf_counter() - t0) * 1000)

    print(f"Machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    print(f"Corpus: {manifest.counts}")
    print("| measure | value |")
    print("|---|---|")
    print(f"| load + validate knowledge | {knowledge_s * 1000:.0f} ms |")
    print(f"| load encoders ({', '.join(e.name for e in encoders)}) | {models_s:.2f} s |")
    print(f"| index build (all encoders) | {build_s:.1f} s |")
    query_kind = "torch" if args.torch_queries else "e5 on onnxruntime"
    print(f"| load query encoders ({query_kind}) | {query_models_s:.2f} s |")
    print(f"| open index + searcher | {open_s * 1000:.0f} ms |")
    print(f"| search p50 (n={len(timings)}) | {statistics.median(timings):.1f} ms |")
    print(f"| search p95 | {percentile(timings, 0.95):.1f} ms |")
    print(f"| search p99 | {percentile(timings, 0.99):.1f} ms |")
    print(f"| of which query encoding p50 | {statistics.median(encode_timings):.1f} ms |")
    print(f"| peak RSS | {rss_mb():.0f} MB |")


if __name__ == "__main__":
    main()

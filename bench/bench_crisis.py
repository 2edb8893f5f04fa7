"""Benchmark: what the learned crisis check adds to a message, against the search in the same run.

    .venv/bin/python bench/bench_crisis.py [--rounds 3]

For each dev-set question and each crisis-bank message:
- baseline: `Searcher.search` of the message, its encoding included (what every help question costs);
- added: `CrisisDetector.check` of the same message. The check encodes through the searcher, which
  remembers the vectors, so in the assistant (check first, search after) the message is encoded once;
  measured here after the search, what remains is the classifier and the patterns.
The classifier also reads the mean of e5 layer.7's token states, a second output of the query graph
run the search makes anyway; a second table measures that run with and without the second output
asked (the same graph, the same messages, alternating).
Prints Markdown tables for docs/benchmarks.md; the ratio is against the baseline of this run.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from index.encoders import E5OnnxEncoder
from index.model_files import ONNX_LAYER_MEAN, ONNX_MEAN
from wegwijzer.dialogue.crisis.runtime import crisis_detector_for
from wegwijzer.evaluation.dataset import load_cases
from wegwijzer.paths import REPO_ROOT
from wegwijzer.search_loader import open_searcher

DEV_SET = REPO_ROOT.parent / "shared" / "eval" / "dev.yaml"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    searcher = open_searcher()
    detector = crisis_detector_for(searcher.knowledge, searcher)
    sets = {
        "dev-set questions": [c.question for c in load_cases(DEV_SET)],
        "crisis-bank messages (first 200)": [e.text for e in searcher.knowledge.crisis_bank][:200],
    }
    print("| messages | n | search p50 (baseline) | crisis check p50 | crisis check p95 | added / search |")
    print("|---|---|---|---|---|---|")
    for label, messages in sets.items():
        search_ms, check_ms = [], []
        for _ in range(args.rounds):
            for text in messages:
                started = time.perf_counter()
                searcher.search(text[:2000], "purmerend", k=5, services=8)
                search_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                detector.check(text)
                check_ms.append((time.perf_counter() - started) * 1000)
        base, added = statistics.median(search_ms), statistics.median(check_ms)
        print(
            f"| {label} | {len(messages)} | {base:.1f} ms | {added:.2f} ms | {percentile(check_ms, 0.95):.2f} ms "
            f"| {added / base:.3f}x |"
        )
    e5 = next(e for e in searcher.encoders if isinstance(e, E5OnnxEncoder))
    print()
    print("| messages | n | e5 graph run, query vector only, p50 | with layer.7's mean too, p50 | added p50 |")
    print("|---|---|---|---|---|")
    for label, messages in sets.items():
        alone, both = [], []
        for _ in range(args.rounds):
            for text in messages:
                ids = e5.tokenizer.encode(e5.prompts["query"] + text, add_special_tokens=False).ids[: e5.window]
                feeds = {"input_ids": np.array([[e5.bos, *ids, e5.eos]], dtype=np.int64)}
                feeds["attention_mask"] = np.ones_like(feeds["input_ids"])
                for outputs, into in (([ONNX_MEAN], alone), ([ONNX_MEAN, ONNX_LAYER_MEAN], both)):
                    started = time.perf_counter()
                    e5.session.run(outputs, feeds)
                    into.append((time.perf_counter() - started) * 1000)
        a, b = statistics.median(alone), statistics.median(both)
        print(f"| {label} | {len(messages)} | {a:.1f} ms | {b:.1f} ms | {b - a:+.2f} ms |")


if __name__ == "__main__":
    main()

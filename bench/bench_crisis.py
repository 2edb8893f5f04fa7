"""Benchmark: what the learned crisis check adds to a message, against the search in the same run.

    .venv/bin/python bench/bench_crisis.py [--rounds 3]

For each dev-set question and each crisis-bank message:
- baseline: `Searcher.search` of the message, its encoding included (what every help question costs);
- added: `CrisisDetector.check` of the same message. The check encodes through the searcher, which
  remembers the vectors, so in the assistant (check first, search after) the message is encoded once;
  measured here after the search, what remains is the classifier and the patterns.
Prints a Markdown table for docs/benchmarks.md; the ratio is against the baseline of this run.
"""

from __future__ import annotations

import argparse
import statistics
import time

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


if __name__ == "__main__":
    main()

"""Intent routing of a trained model on an evaluation set (held out: never in the training data).

Runs in the Rasa environment, from the repository root:

    .venv-rasa/bin/python bot/tools/intent_eval.py --model bot/models/wegwijzer.tar.gz \
        --set ../shared/eval/dev.yaml [--json]

For every case of kind route or info whose topic is a help topic, the expected intent is
hulp_<topic>; for out_of_scope it is out_of_scope. Reports top-1 and top-3 accuracy (the
action asks a clarifying question with up to three options when the top intent is unsure),
per kind and per language, and lists the misses. The topic labels of the set are meant for
reporting and some questions fit two topics, so top-3 is the fairer figure for routing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional

BOT = Path(__file__).resolve().parents[1]


def expected_intent(case: Dict[str, Any], topics: List[str]) -> Optional[str]:
    if case["kind"] in ("route", "info") and case["topic"] in topics:
        return f"hulp_{case['topic']}"
    if case["kind"] == "out_of_scope":
        return "out_of_scope"
    return None


async def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no debug line per parsed message
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(BOT / "models" / "wegwijzer.tar.gz"))
    parser.add_argument("--set", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import yaml

    set_path, model_path = Path(args.set).resolve(), Path(args.model).resolve()
    os.chdir(BOT)  # custom components are imported as components.* from bot/
    sys.path.insert(0, str(BOT))
    logging.disable(logging.WARNING)
    topics = sorted(p.stem for p in (BOT.parent / "knowledge" / "topics").glob("*.yaml"))
    cases = [c for c in yaml.safe_load(set_path.read_text(encoding="utf-8")) if expected_intent(c, topics)]
    results = asyncio.run(parse_all(model_path, [c["question"] for c in cases]))

    groups: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])  # cases, top1, top3
    misses = []
    scored = []  # (confidence, top-1 right)
    for case, result in zip(cases, results, strict=True):
        want = expected_intent(case, topics)
        ranking = [r["name"] for r in result.get("intent_ranking") or []]
        top1, top3 = ranking[:1] == [want], want in ranking[:3]
        scored.append((float(result["intent"]["confidence"]), top1))
        for key in ("all", f"kind={case['kind']}", f"lang={case['lang']}"):
            groups[key][0] += 1
            groups[key][1] += top1
            groups[key][2] += top3
        if not top1:
            misses.append(
                {"id": case["id"], "want": want, "got": ranking[:3], "confidence": result["intent"]["confidence"]}
            )
    summary = {
        key: {"cases": n, "top1": round(t1 / n, 3), "top3": round(t3 / n, 3)} for key, (n, t1, t3) in groups.items()
    }
    thresholds = {
        f">={t:.1f}": {
            "share": round(sum(c >= t for c, _ in scored) / len(scored), 3),
            "top1": round(sum(ok for c, ok in scored if c >= t) / max(1, sum(c >= t for c, _ in scored)), 3),
        }
        for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    }
    if args.json:
        print(json.dumps({"summary": summary, "confidence": thresholds, "misses": misses}, indent=2))
        return 0
    for key, row in summary.items():
        print(f"{key:20} {row['cases']:4d} cases  top-1 {row['top1']:.3f}  top-3 {row['top3']:.3f}")
    for key, row in thresholds.items():
        print(f"confidence {key}: {row['share']:.0%} of cases, top-1 {row['top1']:.3f} among them")
    for miss in misses:
        print(f"  miss {miss['id']}: want {miss['want']}, got {miss['got']} ({miss['confidence']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

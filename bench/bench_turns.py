"""Benchmark: turn latency through Rasa's REST channel, Wegwijzer against Rasa's own starter bot.

    .venv/bin/python bench/bench_turns.py [--turns 30] [--users 1 20]

Both bots run on this machine in the same run: Wegwijzer as `wegwijzer run` starts it (Rasa +
our action server with the index), and the bot `rasa init` makes (trained here, in a temporary
folder) as the framework's baseline. Each simulated user holds its own conversation. Prints a
Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import httpx

from connectors.api.launch import free_port
from wegwijzer.stack import RASA, Ports, Stack

OUR_MESSAGES = [
    "ik kan de huur niet meer betalen",
    "hoe bereik ik ze?",
    "mijn moeder wordt vergeetachtig en ik doe alles",
    "wat kost dat?",
    "I need help with my debts",
    "ik wil iemand spreken",
]
STARTER_MESSAGES = ["hello", "I am sad", "yes", "no", "are you a bot?", "goodbye"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def user(client: httpx.AsyncClient, url: str, messages: list[str], turns: int, metadata: dict) -> list[float]:
    sender, took = f"bench-{uuid.uuid4().hex[:10]}", []
    for n in range(turns):
        start = time.perf_counter()
        body = {"sender": sender, "message": messages[n % len(messages)], "metadata": metadata}
        response = await client.post(url, json=body)
        response.raise_for_status()
        took.append((time.perf_counter() - start) * 1000)
    return took


async def load(url: str, messages: list[str], users: int, turns: int, metadata: dict) -> tuple[list[float], float]:
    async with httpx.AsyncClient(timeout=120) as client:
        await user(client, url, messages, 2, metadata)  # warm up
        start = time.perf_counter()
        results = await asyncio.gather(*(user(client, url, messages, turns, metadata) for _ in range(users)))
        elapsed = time.perf_counter() - start
    return [t for r in results for t in r], elapsed


def starter_bot(folder: Path, port: int) -> subprocess.Popen[bytes]:
    print("    starter bot: rasa init (trains its own small model)", flush=True)
    subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(folder)], check=True, capture_output=True)
    process = subprocess.Popen(
        [str(RASA), "run", "--port", str(port), "--interface", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(1)
    process.kill()
    raise RuntimeError("starter bot did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20])
    args = parser.parse_args()
    rows = []
    ports = Ports(actions=free_port(), rasa=free_port(), api=free_port())
    with tempfile.TemporaryDirectory() as folder:
        starter_port = free_port()
        starter = starter_bot(Path(folder), starter_port)
        try:
            with Stack(ports, with_api=False, say=lambda line: print(line, flush=True)):
                bots = {
                    "Wegwijzer": (f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook", OUR_MESSAGES),
                    "rasa init starter bot": (
                        f"http://127.0.0.1:{starter_port}/webhooks/rest/webhook",
                        STARTER_MESSAGES,
                    ),
                }
                meta = {"gemeente": "purmerend", "role": "inwoner", "lang": "nl"}
                for users in args.users:
                    for name, (url, messages) in bots.items():
                        took, elapsed = asyncio.run(load(url, messages, users, args.turns, meta))
                        rows.append(
                            (
                                name,
                                users,
                                len(took),
                                statistics.median(took),
                                percentile(took, 0.95),
                                len(took) / elapsed,
                            )
                        )
                        print(f"    {name}, {users} users: p50 {rows[-1][3]:.0f} ms", flush=True)
        finally:
            starter.terminate()
            starter.wait(timeout=30)
    print("\n| bot | concurrent users | turns | p50 (ms) | p95 (ms) | turns/s |")
    print("|---|---|---|---|---|---|")
    for name, users, n, p50, p95, rate in rows:
        print(f"| {name} | {users} | {n} | {p50:.0f} | {p95:.0f} | {rate:.1f} |")


if __name__ == "__main__":
    main()

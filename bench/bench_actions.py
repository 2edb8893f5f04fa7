"""Benchmark: the action's cost in-process against the same action over Rasa's HTTP webhook protocol.

    .venv/bin/python bench/bench_actions.py [--rounds 3]

Rasa calls custom actions over HTTP. We serve them from the Python 3.11 process that holds the
index (one hop). The alternative, rasa-sdk in Rasa's 3.10 environment calling a search service,
adds a second HTTP hop of the same kind; this measures what one hop costs next to the work.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request

import httpx

from connectors.api.launch import free_port
from wegwijzer.actions.server import callback_form_url
from wegwijzer.dialogue.assistant import Assistant
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token
from wegwijzer.search_loader import open_searcher

MESSAGES = [
    "ik kan de huur niet meer betalen",
    "mijn moeder wordt vergeetachtig en ik doe alles",
    "I need help with my debts",
    "waar kan mijn zoon van 15 sporten als we weinig geld hebben",
]


def tracker(text: str) -> dict:
    return {
        "next_action": "action_wegwijzer",
        "sender_id": "bench",
        "tracker": {
            "sender_id": "bench",
            "slots": {},
            "latest_message": {
                "text": text,
                "intent": {"name": "hulp_schulden", "confidence": 0.9},
                "entities": [],
                "metadata": {"gemeente": "purmerend", "role": "inwoner", "lang": "nl"},
            },
            "events": [],
        },
        "domain": {"slots": {}},
        "version": "3.6.21",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    searcher = open_searcher()
    assistant = Assistant(searcher.knowledge, searcher, callback_form_url())
    direct = []
    for _ in range(args.rounds):
        for text in MESSAGES:
            start = time.perf_counter()
            assistant.respond(Turn(text, "hulp_schulden", 0.9, {}, {"gemeente": "purmerend"}), State())
            direct.append((time.perf_counter() - start) * 1000)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "wegwijzer.actions.server:create_app", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(1)
        over_http = []
        with httpx.Client(timeout=60, headers={TOKEN_HEADER: internal_token()}) as client:
            client.post(f"http://127.0.0.1:{port}/webhook", json=tracker(MESSAGES[0]))
            for _ in range(args.rounds):
                for text in MESSAGES:
                    start = time.perf_counter()
                    client.post(f"http://127.0.0.1:{port}/webhook", json=tracker(text)).raise_for_status()
                    over_http.append((time.perf_counter() - start) * 1000)
    finally:
        server.terminate()
    print("| action | p50 (ms) | max (ms) |")
    print("|---|---|---|")
    print(f"| in-process `Assistant.respond` | {statistics.median(direct):.0f} | {max(direct):.0f} |")
    print(f"| over HTTP (Rasa's webhook protocol) | {statistics.median(over_http):.0f} | {max(over_http):.0f} |")
    print(f"\nOne HTTP hop costs about {statistics.median(over_http) - statistics.median(direct):.0f} ms here.")


if __name__ == "__main__":
    main()

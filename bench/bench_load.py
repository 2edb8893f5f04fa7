"""Load test: N simulated residents hold multi-turn conversations over HTTP (POST /api/chat), for a fixed time.

    .venv/bin/python bench/bench_load.py [--levels 1 10 50] [--duration 60] [--think 0 | --think 5 20]
        [--database URL] [--env rasa:OMP_NUM_THREADS=1] [--base http://127.0.0.1:8000] [--json out.json]

Each resident talks in one language (nl, en, ar, tr, uk, pl) to one gemeente, 3-5 turns: a help question
(with a detail and a number, so the texts rarely repeat), a follow-up ("hoe bereik ik ze?"), then a button
payload from the last answer, "ik wil iemand spreken" or another question; then a new conversation.
Without --think a resident sends its next message as soon as the answer is in (closed loop: N residents
keep N turns in flight, a stress test); `--think MIN MAX` waits a random MIN-MAX seconds between turns,
as a person reading the answer and typing does. A turn is an error when the answer is not 200, is the
degraded emergency answer, has no reply, or takes longer than the timeout.

Without --base the script starts the whole stack itself (action server, Rasa, API on free ports, the
conversations in a temporary SQLite database unless --database is given) and reports the memory (peak
RSS) and CPU time of each component's process tree. `--env NAME:KEY=VALUE` gives one component an
environment variable (experiments). Every resident comes from its own address (X-Forwarded-For, which
the stack's uvicorn believes from 127.0.0.1), and the per-address rate limit is lifted for the run
(WEGWIJZER_RATE_ADDRESS=100000); the per-session limit stays at its default (20 a minute; a conversation
has at most 5 turns). With --base, configure the server's limits yourself. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

# The repository first: an editable install made before connectors/ existed does not map that package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.api.launch import free_port
from wegwijzer.stack import MODEL, Ports, Stack

TIMEOUT_S = 30.0
TICKS = os.sysconf("SC_CLK_TCK")

QUESTIONS = {
    "nl": [
        "ik kan de huur niet meer betalen",
        "ik heb schulden en weet niet waar ik moet beginnen",
        "mijn moeder wordt vergeetachtig en ik zorg elke dag voor haar",
        "mijn zoon wordt gepest en wil niet meer naar school",
        "ik heb hulp nodig bij de opvoeding van mijn dochter",
    ],
    "en": [
        "I can't pay my rent anymore",
        "I have debts and don't know where to start",
        "my mother has dementia and I take care of her every day",
    ],
    "ar": ["لا أستطيع دفع الإيجار بعد الآن", "عندي ديون كثيرة ولا أعرف من أين أبدأ"],
    "tr": ["kiramı artık ödeyemiyorum", "borçlarım var ve nereden başlayacağımı bilmiyorum"],
    "uk": ["я більше не можу платити за оренду", "у мене борги і я не знаю з чого почати"],
    "pl": ["nie mogę już płacić czynszu", "mam długi i nie wiem od czego zacząć"],
}
FOLLOW_UPS = {
    "nl": ["hoe bereik ik ze?", "wat kost dat?"],
    "en": ["how do I contact them?"],
    "ar": ["كيف أتواصل معهم؟"],
    "tr": ["onlara nasıl ulaşırım?"],
    "uk": ["як з ними зв'язатися?"],
    "pl": ["jak się z nimi skontaktować?"],
}
# A detail a resident adds to a question, with a number, so questions are rarely the same text twice
# (Rasa's e5 featurizer caches by text; real residents do not type the same sentence).
DETAILS = {
    "nl": ["Het gaat al {n} weken zo.", "Ik woon hier al {n} jaar.", "Ik ben {n} jaar oud."],
    "en": ["It has been like this for {n} weeks.", "I have lived here for {n} years."],
    "ar": ["الوضع هكذا منذ {n} أسابيع."],
    "tr": ["{n} haftadır böyle."],
    "uk": ["Так триває вже {n} тижнів."],
    "pl": ["Tak jest już od {n} tygodni."],
}
A_PERSON = {
    "nl": "ik wil iemand spreken",
    "en": "I want to talk to a person",
    "ar": "أريد التحدث مع شخص",
    "tr": "biriyle konuşmak istiyorum",
    "uk": "я хочу поговорити з людиною",
    "pl": "chcę porozmawiać z człowiekiem",
}


# --- the residents ----------------------------------------------------------------------------------------


@dataclass
class Level:
    residents: int
    latencies: list[float] = field(default_factory=list)  # ms, every turn that got an answer in time
    samples: list[tuple[float, float, int, str]] = field(default_factory=list)  # (start s, ms, turn, lang)
    errors: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    elapsed: float = 0.0

    @property
    def turns(self) -> int:
        return len(self.latencies)

    @property
    def good(self) -> int:
        return self.turns - sum(v for k, v in self.errors.items() if k != "timeout")


def question(rng: random.Random, lang: str) -> str:
    return f"{rng.choice(QUESTIONS[lang])}. {rng.choice(DETAILS[lang]).format(n=rng.randint(2, 99))}"


def next_message(rng: random.Random, lang: str, turn: int, buttons: list[str]) -> str:
    if turn == 0:
        return question(rng, lang)
    if turn == 1:
        return rng.choice(FOLLOW_UPS[lang])
    pick = rng.random()
    if buttons and pick < 0.4:
        return rng.choice(buttons)  # what the web page sends when a button is pressed
    if pick < 0.7:
        return A_PERSON[lang]
    return question(rng, lang)


def classify(response: httpx.Response) -> tuple[str | None, list[str]]:
    """The kind of error (None: a good answer), and the payloads of the answer's buttons."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}", []
    data = response.json()
    if data.get("degraded"):
        return "degraded", []
    if not data.get("replies"):
        return "no reply", []
    return None, [b["payload"] for r in data["replies"] for b in r.get("buttons") or []]


async def resident(
    client: httpx.AsyncClient,
    number: int,
    gemeenten: list[str],
    deadline: float,
    think: tuple[float, float],
    level: Level,
) -> None:
    rng = random.Random(number)
    address = f"10.{number // 250}.{number % 250}.{rng.randint(1, 250)}"
    if think[1]:
        await asyncio.sleep(rng.uniform(0, think[1]))  # residents arrive at their own moment, not all at once
    while time.monotonic() < deadline:
        lang, gemeente = rng.choice(list(QUESTIONS)), rng.choice(gemeenten)
        session, buttons = f"load-{uuid.uuid4().hex[:16]}", []
        level.conversations += 1
        for turn in range(rng.randint(3, 5)):
            if time.monotonic() >= deadline:
                return
            body = {"session_id": session, "message": next_message(rng, lang, turn, buttons), "gemeente": gemeente}
            body["lang"] = lang
            start = time.perf_counter()
            try:
                response = await client.post("/api/chat", json=body, headers={"X-Forwarded-For": address})
            except httpx.TimeoutException:
                level.errors["timeout"] += 1
                continue
            except httpx.HTTPError as error:
                level.errors[type(error).__name__] += 1
                continue
            level.latencies.append((time.perf_counter() - start) * 1000)
            level.samples.append((round(time.monotonic() - deadline, 2), round(level.latencies[-1]), turn, lang))
            error_kind, buttons = classify(response)
            if error_kind:
                level.errors[error_kind] += 1
            if think[1]:
                await asyncio.sleep(rng.uniform(*think))  # reading the answer, typing the next message


async def run_level(
    base: str, residents: int, duration: float, think: tuple[float, float], gemeenten: list[str]
) -> Level:
    level = Level(residents)
    limits = httpx.Limits(max_connections=residents + 5, max_keepalive_connections=residents + 5)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S, limits=limits, trust_env=False) as client:
        start = time.monotonic()
        deadline = start + duration
        await asyncio.gather(*(resident(client, n, gemeenten, deadline, think, level) for n in range(residents)))
        level.elapsed = time.monotonic() - start
    return level


def warm_up(base: str, gemeenten: list[str]) -> None:
    """Every question and follow-up once, so every model is loaded (and TensorFlow has traced its graphs)
    before the clock runs."""
    rng = random.Random(0)
    with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
        for lang, questions in QUESTIONS.items():
            for text in questions:
                session = f"warm-{uuid.uuid4().hex[:8]}"
                for message in (text, question(rng, lang), *FOLLOW_UPS[lang], A_PERSON[lang]):
                    body = {"session_id": session, "message": message, "gemeente": rng.choice(gemeenten)}
                    client.post("/api/chat", json={**body, "lang": lang})


# --- the processes ----------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += children(current)
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


@dataclass
class Usage:
    """RSS (peak of the sampled trees) and CPU seconds of each component during one level."""

    pids: dict[str, int]
    peak_mb: dict[str, float] = field(default_factory=dict)
    cpu_start: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def tree_rss(self, name: str) -> float:
        return sum(rss_mb(p) for p in tree(self.pids[name]))

    def tree_cpu(self, name: str) -> float:
        return sum(cpu_s(p) for p in tree(self.pids[name]))

    def start(self) -> None:
        self.cpu_start = {name: self.tree_cpu(name) for name in self.pids}
        self.sample()

    def sample(self) -> None:
        for name in self.pids:
            self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), self.tree_rss(name))

    def stop(self) -> None:
        self.sample()
        self.cpu = {name: self.tree_cpu(name) - self.cpu_start[name] for name in self.pids}


async def measured(
    base: str, residents: int, args: argparse.Namespace, gemeenten: list[str], usage: Usage | None
) -> Level:
    if usage:
        usage.start()
    think = (args.think[0], args.think[-1])
    task = asyncio.create_task(run_level(base, residents, args.duration, think, gemeenten))
    while not task.done():
        await asyncio.sleep(1.0)
        if usage:
            usage.sample()
    if usage:
        usage.stop()
    return task.result()


# --- the report -------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def level_row(level: Level) -> dict[str, Any]:
    lat = level.latencies
    return {
        "residents": level.residents,
        "seconds": round(level.elapsed, 1),
        "conversations": level.conversations,
        "turns": level.turns,
        "turns_per_s": round(level.good / level.elapsed, 2) if level.elapsed else 0.0,
        "p50_ms": round(percentile(lat, 0.50)),
        "p95_ms": round(percentile(lat, 0.95)),
        "p99_ms": round(percentile(lat, 0.99)),
        "max_ms": round(max(lat)) if lat else None,
        "errors": dict(level.errors),
        "samples": level.samples,
    }


def print_tables(rows: list[dict[str, Any]], usages: list[Usage | None]) -> None:
    print("\n| residents | turns | good turns/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        errors = ", ".join(f"{k}: {v}" for k, v in row["errors"].items()) or "0"
        print(
            f"| {row['residents']} | {row['turns']} | {row['turns_per_s']} | {row['p50_ms']} | {row['p95_ms']} "
            f"| {row['p99_ms']} | {row['max_ms']} | {errors} |"
        )
    if not any(usages):
        return
    names = list(next(u for u in usages if u).pids)
    print(
        "\n| residents | "
        + " | ".join(f"{n} RSS peak (MB)" for n in names)
        + " | "
        + " | ".join(f"{n} CPU ms/turn" for n in names)
        + " |"
    )
    print("|---" * (1 + 2 * len(names)) + "|")
    for row, usage in zip(rows, usages, strict=True):
        if usage is None:
            continue
        turns = max(1, row["turns"])
        rss = " | ".join(f"{usage.peak_mb[n]:.0f}" for n in names)
        cpu = " | ".join(f"{usage.cpu[n] * 1000 / turns:.0f}" for n in names)
        print(f"| {row['residents']} | {rss} | {cpu} |")


# --- running it -------------------------------------------------------------------------------------------


def component_env(values: list[str]) -> dict[str, dict[str, str]]:
    """--env rasa:OMP_NUM_THREADS=1 -> {"rasa": {"OMP_NUM_THREADS": "1"}} (for experiments on one component)."""
    found: dict[str, dict[str, str]] = {}
    for value in values:
        name, _, setting = value.partition(":")
        key, _, content = setting.partition("=")
        found.setdefault(name, {})[key] = content
    return found


@contextmanager
def own_stack(
    database: str | None, rasa_replicas: int, env: dict[str, dict[str, str]] | None = None
) -> Iterator[tuple[str, dict[str, int]]]:
    """The whole stack on free ports; its base URL and the pid of each component."""
    with tempfile.TemporaryDirectory(prefix="wegwijzer-load-") as folder:
        os.environ["WEGWIJZER_DATABASE_URL"] = database or f"sqlite:///{Path(folder) / 'load.db'}"
        os.environ.setdefault("WEGWIJZER_RATE_ADDRESS", "100000")
        more = tuple(free_port() for _ in range(rasa_replicas - 1))
        ports = Ports(actions=free_port(), rasa=free_port(), api=free_port(), more_rasa=more)
        stack = Stack(ports, say=lambda line: print(line, flush=True))
        for part in stack.parts:
            part.env.update((env or {}).get(part.name.split("-")[0], {}))
        with stack:
            pids = {part.name: part.process.pid for part in stack.parts if part.process}
            yield f"http://127.0.0.1:{ports.api}", pids


def bench(base: str, pids: dict[str, int] | None, args: argparse.Namespace) -> list[dict[str, Any]]:
    health = httpx.get(f"{base}/health", timeout=30).json()
    gemeenten = health["components"]["knowledge"]["gemeenten"]
    print(f"    stack: {health['status']}; gemeenten {', '.join(gemeenten)}", flush=True)
    warm_up(base, gemeenten)
    rows, usages = [], []
    for residents in args.levels:
        usage = Usage(pids) if pids else None
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        level = asyncio.run(measured(base, residents, args, gemeenten, usage))
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        row = level_row(level)
        row["load_generator_cpu_s"] = round(
            own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime, 1
        )
        if usage:
            row["rss_peak_mb"] = {k: round(v) for k, v in usage.peak_mb.items()}
            row["cpu_s"] = {k: round(v, 1) for k, v in usage.cpu.items()}
        rows.append(row)
        usages.append(usage)
        print(f"    {residents} residents: {json.dumps({k: v for k, v in row.items() if k != 'samples'})}", flush=True)
        time.sleep(args.pause)
    print_tables(rows, usages)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50], help="concurrent residents")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level")
    parser.add_argument(
        "--think", type=float, nargs="+", default=[0.0], help="seconds between turns: S, or MIN MAX (uniform)"
    )
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between levels")
    parser.add_argument("--base", help="an API that is already running (no stack is started)")
    parser.add_argument("--database", help="WEGWIJZER_DATABASE_URL for the stack (default: temporary SQLite)")
    parser.add_argument("--rasa-replicas", type=int, default=1, help="Rasa servers (more need --database and Redis)")
    parser.add_argument(
        "--env", action="append", default=[], help="NAME:KEY=VALUE, an environment variable for one component"
    )
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    print(f"==> load: {args.levels} residents, {args.duration:.0f} s each, think {args.think} s", flush=True)
    if not args.base and MODEL.is_file():  # the Rasa model is retrained by the set-up: name the one measured
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(MODEL.stat().st_mtime))
        print(f"    Rasa model: {MODEL.name}, {MODEL.stat().st_size / 1e6:.1f} MB, trained {stamp}", flush=True)
    if args.base:
        rows = bench(args.base.rstrip("/"), None, args)
    else:
        with own_stack(args.database, args.rasa_replicas, component_env(args.env)) as (base, pids):
            rows = bench(base, pids, args)
    if args.json:
        args.json.write_text(json.dumps({"levels": rows, "args": vars(args) | {"json": str(args.json)}}, indent=2))


if __name__ == "__main__":
    main()

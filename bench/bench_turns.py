"""Benchmark: turn latency through Rasa's REST channel, Wegwijzer against Rasa's own starter bot.

    .venv/bin/python bench/bench_turns.py [--turns 30] [--users 1 20]

Both bots run on this machine in the same run: Wegwijzer as `wegwijzer run` starts it (Rasa + our
action server with the index; its conversations in a temporary SQLite database), and the bot
`rasa init` makes (trained here, in a temporary folder) as the framework's baseline. Both Rasa
servers get OMP_NUM_THREADS=1 (as wegwijzer/stack.py gives ours) and no telemetry. The bots are
measured one after the other, never at the same time. Each simulated user holds its own
conversation and sends its next message as soon as the answer is in. Wegwijzer's questions carry a
detail with a number, so they are rarely the same text twice (its e5 featurizer caches by text).
Prints the machine load and a Markdown table for docs/benchmarks.md, with the CPU time per turn of
the bot's server processes (Wegwijzer: Rasa + action server; starter bot: Rasa), which depends less
on a busy neighbour than the latency does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

# The repository first: an editable install made before connectors/ existed does not map that package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.api.launch import free_port
from wegwijzer.privacy.keys import TOKEN_HEADER, internal_token
from wegwijzer.stack import RASA, Ports, Stack

RASA_ENV = {"OMP_NUM_THREADS": "1", "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
TIMEOUT_S = 120.0
QUESTIONS = [
    "ik kan de huur niet meer betalen",
    "mijn moeder wordt vergeetachtig en ik doe alles",
    "ik heb schulden en weet niet waar ik moet beginnen",
    "I need help with my debts",
]
DETAILS = ["Het gaat al {n} weken zo.", "Ik woon hier al {n} jaar.", "Ik ben {n} jaar oud."]
FOLLOW_UPS = ["hoe bereik ik ze?", "wat kost dat?", "ik wil iemand spreken"]
# Along the starter bot's own stories and rules (greet, mood, did that help?), so every turn gets an answer.
STARTER_MESSAGES = ["hello", "I am sad", "yes", "are you a bot?", "hello", "I am sad", "no", "goodbye"]

Messages = Callable[[random.Random, int], str]


def our_message(rng: random.Random, turn: int) -> str:
    """A question with a detail (a new text), then two follow-ups, as a resident talks."""
    if turn % 3 == 0:
        details = " ".join(d.format(n=rng.randint(2, 99)) for d in rng.sample(DETAILS, 2))
        return f"{rng.choice(QUESTIONS)}. {details}"
    return rng.choice(FOLLOW_UPS)


def starter_message(rng: random.Random, turn: int) -> str:
    return STARTER_MESSAGES[turn % len(STARTER_MESSAGES)]


@dataclass
class Result:
    took: list[float] = field(default_factory=list)  # ms per answered turn
    errors: int = 0  # not 200, or no bot message
    elapsed: float = 0.0


@dataclass
class Bot:
    name: str
    url: str
    messages: Messages
    pids: dict[str, int]  # the processes whose CPU time a turn costs (Rasa; for Wegwijzer also the action server)


@dataclass
class Row:
    bot: str
    users: int
    result: Result
    cpu_s: dict[str, float]  # per process

    def cpu(self) -> str:
        """CPU ms per turn, in total and (with more than one process) per process."""
        per_turn = {name: 1000 * seconds / len(self.result.took) for name, seconds in self.cpu_s.items()}
        total = f"{sum(per_turn.values()):,.0f}"
        if len(per_turn) == 1:
            return total
        return f"{total} ({', '.join(f'{name} {ms:,.0f}' for name, ms in per_turn.items())})"

    def cells(self) -> str:
        took, elapsed = self.result.took, self.result.elapsed
        p50, p95 = statistics.median(took), percentile(took, 0.95)
        return (
            f"| {self.bot} | {self.users} | {len(took)} | {p50:,.0f} | {p95:,.0f} | {len(took) / elapsed:.1f} "
            f"| {self.cpu()} | {self.result.errors} |"
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def user(client: httpx.AsyncClient, url: str, messages: Messages, turns: int, result: Result) -> None:
    rng, sender = random.Random(), uuid.uuid4().hex  # a new conversation, new questions (a sender of our shape)
    metadata = {"gemeente": "purmerend", "role": "inwoner", "lang": "nl"}
    for turn in range(turns):
        body = {"sender": sender, "message": messages(rng, turn), "metadata": metadata}
        start = time.perf_counter()
        response = await client.post(url, json=body)
        result.took.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or not response.json():
            result.errors += 1


async def load(url: str, messages: Messages, users: int, turns: int) -> Result:
    limits = httpx.Limits(max_connections=users + 5, max_keepalive_connections=users + 5)
    headers = {TOKEN_HEADER: internal_token()}  # our channel hears only our services; the starter bot ignores it
    async with httpx.AsyncClient(timeout=TIMEOUT_S, limits=limits, trust_env=False, headers=headers) as client:
        result = Result()
        start = time.perf_counter()
        await asyncio.gather(*(user(client, url, messages, turns, result) for _ in range(users)))
        result.elapsed = time.perf_counter() - start
    return result


def rasa_env() -> dict[str, str]:
    return {**os.environ, **RASA_ENV}


def train_starter_bot(folder: Path) -> None:
    print("    starter bot: rasa init (trains its own small model)", flush=True)
    folder.mkdir(parents=True, exist_ok=True)  # rasa init --no-prompt wants an existing, empty folder
    done = subprocess.run(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(folder)], env=rasa_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"rasa init failed:\n{(done.stdout + done.stderr)[-3000:]}")


def serve_starter_bot(folder: Path, port: int) -> subprocess.Popen[bytes]:
    log = (folder / "rasa-run.log").open("ab")
    command = [str(RASA), "run", "--port", str(port), "--interface", "127.0.0.1"]
    process = subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=rasa_env())
    for _ in range(240):
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            print(f"    starter bot: ready on port {port}", flush=True)
            return process
        except OSError:
            time.sleep(1)
    process.kill()
    raise RuntimeError(f"starter bot did not start:\n{(folder / 'rasa-run.log').read_text()[-3000:]}")


def require_search(actions_port: int) -> None:
    """Measure only a Wegwijzer whose action server has its index: otherwise every turn is the quick
    degraded answer and the figures mean nothing."""
    health = httpx.get(f"http://127.0.0.1:{actions_port}/health", timeout=10, trust_env=False).json()
    if health.get("index") != "ok":
        raise RuntimeError(f"the action server has no working index: {health}")


def machine_load(when: str) -> str:
    one, five, fifteen = os.getloadavg()
    line = f"load average {when}: {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"
    print(f"    {line}", flush=True)
    return line


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU time of each process so far (Linux /proc)."""
    return {name: _cpu_seconds(pid) for name, pid in pids.items()}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (stat fields 14, 15)


def measure(bots: list[Bot], users_levels: list[int], turns: int) -> list[Row]:
    rows: list[Row] = []
    for users in users_levels:
        for bot in bots:
            asyncio.run(load(bot.url, bot.messages, 1, 2))  # warm up
            before = cpu_seconds(bot.pids)
            result = asyncio.run(load(bot.url, bot.messages, users, turns))
            after = cpu_seconds(bot.pids)
            rows.append(Row(bot.name, users, result, {name: after[name] - before[name] for name in after}))
            print(f"    {rows[-1].cells()}", flush=True)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| bot | concurrent users | turns | p50 (ms) | p95 (ms) | turns/s | CPU ms/turn | no answer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return "\n".join(lines + [row.cells() for row in rows])


def both_bots(stack: Stack, starter: subprocess.Popen[bytes], starter_port: int) -> list[Bot]:
    def webhook(port: int) -> str:
        return f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    ours = {part.name: part.process.pid for part in stack.parts if part.process is not None}
    return [
        Bot("Wegwijzer", webhook(stack.ports.rasa), our_message, ours),
        Bot("rasa init starter bot", webhook(starter_port), starter_message, {"rasa": starter.pid}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=30, help="turns per user and level (default 30)")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20], help="concurrent users (default 1 20)")
    args = parser.parse_args()
    loads = [machine_load("before")]
    with tempfile.TemporaryDirectory(prefix="wegwijzer-turns-") as folder:
        starter_folder = Path(folder) / "starter"
        train_starter_bot(starter_folder)
        os.environ["WEGWIJZER_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'turns.db'}"  # before the Stack
        os.environ.update({k: v for k, v in RASA_ENV.items() if k != "OMP_NUM_THREADS"})  # the stack sets that
        ports = Ports(actions=free_port(), rasa=free_port(), api=free_port())
        starter_port = free_port()
        starter = serve_starter_bot(starter_folder, starter_port)
        try:
            with Stack(ports, with_api=False, say=lambda line: print(line, flush=True)) as stack:
                require_search(ports.actions)
                loads.append(machine_load("before measuring"))
                rows = measure(both_bots(stack, starter, starter_port), args.users, args.turns)
        finally:
            starter.terminate()
            starter.wait(timeout=30)
    loads.append(machine_load("after"))
    print("\n" + "\n".join(loads) + "\n\n" + table(rows))


if __name__ == "__main__":
    main()

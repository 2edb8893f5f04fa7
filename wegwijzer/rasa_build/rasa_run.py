"""Run Rasa (in .venv-rasa) on the project: `rasa train` with progress lines, `rasa data validate`."""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wegwijzer.rasa_build.freshness import model_freshness, write_stamp
from wegwijzer.rasa_build.layout import MODEL_NAME, BotLayout, BuildError, rasa_executable

Progress = Callable[[str], None]

PROJECT_ARGS = ["--domain", "domain", "--data", "data", "--config", "config.yml"]
_EPOCH = re.compile(r"Epochs:\s*\d+%.*?\|\s*(\d+)/(\d+) \[([^<\]]*)<([^,\]]*)[^\]]*?(?:,\s*([a-z_]+=.*))?\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_COMPONENT = re.compile(r"Starting to train component '([^']+)'")
_SHOWN = re.compile(
    r"Your Rasa model is trained|Nothing changed|No training of components required|"
    r"^(?:\S+ \S+ )?(?:ERROR|CRITICAL)\b|Traceback|Error:|Exception:"
)


def rasa_env() -> dict[str, str]:
    """Offline and quiet: no telemetry, no TensorFlow chatter."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONUNBUFFERED": "1",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


@dataclass
class _TrainOutput:
    """Turns Rasa's output (log lines and tqdm bars with carriage returns) into progress lines."""

    progress: Progress
    every: int = 5
    started: float = field(default_factory=time.monotonic)
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=60))
    _epoch_shown: tuple[int, int] = (0, 0)

    def feed(self, line: str) -> None:
        line = _ANSI.sub("", line).rstrip()
        if not line:
            return
        if match := _EPOCH.search(line):
            self._epoch(match)
            return
        self.tail.append(line)  # for the report when training fails
        if "UserWarning: " in line:  # Rasa's findings in the data, e.g. a misaligned entity
            self.progress(f"    waarschuwing: {line.split('UserWarning: ', 1)[1][:300]}")
        elif match := _COMPONENT.search(line):
            self.progress(f"    onderdeel {match.group(1)} (na {time.monotonic() - self.started:.0f} s)")
        elif _SHOWN.search(line):
            self.progress(f"    {line}")

    def _epoch(self, match: re.Match[str]) -> None:
        done, total = int(match.group(1)), int(match.group(2))
        if done == 0 or (done, total) == self._epoch_shown or not (done in (1, total) or done % self.every == 0):
            return
        self._epoch_shown = (done, total)
        metrics = (match.group(5) or "").replace(", ", "  ")
        self.progress(f"    epoch {done}/{total}  {metrics}  ({match.group(3).strip()}, nog {match.group(4).strip()})")


def _stream(command: list[str], cwd: Path, on_line: Callable[[str], None]) -> int:
    """Run a command, calling on_line for every line (split on \\n and on tqdm's \\r)."""
    process = subprocess.Popen(command, cwd=cwd, env=rasa_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    try:
        while chunk := process.stdout.read1(4096):
            pending += decoder.decode(chunk)
            *lines, pending = re.split(r"[\r\n]", pending)
            for line in lines:
                on_line(line)
        if pending:
            on_line(pending)
        return process.wait()
    except BaseException:
        process.terminate()
        process.wait()
        raise


def train(layout: BotLayout, force: bool, progress: Progress, knowledge_root: Path | None = None) -> bool:
    """Train when bot/ or knowledge/ changed (or force). True when a model was trained."""
    status = model_freshness(layout, knowledge_root)
    if status.fresh and not force:
        progress(f"    {status.describe(layout)} Niets te doen.")
        return False
    progress(f"    {status.describe(layout)}")
    rasa = rasa_executable()
    layout.models_dir.mkdir(parents=True, exist_ok=True)
    command = [str(rasa), "train", *PROJECT_ARGS, "--out", "models", "--fixed-model-name", MODEL_NAME]
    if force:
        command.append("--force")
    progress("    rasa train (epochs van DIET hieronder; het begin duurt even: TensorFlow laden)")
    output = _TrainOutput(progress)
    started = time.monotonic()
    code = _stream(command, layout.root, output.feed)
    seconds = time.monotonic() - started
    if code != 0 or not layout.model_path.is_file():
        for line in output.tail:
            progress(f"    | {line}")
        raise BuildError(f"rasa train is mislukt (exitcode {code}); zie de regels hierboven.")
    write_stamp(layout, status.current, seconds)
    progress(f"    Model klaar in {seconds:.0f} s: {layout.relative(layout.model_path)}")
    return True


_VALIDATE_NOISE = re.compile(
    r"^\s*$|^\s*(?:warnings\.warn|from \S+ import|import |rasa\.shared\.utils\.io\.raise_warning|\^)"
    r"|DeprecationWarning|declare_namespace|Implementing implicit namespace"  # library noise, not findings
)


def validate(layout: BotLayout, progress: Progress) -> int:
    """`rasa data validate --fail-on-warnings`; prints Rasa's findings, returns its exit code."""
    rasa = rasa_executable()
    command = [str(rasa), "data", "validate", *PROJECT_ARGS, "--fail-on-warnings"]
    lines: list[str] = []
    code = _stream(command, layout.root, lines.append)
    for line in (_ANSI.sub("", raw) for raw in lines):
        if not _VALIDATE_NOISE.search(line):
            progress(f"    {line}")
    return code

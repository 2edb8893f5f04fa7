"""The screenshots in docs/screenshots are made by scripts/screenshots.py in Chromium, not by hand: the script
runs (with the scripted Rasa, quick) and makes every view the docs show, desktop and phone, Arabic, the
simpler answer and the callback queue included; the docs folder holds the same set."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

from wegwijzer.paths import REPO_ROOT

EXPECTED = {
    "chat-desktop.png": 1280,
    "chat-mobiel.png": 360,
    "widget-desktop.png": 1280,
    "widget-mobiel.png": 360,
    "balie-desktop.png": 1280,
    "balie-mobiel.png": 360,
    "chat-mobiel-start.png": 360,
    "chat-mobiel-donker.png": 360,
    "chat-arabisch-mobiel.png": 360,
    "chat-simpeler-desktop.png": 1280,
    "chat-simpeler-mobiel.png": 360,
    "terugbellen-verstuurd-mobiel.png": 360,
    "beheer-terugbellen-desktop.png": 1280,
    "beheer-terugbellen-mobiel.png": 360,
}


def png_width(path: Path) -> int:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is no PNG"
    return int(struct.unpack(">I", head[16:20])[0])


def test_the_script_makes_every_screenshot_the_docs_show(tmp_path: Path, browser: object) -> None:
    """`browser`: only where Chromium and axe-core are installed (the fixture skips otherwise)."""
    run = subprocess.run(
        [sys.executable, "scripts/screenshots.py", "--fake", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert {p.name: png_width(p) for p in tmp_path.glob("*.png")} == EXPECTED
    docs = REPO_ROOT / "docs" / "screenshots"
    assert {p.name: png_width(p) for p in docs.glob("*.png")} == EXPECTED

"""`wegwijzer run` stops everything it started on SIGTERM (docker stop, systemd, kill), as on Ctrl-C."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT

# run_forever with a stand-in for the three servers: it records whether the stack was stopped.
SCRIPT = textwrap.dedent(
    """
    import os, signal, threading
    from types import SimpleNamespace
    from wegwijzer import stack

    class RecordingStack:
        def __init__(self, ports=None):
            self.ports = SimpleNamespace(api=8000, rasa=5005)
            self.parts = []

        def start(self):
            threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()

        def stop(self):
            print("STACK STOPPED", flush=True)

    stack.Stack = RecordingStack
    raise SystemExit(stack.run_forever())
    """
)


def test_sigterm_stops_the_whole_stack_cleanly() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Stoppen..." in done.stdout
    assert "STACK STOPPED" in done.stdout

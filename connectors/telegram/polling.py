"""Polling mode for development: fetch updates with getUpdates until stopped (Ctrl+C)."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from telegram.ext import Application

from connectors.telegram.application import running


async def poll_until(app: Application, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    """Run the bot in polling mode until `stop` is set. The Application must be built with polling=True."""
    async with running(app, polling=True):
        await stop.wait()


async def poll_forever(app: Application) -> None:  # type: ignore[type-arg]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await poll_until(app, stop)

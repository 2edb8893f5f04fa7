"""Keep what the libraries log about Telegram free of message text, user ids and the bot token."""

from __future__ import annotations

import logging


def quiet_library_loggers() -> None:
    """python-telegram-bot logs whole updates (message text, user ids) at DEBUG and httpx logs
    request URLs (with the bot token) at INFO; keep both out of the logs whatever the root level."""
    for name, level in (("telegram", logging.INFO), ("httpx", logging.WARNING), ("httpcore", logging.WARNING)):
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < level or logger.level == logging.NOTSET:
            logger.setLevel(level)

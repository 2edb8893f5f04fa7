"""No personal data in any log line of our processes, nor of Rasa's: every log record is redacted as it is made.

`install_log_redaction()` wraps the logging module's record factory, so it covers every logger and handler
of the process, also those configured later (uvicorn's, Sanic's, Rasa's structlog output, which ends in a
standard logger), and routes Python warnings (Rasa reports odd messages with `warnings.warn`) through
logging. A record's message and each of its arguments are redacted (numbers stay numbers); a traceback is
formatted and redacted too. JSON log lines escape non-ASCII characters (`\\u0663`), so escapes are read
back before redacting. Standard library only (the Rasa channel installs it in Rasa's process).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from wegwijzer.privacy.redact import redact

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_installed = False


def redact_line(text: str) -> str:
    """A log line without personal data (JSON escapes read as the characters they stand for)."""
    if "\\u" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return redact(text).text


def _value(value: Any) -> Any:
    """An argument of a log call, redacted; numbers stay numbers (for %d), anything else becomes its text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else str(value)
    redacted = redact_line(text)
    return value if redacted == text and not isinstance(value, str) else redacted


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    # Message and arguments each on their own, so filters that rewrite the arguments later (the access
    # log's) still find them where they expect them.
    if isinstance(record.msg, str):
        record.msg = redact_line(record.msg)
    else:
        record.msg = _value(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_value(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: _value(arg) for key, arg in record.args.items()}
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_line(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact_line(record.stack_info)
    return record


def install_log_redaction() -> None:
    """Once per process; later calls do nothing."""
    global _installed
    if _installed:
        return
    _installed = True
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted(make(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    logging.captureWarnings(True)

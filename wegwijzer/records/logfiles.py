"""The retention of the log files (var/logs): what is older than the retention goes, with the conversations.

Every log record is redacted before it is written (wegwijzer.privacy.logs), but a log line still says when a
conversation happened and what kind of question it was: it is kept no longer than the conversation itself.

A log file is a series of lines, many starting with a date and time (Rasa's, the API's; `2026-12-06 15:50:12`
or `2026-12-06T15:50:12`), others without one (uvicorn's own lines, the lines of a traceback). A line cannot be
newer than the next line that carries a time, nor than the file's last change; it is removed when that bound is
older than the cutoff, so only what is surely past the retention goes and nothing newer. A file whose last change
is past the cutoff is deleted whole. The processes keep writing to their open files (the stack opens them for
appending), so a file is rewritten in place, never replaced: what a process appends meanwhile is kept.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOG_PATTERNS = ("*.log", "*.log.*")  # the stack's var/logs/<name>.log, and rotated copies
_STAMP = re.compile(rb"^\s*\[?(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


@dataclass(frozen=True)
class LogPurge:
    lines: int = 0  # lines removed from files that stay
    files: int = 0  # whole files removed


def _stamp(line: bytes) -> float | None:
    """The moment a line starts with, as epoch seconds, or None. The processes log in local time (Python's
    logging default); the machine's local time zone reads it back."""
    match = _STAMP.match(line)
    if match is None:
        return None
    try:
        return datetime(*(int(part) for part in match.groups())).timestamp()  # type: ignore[misc]
    except ValueError:
        return None


def _keep_from(lines: list[bytes], modified: float, cutoff: float) -> int:
    """Index of the first line to keep: every line before it is surely older than the cutoff."""
    bound = modified  # no line is newer than the file's last change
    first_kept = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        stamp = _stamp(lines[index])
        if stamp is not None:
            bound = min(bound, stamp)
        if bound >= cutoff:
            first_kept = index
        else:
            break  # this line and all before it are older than the cutoff
    return first_kept


def purge_log_file(path: Path, cutoff: datetime) -> tuple[int, bool]:
    """Remove from one file the lines older than `cutoff`; (lines removed, whether the file was deleted)."""
    moment = cutoff.timestamp()
    stat = path.stat()
    if stat.st_mtime < moment:
        path.unlink()
        return 0, True
    with path.open("r+b") as handle:
        content = handle.read()
        lines = content.splitlines(keepends=True)
        first = _keep_from(lines, stat.st_mtime, moment)
        if first == 0:
            return 0, False
        appended = handle.read()  # written by a process since the read above
        handle.seek(0)
        handle.write(b"".join(lines[first:]) + appended)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    return first, False


def purge_logs(directory: Path | None, cutoff: datetime) -> LogPurge:
    """Apply the retention to every log file in `directory` (nothing when it does not exist)."""
    if cutoff.tzinfo is None:
        cutoff = cutoff.replace(tzinfo=UTC)
    if directory is None or not directory.is_dir():
        return LogPurge()
    lines = files = 0
    paths = sorted({path for pattern in LOG_PATTERNS for path in directory.glob(pattern) if path.is_file()})
    for path in paths:
        try:
            removed, deleted = purge_log_file(path, cutoff)
        except OSError:
            continue  # another purge removed it just now, or it cannot be read: the next purge tries again
        lines += removed
        files += deleted
    return LogPurge(lines, files)

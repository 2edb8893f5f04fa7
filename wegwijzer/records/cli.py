"""The work behind `wegwijzer report` and `wegwijzer records purge` (the argparse part is in wegwijzer/cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from wegwijzer.records.model import utc_now
from wegwijzer.records.render import render_text
from wegwijzer.records.store import RecordStore


def run_report(store: RecordStore, args: argparse.Namespace) -> int:
    if args.days < 0:
        print("--days moet 0 (alles) of meer zijn.", file=sys.stderr)
        return 2
    since = utc_now() - timedelta(days=args.days) if args.days else None
    report = store.report(since, args.gemeente or None)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else render_text(report))
    return 0


def run_purge(store: RecordStore, args: argparse.Namespace) -> int:
    result = store.purge(args.days)
    print(result.describe())
    return 0

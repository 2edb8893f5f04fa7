"""`wegwijzer report` as a readable text table."""

from __future__ import annotations

from typing import Any

from wegwijzer.records import labels


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True)))
    out = [line, "  ".join("-" * w for w in widths)]
    for row in rows:
        out.append(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
    return out


def _questions(title: str, items: list[dict[str, Any]]) -> list[str]:
    lines = ["", title]
    if not items:
        return [*lines, f"  ({labels.NONE_YET})"]
    return lines + [f"  {item['count']:>4}×  {' '.join(item['question'].split())[:160]}" for item in items]


def render_text(report: dict[str, Any]) -> str:
    lines = [labels.TITLE, labels.period(report), ""]
    summary = [["Gesprekken", str(report["conversations"])], ["Vragen", str(report["questions"])]]
    summary += [[label, labels.percent(report["shares"][key])] for key, label in labels.SHARES.items()]
    width = max(len(row[0]) for row in summary)
    lines += [f"{label.ljust(width)}  {value:>7}" for label, value in summary]
    lines += ["", labels.feedback_line(report)]
    lines += _questions(labels.TOP_UNANSWERED, report["top_unanswered"])
    lines += _questions(labels.TOP_BADLY_RATED, report["top_badly_rated"])
    for key, title in labels.DIMENSIONS.items():
        header = [labels.DIMENSION_KEY[key], *labels.COLUMNS.values()]
        rows = [[row["key"] or "(onbekend)", *(labels.cell(row, c) for c in labels.COLUMNS)] for row in report[key]]
        lines += ["", title, *(_table(header, rows) if rows else [f"  ({labels.NONE_YET})"])]
    lines += ["", labels.NOTE]
    return "\n".join(lines)

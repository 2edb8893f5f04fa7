"""The /beheer HTML: server-rendered, no script and no inline style (works under a strict CSP), plain tables."""

from __future__ import annotations

from html import escape
from typing import Any

from wegwijzer.records import labels

HEAD = (
    '<!doctype html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="robots" content="noindex, nofollow">\n<title>{title}</title>\n</head>\n<body>\n<main>\n'
)
FOOT = "</main>\n</body>\n</html>\n"


def _page(title: str, body: str) -> str:
    return HEAD.format(title=escape(title)) + body + FOOT


def message_page(title: str, message: str) -> str:
    return _page(title, f"<h1>{escape(title)}</h1>\n<p>{escape(message)}</p>\n")


def login_page(error: str | None = None) -> str:
    alert = f'<p role="alert">{escape(error)}</p>\n' if error else ""
    return _page(
        "Beheer – inloggen",
        "<h1>Beheer – inloggen</h1>\n"
        f"{alert}"
        '<form method="post" action="/beheer/login">\n'
        '<label for="token">Toegangscode</label>\n'
        '<input id="token" name="token" type="password" autocomplete="current-password" required>\n'
        '<button type="submit">Inloggen</button>\n</form>\n',
    )


def _questions_table(caption: str, items: list[dict[str, Any]]) -> str:
    if not items:
        return f"<h2>{escape(caption)}</h2>\n<p>Nog geen.</p>\n"
    rows = "".join(f"<tr><td>{escape(item['question'])}</td><td>{int(item['count'])}</td></tr>\n" for item in items)
    return (
        f"<h2>{escape(caption)}</h2>\n<table>\n<caption>{escape(caption)} (zonder persoonsgegevens)</caption>\n"
        '<thead><tr><th scope="col">vraag</th><th scope="col">aantal</th></tr></thead>\n'
        f"<tbody>\n{rows}</tbody>\n</table>\n"
    )


def _dimension_table(key: str, title: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"<h2>{escape(title)}</h2>\n<p>Nog geen gesprekken.</p>\n"
    header = "".join(
        f'<th scope="col">{escape(name)}</th>' for name in (labels.DIMENSION_KEY[key], *labels.COLUMNS.values())
    )
    body = "".join(
        f'<tr><th scope="row">{escape(row["key"] or "(onbekend)")}</th>'
        + "".join(f"<td>{escape(labels.cell(row, column))}</td>" for column in labels.COLUMNS)
        + "</tr>\n"
        for row in rows
    )
    return (
        f"<h2>{escape(title)}</h2>\n<table>\n<caption>{escape(title)}</caption>\n"
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
    )


def _filters(days: int, gemeente: str | None) -> str:
    return (
        '<form method="get" action="/beheer">\n'
        f'<label for="days">Laatste dagen (0 = alles)</label>\n'
        f'<input id="days" name="days" type="number" min="0" max="3650" value="{days}">\n'
        '<label for="gemeente">Gemeente (leeg = alle)</label>\n'
        f'<input id="gemeente" name="gemeente" value="{escape(gemeente or "")}">\n'
        '<button type="submit">Toon</button>\n</form>\n'
        '<form method="post" action="/beheer/logout"><button type="submit">Uitloggen</button></form>\n'
    )


def report_page(report: dict[str, Any], days: int, gemeente: str | None) -> str:
    summary_rows = [("Gesprekken", str(report["conversations"])), ("Vragen", str(report["questions"]))]
    summary_rows += [(label, labels.percent(report["shares"][key])) for key, label in labels.SHARES.items()]
    summary = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>\n' for k, v in summary_rows)
    parts = [
        f"<h1>{escape(labels.TITLE)}</h1>\n",
        f"<p>{escape(labels.period(report))}</p>\n",
        _filters(days, gemeente),
        "<h2>Samenvatting</h2>\n<table>\n<caption>Samenvatting</caption>\n<tbody>\n",
        summary,
        "</tbody>\n</table>\n",
        f"<p>{escape(labels.feedback_line(report))}</p>\n",
        _questions_table(labels.TOP_UNANSWERED, report["top_unanswered"]),
        _questions_table(labels.TOP_BADLY_RATED, report["top_badly_rated"]),
        *(_dimension_table(key, title, report[key]) for key, title in labels.DIMENSIONS.items()),
        f"<p>{escape(labels.NOTE)}</p>\n",
        '<p><a href="/api/beheer/report">Dezelfde cijfers als JSON</a></p>\n',
    ]
    return _page(labels.TITLE, "".join(parts))

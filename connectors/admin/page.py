"""The /beheer HTML: server-rendered, no script and no inline style (works under a strict CSP), plain tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from wegwijzer.records import labels
from wegwijzer.records.callbacks import QueuedCallback

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")  # staff read the moment a request came in as their own clock time
QUEUE_PATH = "/beheer/terugbellen"

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


def login_page(error: str | None = None, next_path: str = "/beheer") -> str:
    alert = f'<p role="alert">{escape(error)}</p>\n' if error else ""
    return _page(
        "Beheer – inloggen",
        "<h1>Beheer – inloggen</h1>\n"
        f"{alert}"
        '<form method="post" action="/beheer/login">\n'
        f'<input type="hidden" name="next" value="{escape(next_path)}">\n'
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


def _queue_link(waiting: int | None) -> str:
    if waiting is None:
        return ""
    count = "Er wacht nu geen verzoek." if waiting == 0 else f"Er {'wacht' if waiting == 1 else 'wachten'} {waiting}."
    return f'<p><a href="{QUEUE_PATH}">Terugbelverzoeken</a>. {count}</p>\n'


def report_page(report: dict[str, Any], days: int, gemeente: str | None, waiting: int | None = None) -> str:
    summary_rows = [("Gesprekken", str(report["conversations"])), ("Vragen", str(report["questions"]))]
    summary_rows += [(label, labels.percent(report["shares"][key])) for key, label in labels.SHARES.items()]
    summary = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>\n' for k, v in summary_rows)
    parts = [
        f"<h1>{escape(labels.TITLE)}</h1>\n",
        f"<p>{escape(labels.period(report))}</p>\n",
        _queue_link(waiting),
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


def _contact_link(contact: str) -> str:
    """A phone number as a tel: link and an e-mail address as a mailto: link: staff call with one tap."""
    if "@" in contact:
        return f'<a href="mailto:{escape(contact)}">{escape(contact)}</a>'
    digits = re.sub(r"[^\d+]", "", contact)
    return f'<a href="tel:{escape(digits)}">{escape(contact)}</a>' if digits else escape(contact)


def _request(item: QueuedCallback, best_times: dict[str, str]) -> str:
    received = item.at.astimezone(LOCAL_TIME).strftime("%d-%m-%Y %H:%M")
    heading = f"request-{item.id}"
    if item.fields is None:
        title = f"Verzoek {item.id} ({item.gemeente})"
        details = (
            "<p>Dit verzoek is niet te lezen: het is met een andere sleutel op slot gezet. "
            "U kunt het verwijderen.</p>\n"
        )
    else:
        title = f"{item.get('first_name')} ({item.gemeente})"
        rows = [
            ("Ontvangen", escape(received)),
            ("Telefoon of e-mail", _contact_link(item.get("contact"))),
            ("Wanneer", escape(best_times.get(item.get("best_time"), item.get("best_time")))),
            ("Waar gaat het over", escape(item.get("summary"))),
            ("Taal", escape(item.get("lang"))),
        ]
        details = "<dl>\n" + "".join(f"<dt>{name}</dt><dd>{value}</dd>\n" for name, value in rows) + "</dl>\n"
    return (
        f'<li>\n<h2 id="{heading}">{escape(title)}</h2>\n{details}'
        f'<form method="post" action="{QUEUE_PATH}/{item.id}/afgehandeld">'
        f'<button type="submit" aria-describedby="{heading}">Afgehandeld: verwijderen</button></form>\n</li>\n'
    )


def queue_page(
    items: Sequence[QueuedCallback], best_times: dict[str, str], retention_days: int, done: bool = False
) -> str:
    parts = [
        "<h1>Terugbelverzoeken</h1>\n",
        '<p><a href="/beheer">Naar het verslag van de gesprekken</a></p>\n',
        '<p role="status">Het verzoek is verwijderd.</p>\n' if done else "",
        (
            f"<p>Inwoners vroegen via het formulier om teruggebeld te worden. Het oudste verzoek staat bovenaan. "
            f"Hebt u gebeld of gemaild? Klik dan op 'Afgehandeld': het verzoek wordt meteen gewist. "
            f"Na {retention_days} dagen wordt een verzoek vanzelf gewist.</p>\n"
        ),
    ]
    if not items:
        parts.append("<p>Er wacht nu geen verzoek.</p>\n")
    else:
        parts.append(f"<p>{len(items)} {'verzoek wacht' if len(items) == 1 else 'verzoeken wachten'}.</p>\n")
        parts.append("<ol>\n" + "".join(_request(item, best_times) for item in items) + "</ol>\n")
    parts.append('<form method="post" action="/beheer/logout"><button type="submit">Uitloggen</button></form>\n')
    return _page("Beheer – terugbelverzoeken", "".join(parts))

"""The answer when a request is refused before it reaches a route (413, 429): one Dutch sentence, as JSON
for programs and the chat script, as a small page for a browser's form post (the chat without JavaScript,
the /beheer login)."""

from __future__ import annotations

from html import escape

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

PAGE = (
    '<!doctype html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    "<title>{title}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{sentence}</p>\n"
    '<p><a href="/">Terug naar de chat</a></p>\n</main>\n</body>\n</html>\n'
)
TITLES = {413: "Dit bericht is te groot", 429: "Even wachten"}


def wants_html(scope: Scope) -> bool:
    accept = Headers(scope=scope).get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def refusal(scope: Scope, status: int, sentence: str, retry_after: int | None = None) -> Response:
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if wants_html(scope):
        title = TITLES.get(status, "Dit lukte niet")
        return HTMLResponse(PAGE.format(title=escape(title), sentence=escape(sentence)), status, headers)
    return JSONResponse({"detail": sentence}, status, headers)


def seconds(n: int) -> str:
    return "1 seconde" if n == 1 else f"{n} seconden"


def too_large(limit: int) -> str:
    return f"Het verzoek is te groot: hoogstens {limit // 1024} kB. Maak uw bericht korter en probeer het opnieuw."


def too_many_messages(wait: int) -> str:
    return (
        f"U stuurt veel berichten kort na elkaar. Wacht {seconds(wait)} en stuur uw bericht dan opnieuw. "
        "Bij direct gevaar: bel 112."
    )


def too_many_requests(wait: int) -> str:
    return (
        f"Er komen te veel verzoeken van uw adres. Wacht {seconds(wait)} en probeer het dan opnieuw. "
        "Bij direct gevaar: bel 112."
    )


def too_many_logins(wait: int) -> str:
    return f"Te veel inlogpogingen. Wacht {seconds(wait)} en probeer het dan opnieuw."

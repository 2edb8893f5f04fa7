"""The pages: the resident's chat (also without JavaScript), the widget, the front desk, privacy, the accessibility
statement, sources."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from connectors.api import validation
from connectors.api.errors import ApiError
from connectors.api.routes.chat import answer_json, ask, chat_request
from connectors.api.routes.search import lookup
from connectors.api.schemas import ChatIn
from connectors.api.sessions import client_cookie, give_client_cookie
from connectors.api.state import AppState
from wegwijzer.knowledge import Gemeente

router = APIRouter(include_in_schema=False)
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _state(request: Request) -> AppState:
    return request.app.state.wegwijzer  # type: ignore[no-any-return]


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    state = _state(request)
    values.setdefault("gemeenten", sorted(state.knowledge.gemeenten.values(), key=lambda g: g.name))
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status)


def _gemeente(state: AppState, value: str | None) -> Gemeente | None:
    try:
        return state.knowledge.gemeenten[validation.gemeente(state.knowledge, value)]
    except ApiError:
        return None


def chat_page(request: Request, place: Gemeente | None, embed: bool, status: int = 200, **values: Any) -> HTMLResponse:
    """The chat; its form carries the session token the API gave (none yet: the first message starts one).
    The client's cookie is set here already, so the first message's session is bound to it."""
    values.setdefault("session_id", "")
    values.setdefault("transcript", [])
    values.setdefault("color", None)
    response = page(
        request, "widget_frame.html" if embed else "index.html", status, gemeente=place, embed=embed, **values
    )
    give_client_cookie(request, response)
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, gemeente: str | None = None) -> HTMLResponse:
    state = _state(request)
    place = _gemeente(state, gemeente or state.settings.default_gemeente)
    if place is None:
        error = f"Deze gemeente kennen we niet: {gemeente}. Kies uw gemeente uit de lijst." if gemeente else None
        return page(request, "choose.html", 404 if gemeente else 200, error=error)
    return chat_page(request, place, embed=False)


@router.post("/chat", response_class=HTMLResponse)
async def chat_without_javascript(
    request: Request,
    message: str = Form(""),
    gemeente: str = Form(""),
    session_id: str = Form(""),
    shown: str = Form(""),
    embed: str = Form(""),
    color: str = Form(""),
) -> HTMLResponse:
    """The form on '/' posts here when JavaScript is off: the answer comes back as a whole page."""
    state = _state(request)
    place = _gemeente(state, gemeente)
    is_embed, accent = embed == "1", color if _COLOR.match(color) else None
    if place is None:
        return page(request, "choose.html", 422, error="Kies eerst uw gemeente.")
    try:
        chat, session = chat_request(
            state, ChatIn(session_id=session_id or None, message=message, gemeente=place.id), client_cookie(request)
        )
    except ApiError as error:
        kept = "" if error.field == "session_id" else session_id
        return chat_page(request, place, is_embed, 422, error=error.detail, session_id=kept, color=accent)
    answer = answer_json(state, await ask(state, chat), session)
    transcript = [{"who": "user", "text": shown.strip() or chat.message}, {"who": "bot", **answer}]
    return chat_page(request, place, is_embed, session_id=session.token, transcript=transcript, color=accent)


@router.get("/widget/frame", response_class=HTMLResponse)
async def widget_frame(request: Request, gemeente: str | None = None, color: str | None = None) -> HTMLResponse:
    state = _state(request)
    place = _gemeente(state, gemeente)
    if place is None:
        return page(request, "choose.html", 404, error="De chat weet niet voor welke gemeente hij werkt.")
    return chat_page(request, place, embed=True, color=color if color and _COLOR.match(color) else None)


@router.get("/widget.js")
async def widget_script(request: Request) -> Response:
    path = _state(request).settings.dist / "widget.js"
    if not path.is_file():
        return PlainTextResponse("/* widget niet gebouwd: npm run build in connectors/web */", 503)
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})


@router.get("/balie", response_class=HTMLResponse)
async def balie(request: Request, gemeente: str | None = None, topic: str | None = None, q: str = "") -> HTMLResponse:
    state = _state(request)
    place = _gemeente(state, gemeente or state.settings.default_gemeente) or min(
        state.knowledge.gemeenten.values(), key=lambda g: g.name
    )
    topics = sorted(state.knowledge.topics.values(), key=lambda t: t.name["nl"])
    chosen = topic if topic in state.knowledge.topics else None
    results, error = None, None
    if q.strip() or chosen:  # without JavaScript the form comes here with its question
        try:
            results = await lookup(state, q, place.id, 5, chosen)
        except ApiError as problem:
            error = problem.detail
    return page(
        request, "balie.html", 200, gemeente=place, topics=topics, topic=chosen, q=q, results=results, error=error
    )


@router.get("/privacy", response_class=HTMLResponse)
async def privacy(request: Request) -> HTMLResponse:
    return page(request, "privacy.html")


@router.get("/toegankelijkheid", response_class=HTMLResponse)
async def accessibility_statement(request: Request) -> HTMLResponse:
    return page(request, "toegankelijkheid.html")


@router.get("/bronnen/{document_id}", response_class=HTMLResponse)
async def source_document(request: Request, document_id: str) -> HTMLResponse:
    document = _state(request).knowledge.documents.get(document_id)
    if document is None:
        return page(request, "not_found.html", 404)
    return page(request, "source.html", document=document)


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    return page(request, "docs.html")

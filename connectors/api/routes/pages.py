"""The pages: the resident's chat (also without JavaScript), the widget, the front desk, privacy, the accessibility
statement, sources."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from connectors.api import validation
from connectors.api.errors import ApiError
from connectors.api.linkify import paragraphs
from connectors.api.page_language import all_words, document_name, fill, languages, page_language, words
from connectors.api.routes.chat import answer_json, ask, chat_request
from connectors.api.routes.search import lookup
from connectors.api.schemas import ChatIn
from connectors.api.sessions import client_cookie, give_client_cookie
from connectors.api.sources import find_section_by_id, is_export_leftover
from connectors.api.state import AppState
from connectors.api.theme import stylesheet
from wegwijzer.knowledge import Gemeente

router = APIRouter(include_in_schema=False)
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _state(request: Request) -> AppState:
    return request.app.state.wegwijzer  # type: ignore[no-any-return]


def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """A page in its language (`lang`, default Dutch) with its words (`t`), filled in for the gemeente."""
    state = _state(request)
    values.setdefault("gemeenten", sorted(state.knowledge.gemeenten.values(), key=lambda g: g.name))
    lang = page_language(state.knowledge, values.get("lang"))
    place = values.get("gemeente")
    values["lang"] = lang
    values["t"] = {k: fill(v, gemeente=place.name if place else "") for k, v in words(state.knowledge, lang).items()}
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status)


def _gemeente(state: AppState, value: str | None) -> Gemeente | None:
    try:
        return state.knowledge.gemeenten[validation.gemeente(state.knowledge, value)]
    except ApiError:
        return None


def _opening(state: AppState, place: Gemeente, lang: str) -> dict[str, Any]:
    """The assistant's opening words as the first message: the chat says at once that it is a chatbot."""
    text = state.knowledge.texts[lang].texts["opening"].replace("{gemeente}", place.name)
    reply = {"text": text, "buttons": [], "lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
    return {"who": "bot", "opening": True, "replies": [{**reply, "paragraphs": paragraphs(text)}], "sources": []}


def chat_page(
    request: Request, place: Gemeente, embed: bool, status: int = 200, lang: str | None = None, **values: Any
) -> HTMLResponse:
    """The chat in `lang`: the page's words and the opening in that language; `lang_chosen` when the
    resident picked it, so each message asks the assistant for it. Its form carries the session token the
    API gave (none yet: the first message starts one). The client's cookie is set here already, so the
    first message's session is bound to it."""
    state = _state(request)
    shown = page_language(state.knowledge, lang)
    values.setdefault("session_id", "")
    values.setdefault("transcript", [])
    values.setdefault("color", None)
    values.setdefault("lang_chosen", lang is not None and lang == shown)
    values.setdefault("chat_lang", shown if values["lang_chosen"] else None)
    every = all_words(state.knowledge)
    for code, labels in every.items():
        labels.update({k: fill(v, gemeente=place.name) for k, v in labels.items()})
        labels["opening"] = state.knowledge.texts[code].texts["opening"].replace("{gemeente}", place.name)
    base = "/widget/frame" if embed else "/"
    extra = {"color": values["color"]} if embed and values["color"] else {}
    links = [
        {**option, "href": f"{base}?{urlencode({'gemeente': place.id, **extra, 'lang': option['code']})}"}
        for option in languages(state.knowledge)
    ]
    response = page(
        request,
        "widget_frame.html" if embed else "index.html",
        status,
        gemeente=place,
        embed=embed,
        lang=shown,
        all_words=every,
        opening=_opening(state, place, shown),
        language_links=links,
        **values,
    )
    give_client_cookie(request, response)
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, gemeente: str | None = None, lang: str | None = None) -> HTMLResponse:
    state = _state(request)
    place = _gemeente(state, gemeente or state.settings.default_gemeente)
    if place is None:
        error = f"Deze gemeente kennen we niet: {gemeente}. Kies uw gemeente uit de lijst." if gemeente else None
        return page(request, "choose.html", 404 if gemeente else 200, error=error)
    return chat_page(request, place, embed=False, lang=lang)


@router.post("/chat", response_class=HTMLResponse)
async def chat_without_javascript(
    request: Request,
    message: str = Form(""),
    gemeente: str = Form(""),
    session_id: str = Form(""),
    shown: str = Form(""),
    embed: str = Form(""),
    color: str = Form(""),
    lang: str = Form(""),
) -> HTMLResponse:
    """The form on '/' posts here when JavaScript is off: the answer comes back as a whole page, in the
    language of the answer (which the next message then asks for, as the script does)."""
    state = _state(request)
    place = _gemeente(state, gemeente)
    is_embed, accent = embed == "1", color if _COLOR.match(color) else None
    asked = lang if lang in state.knowledge.texts else None
    if place is None:
        return page(request, "choose.html", 422, error="Kies eerst uw gemeente.")
    try:
        chat, session = await run_in_threadpool(
            chat_request,
            state,
            ChatIn(session_id=session_id or None, message=message, gemeente=place.id, lang=asked),
            client_cookie(request),
        )
    except ApiError as error:
        kept = "" if error.field == "session_id" else session_id
        return chat_page(request, place, is_embed, 422, lang=asked, error=error.detail, session_id=kept, color=accent)
    answer = answer_json(state, await ask(state, chat), session, chat.lang)
    transcript = [{"who": "user", "text": shown.strip() or chat.message}, {"who": "bot", **answer}]
    return chat_page(
        request, place, is_embed, lang=answer["lang"], session_id=session.token, transcript=transcript, color=accent
    )


@router.get("/widget/frame", response_class=HTMLResponse)
async def widget_frame(
    request: Request, gemeente: str | None = None, color: str | None = None, lang: str | None = None
) -> HTMLResponse:
    state = _state(request)
    place = _gemeente(state, gemeente)
    if place is None:
        return page(request, "choose.html", 404, error="De chat weet niet voor welke gemeente hij werkt.")
    return chat_page(request, place, embed=True, lang=lang, color=color if color and _COLOR.match(color) else None)


@router.get("/thema/{gemeente_id}.css")
async def theme_stylesheet(request: Request, gemeente_id: str) -> Response:
    """The gemeente's colours as design tokens (an unknown gemeente gets the default colours)."""
    theme = _state(request).knowledge.themes.get(gemeente_id)
    return Response(stylesheet(theme), media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


WIDGET_WORDS = ("widget_open", "who_bot", "widget_close", "widget_close_label", "widget_title")


@router.get("/widget.js")
async def widget_script(request: Request) -> Response:
    """The widget, with its own words in every language (knowledge/texts) and the gemeenten's names filled
    in: the button and bar on the host page follow the conversation's language without asking our origin
    for anything else (a host's CSP allows us in script-src, not in connect-src)."""
    state = _state(request)
    path = state.settings.dist / "widget.js"
    if not path.is_file():
        return PlainTextResponse("/* widget niet gebouwd: npm run build in connectors/web */", 503)
    every = {
        code: {k: v for k, v in labels.items() if k in WIDGET_WORDS}
        for code, labels in all_words(state.knowledge).items()
    }
    names = {g.id: g.name for g in state.knowledge.gemeenten.values()}
    script = (
        path.read_text(encoding="utf-8")
        .replace("/*wegwijzer:words*/ {}", json.dumps(every, ensure_ascii=True), 1)
        .replace("/*wegwijzer:names*/ {}", json.dumps(names, ensure_ascii=True), 1)
    )
    return Response(script, media_type="text/javascript", headers={"Cache-Control": "public, max-age=300"})


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


# The privacy page, the accessibility statement and the source pages come in the conversation's language
# (`lang`, which the chat's links carry): their labels from knowledge/texts; the text that exists only in
# Dutch says so and is marked lang="nl".


@router.get("/privacy", response_class=HTMLResponse)
async def privacy(request: Request, gemeente: str | None = None, lang: str | None = None) -> HTMLResponse:
    place = _gemeente(_state(request), gemeente) if gemeente else None
    return page(request, "privacy.html", gemeente=place, lang=lang)


@router.get("/toegankelijkheid", response_class=HTMLResponse)
async def accessibility_statement(request: Request, lang: str | None = None) -> HTMLResponse:
    return page(request, "toegankelijkheid.html", lang=lang)


@router.get("/bronnen/{document_id}", response_class=HTMLResponse)
async def source_document(request: Request, document_id: str, lang: str | None = None) -> HTMLResponse:
    state = _state(request)
    document = state.knowledge.documents.get(document_id)
    if document is None:
        return page(request, "not_found.html", 404)
    sections = [s for s in document.sections if not is_export_leftover(document, s)]
    place = state.knowledge.gemeenten.get(document.gemeente)
    return page(request, "source.html", document=document, sections=sections, gemeente=place, lang=lang)


@router.get("/bronnen/{document_id}/{section_id}", response_class=HTMLResponse)
async def source_section(request: Request, document_id: str, section_id: str, lang: str | None = None) -> HTMLResponse:
    """One cited part of a source text: its heading, the headings it falls under, its paragraphs."""
    state = _state(request)
    document = state.knowledge.documents.get(document_id)
    section = find_section_by_id(document, section_id) if document else None
    if document is None or section is None:
        return page(request, "not_found.html", 404)
    place = state.knowledge.gemeenten.get(document.gemeente)
    return page(
        request,
        "source_section.html",
        document=document,
        section=section,
        document_label=document_name(document.title, document.year),
        gemeente=place,
        lang=lang,
    )


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> HTMLResponse:
    return page(request, "docs.html")

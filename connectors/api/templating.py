"""Jinja templates of the pages, with a `static()` helper that adds a content hash for cache busting."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from connectors.api.linkify import Segment, segments
from connectors.api.page_language import fill, with_lang, words
from connectors.api.settings import ApiSettings
from wegwijzer.knowledge.text import strip_emphasis


@cache
def _manifest(dist: Path) -> dict[str, str]:
    try:
        return dict(json.loads((dist / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def paragraphs(text: str) -> Markup:
    """Bot text with its line breaks kept: one <p> per paragraph, <br> within, everything escaped."""
    blocks = [b for b in str(text).split("\n\n") if b.strip()] or [""]
    html = "".join(
        f'<p class="utrecht-paragraph">{Markup("<br>").join(escape(line) for line in b.strip().split(chr(10)))}</p>'
        for b in blocks
    )
    return Markup(html)


def page_words(request: Request, gemeente: str = "", lang: str = "nl") -> dict[str, str]:
    """The pages' words for a page rendered without them (another router's page on base.html)."""
    knowledge: Any = request.app.state.wegwijzer.knowledge
    return {key: fill(text, gemeente=gemeente) for key, text in words(knowledge, lang).items()}


def linked(text: str | None) -> list[Segment]:
    """A contact fact (a phone number, a web address) as segments with its link."""
    return segments(str(text or ""))


def make_templates(settings: ApiSettings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(settings.templates))

    def static(name: str) -> str:
        version = _manifest(settings.dist).get(name)
        return f"/static/{name}?v={version}" if version else f"/static/{name}"

    env = templates.env
    env.globals["static"] = static
    env.globals["retention_days"] = settings.retention_days
    env.globals["callback_retention_days"] = settings.callback_retention_days
    env.filters["paragraphs"] = paragraphs
    env.filters["plain"] = strip_emphasis
    env.filters["linked"] = linked
    env.filters["with_lang"] = with_lang
    env.globals["page_words"] = page_words
    return templates

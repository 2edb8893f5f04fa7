"""The pages' own words (headings, labels, buttons) in the conversation's language, from the `page:` part
of knowledge/texts, and how a source is named for a resident ("Uit: ..., over ...")."""

from __future__ import annotations

import re
import string
from typing import Any

from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.text import strip_emphasis

DEFAULT_LANGUAGE = "nl"
ORDER = ("nl", "en", "ar", "tr", "uk", "pl")  # the order of the language choice in the header
RIGHT_TO_LEFT = frozenset({"ar"})


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def page_language(knowledge: KnowledgeBase, lang: str | None) -> str:
    return lang if lang in knowledge.texts else DEFAULT_LANGUAGE


def direction(lang: str | None) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def languages(knowledge: KnowledgeBase) -> list[dict[str, str]]:
    """The languages a resident can choose, each named in itself ('English', 'العربية')."""
    return [
        {"code": code, "name": knowledge.texts[code].name, "dir": direction(code)}
        for code in ORDER
        if code in knowledge.texts
    ]


def with_lang(url: str | None, lang: str | None) -> str | None:
    """A link to one of our pages in the conversation's language (Dutch, the default, needs no parameter)."""
    if not url or not lang or lang == DEFAULT_LANGUAGE:
        return url
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


def words(knowledge: KnowledgeBase, lang: str | None) -> dict[str, str]:
    """Every page word in one language; a word not yet translated is the Dutch one."""
    dutch = knowledge.texts[DEFAULT_LANGUAGE].page if DEFAULT_LANGUAGE in knowledge.texts else {}
    own = knowledge.texts[lang].page if lang in knowledge.texts else {}
    return {**dutch, **own}


def all_words(knowledge: KnowledgeBase) -> dict[str, dict[str, str]]:
    """Per language, for the chat script: it switches the labels when the conversation changes language."""
    return {code: words(knowledge, code) for code in knowledge.texts}


def fill(template: str, **values: object) -> str:
    return string.Formatter().vformat(template, (), _Blank({k: str(v) for k, v in values.items()}))


def _topic_words(title: str) -> str:
    """A section heading as words within a sentence: 'Armoede en schulden' -> 'armoede en schulden'.
    An abbreviation or a name ('WMO en mantelzorg', 'Wmo', 'Clup Welzijn') keeps its capital."""
    title = strip_emphasis(title).strip().rstrip(".:")
    first = title.split(" ", 1)[0]
    if len(first) >= 4 and first.isalpha() and first[1:].islower() and " " in title:
        return title[0].lower() + title[1:]
    return title


def document_name(title: str, year: int | None) -> str:
    title = strip_emphasis(title).strip()
    return f"{title} {year}" if year and str(year) not in title else title


def source_label(source: dict[str, Any], page: dict[str, str]) -> str:
    """'Uit: Programmadoelen sociaal domein 2023, over armoede en schulden': the document and what the
    cited part is about (its own heading), never the path of headings above it."""
    document = document_name(str(source.get("document") or ""), source.get("year"))
    parts = [p for p in re.split(r"\s+>\s+", str(source.get("section") or "")) if p.strip()]
    if not parts:
        return fill(page["source_whole"], document=document)
    return fill(page["source_part"], document=document, section=_topic_words(parts[-1]))

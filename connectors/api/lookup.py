"""The front-desk and professional lookup: search results (or a topic's places) as JSON."""

from __future__ import annotations

from typing import Any

import numpy as np

from connectors.api.highlight import segments
from connectors.api.linkify import segments as link_segments
from connectors.api.referral import ReferralTemplate
from connectors.api.sources import quote_url, source_url
from index.chunking import Passage
from index.search import Searcher, SearchResult
from wegwijzer.knowledge import KnowledgeBase, Service

TOP_TOPICS_PER_PASSAGE = 3


def topic_names(knowledge: KnowledgeBase, ids: tuple[str, ...] | list[str], lang: str = "nl") -> list[dict[str, str]]:
    return [{"id": t, "name": knowledge.topics[t].name.get(lang, t)} for t in ids if t in knowledge.topics]


def for_whom(knowledge: KnowledgeBase, service: Service) -> str:
    names = [knowledge.topics[t].name["nl"].lower() for t in service.topics if t in knowledge.topics]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} of {names[-1]}"
    return f"Voor mensen met vragen over {listed}."


def service_json(
    service: Service, knowledge: KnowledgeBase, referral: ReferralTemplate, score: float | None = None
) -> dict[str, Any]:
    contact = service.contact
    source: dict[str, Any] | None = None
    if service.source_document and service.source_document in knowledge.documents:
        document = knowledge.documents[service.source_document]
        source = {
            "document": document.id,
            "title": document.title,
            "year": document.year,
            "quote": service.source_quote,
            "url": quote_url(knowledge, document.id, service.source_quote or ""),
        }
    elif service.source_public:
        source = {"document": None, "title": service.source_public, "year": None, "quote": None, "url": None}
    return {
        "id": service.id,
        "name": service.name,
        "kind": service.kind,
        "gemeente": service.gemeente,
        "national": service.is_national,
        "summary": service.summary["nl"],
        "for_whom": for_whom(knowledge, service),
        "topics": topic_names(knowledge, service.topics),
        "contact": {
            "phone": contact.phone,
            "email": contact.email,
            "website": contact.website,
            "address": contact.address,
            "how": contact.how["nl"],
            "how_segments": link_segments(contact.how["nl"]),
        },
        "source": source,
        "referral": referral.render(service, knowledge),
        "score": None if score is None else round(score, 4),
    }


def passage_json(passage: Passage, query: str, knowledge: KnowledgeBase, score: float) -> dict[str, Any]:
    return {
        "id": passage.id,
        "document": passage.document,
        "document_title": passage.document_title,
        "year": passage.year,
        "gemeente": passage.gemeente,
        "section": " > ".join(passage.section_path),
        "citation": passage.citation(),
        "text": passage.text,
        "segments": segments(passage.text, query),
        "url": source_url(knowledge, passage.document, passage.section, passage.gemeente),
        "score": round(score, 4),
    }


def passage_topics(searcher: Searcher) -> dict[str, set[str]]:
    """For each passage id, the topics it fits best (from the index's topic affinity)."""
    stored = searcher.stored
    result: dict[str, set[str]] = {}
    for n, row in enumerate(searcher.passage_order):
        best = np.argsort(-stored.topic_affinity[n])[:TOP_TOPICS_PER_PASSAGE]
        result[stored.items[row].key] = {stored.topic_order[int(t)] for t in best}
    return result


def result_json(
    result: SearchResult,
    knowledge: KnowledgeBase,
    referral: ReferralTemplate,
    k: int,
    services: int,
    topic: str | None = None,
    fits: dict[str, set[str]] | None = None,
) -> dict[str, Any]:
    """`fits` (passage id -> its best topics) filters the passages when a topic is chosen."""
    service_hits = [h for h in result.services if topic is None or topic in h.service.topics][:services]
    passage_hits = result.passages
    if topic is not None and fits is not None:
        passage_hits = [h for h in passage_hits if topic in fits.get(h.passage.id, set())]
    return {
        "query": result.query,
        "gemeente": result.gemeente,
        "topic": topic,
        "services": [service_json(h.service, knowledge, referral, h.score) for h in service_hits],
        "passages": [passage_json(h.passage, result.query, knowledge, h.score) for h in passage_hits[:k]],
        "topics": [
            {"id": t.topic, "name": knowledge.topics[t.topic].name["nl"], "probability": round(t.probability, 4)}
            for t in result.topics
            if t.topic in knowledge.topics
        ],
    }


def topic_listing(knowledge: KnowledgeBase, referral: ReferralTemplate, gemeente: str, topic: str) -> dict[str, Any]:
    """No question, only a topic: every place of the gemeente (and the national lines) for that topic."""
    services = [s for s in knowledge.services_for(gemeente) if topic in s.topics]
    services.sort(key=lambda s: (s.is_national, s.name.lower()))
    return {
        "query": "",
        "gemeente": gemeente,
        "topic": topic,
        "services": [service_json(s, knowledge, referral) for s in services],
        "passages": [],
        "topics": [],
    }

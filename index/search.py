"""Answer a question with the best passages, places and topic for one gemeente.

Each encoder scores the candidates; scores are z-normalised per encoder and fused. Topics are
scored by their closest example messages; places by their card, their own example messages,
their topics and exact words; passages by their own similarity, by how well they fit the likely
topics, by exact words, and by being a source of one of the likely places.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import faiss
import numpy as np

from index.build import model_identities, stale_reason
from index.chunking import Passage, all_passages
from index.encoders import Encoder, encode_query_features
from index.errors import IndexStaleError, QueryError
from index.lexical import Bm25
from index.question import ASKER_ROLES, POLICY_TOPIC, DefinitionQuestion, FrameStripper, quoted_phrases
from index.store import StoredIndex
from wegwijzer.knowledge import KnowledgeBase, Service, Topic
from wegwijzer.knowledge.model import NATIONAL
from wegwijzer.knowledge.text import contains_verbatim, fold, plain_markdown

MAX_QUERY_CHARS = 2000
REMEMBERED_ENCODINGS = 32  # texts encoded for the crisis check, kept for the search of the same text


@dataclass(frozen=True)
class Weights:
    """How the signals are combined; chosen on the development set (see docs/retrieval.md)."""

    topic_temperature: float = 0.6
    topic_lexical: float = 0.4
    nearest_examples: int = 3
    passage_topic: float = 0.6
    passage_service_source: float = 10.0
    passage_service_also: float = 0.7  # share of the boost for the place's further quotes
    passage_lexical: float = 0.25
    service_card: float = 0.5
    service_examples: float = 3.0
    service_topic: float = 2.5  # against 1.5: leave-one-out place@3 0.926 -> 0.937 (docs/retrieval.md)
    service_temperature: float = 1.0
    no_place_score: float = 8.0  # the score of "none of these places": P(place) stays low when all fit badly
    passage_definition: float = 1.0  # margin by which a glossary definition of the word asked about comes first
    passage_quote: float = 2.0  # a passage holding a phrase the question quotes
    asker_place_lift: float = 0.5  # share of the places' lift when a professional or the front desk asks


@dataclass(frozen=True)
class PassageHit:
    passage: Passage
    score: float


@dataclass(frozen=True)
class ServiceHit:
    service: Service
    score: float


@dataclass(frozen=True)
class TopicHit:
    topic: str
    probability: float


@dataclass
class SearchResult:
    query: str
    gemeente: str
    passages: list[PassageHit] = field(default_factory=list)
    services: list[ServiceHit] = field(default_factory=list)
    topics: list[TopicHit] = field(default_factory=list)


def _zscore(values: np.ndarray) -> np.ndarray:
    if values.size < 2:
        return np.zeros_like(values)
    return (values - values.mean()) / (values.std() + 1e-6)


def _top_mean(values: np.ndarray, n: int) -> float:
    return float(np.sort(values)[::-1][:n].mean()) if values.size else -10.0


def _topic_document(topic: Topic) -> str:
    """All words of a topic, for exact-word matching: description and Dutch and English examples."""
    examples = [*topic.examples.get("nl", ()), *topic.examples.get("en", ())]
    return " ".join([topic.description["nl"], topic.description["en"], *examples])


class _Rows:
    """Rows of the index of one kind that one gemeente may see, with a faiss selector for them."""

    def __init__(self, rows: list[int]) -> None:
        self.rows = np.array(rows, dtype=np.int64)
        self.selector = faiss.IDSelectorBatch(self.rows) if rows else None
        self.lookup = np.full((max(rows) + 1) if rows else 0, -1, dtype=np.int64)  # row -> position, or -1
        self.lookup[self.rows] = np.arange(len(rows))

    def position(self, row: int) -> int:
        return int(self.lookup[row]) if row < len(self.lookup) else -1


@dataclass
class _GemeenteView:
    passages: _Rows
    cards: _Rows
    service_examples: _Rows
    passage_words: Bm25
    passage_affinity: np.ndarray  # (passages of this gemeente, topics)
    defined_terms: dict[int, str]  # position of a glossary passage -> the term it defines
    folded_texts: list[str]  # each passage folded, whitespace collapsed: for quoted phrases


def check_fresh(stored: StoredIndex, knowledge: KnowledgeBase, encoders: Sequence[Encoder]) -> None:
    reason = stale_reason(stored.manifest, knowledge, model_identities(encoders))
    if reason:
        raise IndexStaleError(reason)


class Searcher:
    def __init__(
        self,
        knowledge: KnowledgeBase,
        stored: StoredIndex,
        encoders: Sequence[Encoder],
        weights: Weights | None = None,
    ) -> None:
        check_fresh(stored, knowledge, encoders)
        self.knowledge, self.stored, self.encoders = knowledge, stored, list(encoders)
        self.weights = weights or Weights()
        self.passages = {p.id: p for p in all_passages(knowledge)}
        items = stored.items
        self.passage_order = [i for i, item in enumerate(items) if item.kind == "passage"]
        self._affinity_row = {row: n for n, row in enumerate(self.passage_order)}
        self.topic_index = {t: n for n, t in enumerate(stored.topic_order)}
        self.examples = _Rows([i for i, item in enumerate(items) if item.kind == "example"])
        self.example_topics = np.array([self.topic_index[items[i].key] for i in self.examples.rows], dtype=np.int64)
        self.topic_words = Bm25([_topic_document(knowledge.topics[t]) for t in stored.topic_order])
        self.views = {gemeente: self._view(gemeente) for gemeente in knowledge.gemeenten}
        self.quoted_rows = self._rows_quoted_by_services()
        self.frames = FrameStripper(pattern for texts in knowledge.texts.values() for pattern in texts.frames)
        self.definitions = DefinitionQuestion(
            pattern for texts in knowledge.texts.values() for pattern in texts.definition_questions
        )
        self._encoded: OrderedDict[str, dict[str, np.ndarray]] = OrderedDict()
        self._encoded_lock = threading.Lock()

    def _view(self, gemeente: str) -> _GemeenteView:
        items = self.stored.items

        def rows(kind: str, *owners: str) -> list[int]:
            return [i for i, item in enumerate(items) if item.kind == kind and item.gemeente in owners]

        passages, cards = _Rows(rows("passage", gemeente)), _Rows(rows("service", gemeente, NATIONAL))
        texts = [self.passages[items[i].key] for i in passages.rows]
        return _GemeenteView(
            passages=passages,
            cards=cards,
            service_examples=_Rows(rows("service_example", gemeente, NATIONAL)),
            passage_words=Bm25([passage.text for passage in texts]),
            passage_affinity=self.stored.topic_affinity[[self._affinity_row[int(r)] for r in passages.rows]],
            defined_terms={n: passage.term for n, passage in enumerate(texts) if passage.term},
            folded_texts=[fold(plain_markdown(passage.text)) for passage in texts],
        )

    def _rows_quoted_by_services(self) -> dict[str, dict[int, float]]:
        """For each place, the passage rows that hold one of its quotes: 1.0 for its main source,
        `passage_service_also` for the further quotes."""
        quoted: dict[str, dict[int, float]] = {}
        for service in self.knowledge.services.values():
            rows: dict[int, float] = {}
            for n, (document, quote) in enumerate(service.quotes):
                weight = 1.0 if n == 0 and service.source_quote else self.weights.passage_service_also
                for row in self.passage_order:
                    key = self.stored.items[row].key
                    if key.startswith(f"{document}#") and contains_verbatim(self.passages[key].text, quote):
                        rows[row] = max(rows.get(row, 0.0), weight)
            quoted[service.id] = rows
        return quoted

    def validate(self, query: str, gemeente: str) -> str:
        text = query.strip()
        if not text:
            raise QueryError("De vraag is leeg. Typ een vraag, bijvoorbeeld: 'ik kan de huur niet betalen'.")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"De vraag is te lang ({len(text)} tekens). Houd het onder {MAX_QUERY_CHARS} tekens.")
        if gemeente not in self.views:
            raise QueryError(f"Onbekende gemeente '{gemeente}'. Kies uit: {', '.join(sorted(self.views))}.")
        return text

    def encode(self, query: str) -> dict[str, np.ndarray]:
        with self._encoded_lock:
            known = self._encoded.get(query)
        if known is not None:
            return known
        return {name: vectors[0] for name, vectors in self.encode_texts([query]).items()}

    def encode_texts(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each encoder's query vectors for `texts` (name -> (n, dim)), one call per encoder, with the
        extra features of the same run (the crisis detector's, `encode_query_features`). They are
        remembered a while, so a message encoded for the crisis check is not encoded again to search it."""
        with self._encoded_lock:
            known = [self._encoded.get(text) for text in texts]
        if texts and all(k is not None for k in known):
            first = known[0]
            assert first is not None
            return {name: np.stack([k[name] for k in known if k is not None]) for name in first}
        vectors = encode_query_features(self.encoders, texts)
        with self._encoded_lock:
            for n, text in enumerate(texts):
                self._encoded[text] = {name: matrix[n] for name, matrix in vectors.items()}
                self._encoded.move_to_end(text)
            while len(self._encoded) > REMEMBERED_ENCODINGS:
                self._encoded.popitem(last=False)
        return vectors

    def _fused(self, query_vectors: dict[str, np.ndarray], subset: _Rows) -> np.ndarray:
        """Fused z-score of every row of `subset`, in the order of subset.rows (faiss does the search)."""
        fused = np.zeros(len(subset.rows), dtype=np.float32)
        if subset.selector is None:
            return fused
        params = faiss.SearchParameters(sel=subset.selector)
        names = [e.name for e in self.encoders]  # the extra features (crisis detector) are not searched
        for name in names:
            vector = query_vectors[name]
            scores, rows = self.stored.faiss_indexes[name].search(vector[None, :], len(subset.rows), params=params)
            dense = np.zeros(len(subset.rows), dtype=np.float32)
            found = rows[0] >= 0
            dense[subset.lookup[rows[0][found]]] = scores[0][found]
            fused += _zscore(dense)
        return fused / max(len(names), 1)

    def _topic_probabilities(self, text: str, query_vectors: dict[str, np.ndarray]) -> np.ndarray:
        """P(topic | question): the closest examples of each topic, plus the topic's own words."""
        example_scores = self._fused(query_vectors, self.examples)
        n = self.weights.nearest_examples
        topic_scores = np.array(
            [_top_mean(example_scores[self.example_topics == t], n) for t in range(len(self.topic_index))],
            dtype=np.float32,
        ) + self.weights.topic_lexical * _zscore(self.topic_words.scores(text))
        logits = topic_scores / self.weights.topic_temperature
        probabilities = np.exp(logits - logits.max())
        return probabilities / probabilities.sum()

    def _service_scores(
        self, text: str, query_vectors: dict[str, np.ndarray], view: _GemeenteView, topic_p: np.ndarray
    ) -> list[tuple[str, float]]:
        weights, items = self.weights, self.stored.items
        card = self._fused(query_vectors, view.cards)
        by_service: dict[str, list[float]] = {}
        for row, score in zip(view.cards.rows, card, strict=True):
            by_service.setdefault(items[row].key, []).append(float(score))
        example_scores = self._fused(query_vectors, view.service_examples)
        examples_of: dict[str, list[float]] = {}
        for row, score in zip(view.service_examples.rows, example_scores, strict=True):
            examples_of.setdefault(items[row].key, []).append(float(score))
        scored = []
        for service_id, card_scores in by_service.items():
            service = self.knowledge.services[service_id]
            topic_fit = max(
                (topic_p[self.topic_index[t]] for t in service.topics if t in self.topic_index), default=0.0
            )
            example_fit = _top_mean(np.array(examples_of.get(service_id, [])), weights.nearest_examples)
            total = (
                weights.service_card * max(card_scores)
                + weights.service_examples * (example_fit if service_id in examples_of else 0.0)
                + weights.service_topic * float(topic_fit)
            )
            scored.append((service_id, total))
        return sorted(scored, key=lambda kv: kv[1], reverse=True)

    def _passage_scores(
        self,
        text: str,
        query_vectors: dict[str, np.ndarray],
        view: _GemeenteView,
        topic_p: np.ndarray,
        services: list[tuple[str, float]],
        place_lift: float,
    ) -> np.ndarray:
        """`place_lift`: how much the passages the likely places rest on are lifted (`_place_lift`)."""
        weights = self.weights
        scores = (
            self._fused(query_vectors, view.passages)
            + weights.passage_topic * _zscore(view.passage_affinity @ topic_p)
            + weights.passage_lexical * _zscore(view.passage_words.scores(text))
        )
        if place_lift > 0:
            self._lift_places_sources(scores, view, services, place_lift)
        self._lift_exact_answers(scores, text, view)
        return scores

    def _place_lift(self, role: str | None, topic_p: np.ndarray) -> float:
        """A resident wants the place, so its passages count fully. A professional or the front desk
        wants the policy passage with its source: the places' lift counts `asker_place_lift`, and
        not at all when they ask about the framework itself (the passages are then the answer, as
        the conversation gives them)."""
        if role not in ASKER_ROLES:
            return 1.0
        if int(np.argmax(topic_p)) == self.topic_index.get(POLICY_TOPIC):
            return 0.0
        return self.weights.asker_place_lift

    def _lift_places_sources(
        self, scores: np.ndarray, view: _GemeenteView, services: list[tuple[str, float]], share: float
    ) -> None:
        """Each passage a likely place rests on rises by P(place) times `share`; "no place fits"
        takes its part of P."""
        weights = self.weights
        totals = np.array([score for _, score in services] + [weights.no_place_score], dtype=np.float64)
        totals /= weights.service_temperature
        likelihood = np.exp(totals - totals.max())
        likelihood = likelihood[:-1] / likelihood.sum()
        for (service_id, _), p in zip(services, likelihood, strict=True):
            for row, quote_weight in self.quoted_rows.get(service_id, {}).items():
                position = view.passages.position(row)
                if position >= 0:
                    scores[position] += weights.passage_service_source * p * quote_weight * share

    def _lift_exact_answers(self, scores: np.ndarray, text: str, view: _GemeenteView) -> None:
        """A passage that says what the question quotes, and the definition of a word asked about."""
        weights = self.weights
        for phrase in quoted_phrases(text):
            holders = [n for n, folded in enumerate(view.folded_texts) if phrase in folded]
            scores[holders] += weights.passage_quote
        if view.defined_terms and self.definitions.asks_meaning(text):
            # "What does the framework mean by X?": the framework's own definition of X is the answer.
            named = [n for n, term in view.defined_terms.items() if self.definitions.names(text, term)]
            if named:
                scores[named] += scores.max() - scores[named].min() + weights.passage_definition

    def passages_resting(self, service_ids: set[str]) -> set[str]:
        """The ids of the passages these places rest on (that hold one of their quotes)."""
        return {self.stored.items[row].key for sid in service_ids for row in self.quoted_rows.get(sid, {})}

    def places_without_example(self, row: int) -> list[tuple[str, float]]:
        """The places ranked for a place example message as if that example were not in the index.

        A check of the method on the catalogue itself, never on a question set
        (`wegwijzer eval places`)."""
        item = self.stored.items[row]
        view = self.views[item.gemeente]
        kept = [r for r in view.service_examples.rows.tolist() if r != row]
        view = replace(view, service_examples=_Rows(kept))
        query_vectors = self.encode(item.text)
        return self._service_scores(item.text, query_vectors, view, self._topic_probabilities(item.text, query_vectors))

    def search(self, query: str, gemeente: str, k: int = 5, services: int = 3, role: str | None = None) -> SearchResult:
        """`role` is who asks (inwoner, professional, balie): a professional's frame is left out."""
        text = self.frames.for_role(self.validate(query, gemeente), role)
        view, items = self.views[gemeente], self.stored.items
        query_vectors = self.encode(text)
        topic_p = self._topic_probabilities(text, query_vectors)
        ranked_services = self._service_scores(text, query_vectors, view, topic_p)
        place_lift = self._place_lift(role, topic_p)
        passage_scores = self._passage_scores(text, query_vectors, view, topic_p, ranked_services, place_lift)
        order = np.argsort(-passage_scores)[:k]
        return SearchResult(
            query=text,
            gemeente=gemeente,
            passages=[
                PassageHit(self.passages[items[int(view.passages.rows[n])].key], float(passage_scores[n]))
                for n in order
            ],
            services=[ServiceHit(self.knowledge.services[sid], score) for sid, score in ranked_services[:services]],
            topics=[TopicHit(self.stored.topic_order[t], float(topic_p[t])) for t in np.argsort(-topic_p)[:3]],
        )

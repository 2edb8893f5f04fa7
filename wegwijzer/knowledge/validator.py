"""`wegwijzer knowledge check`: every rule the content must follow, each error with file and line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from wegwijzer.knowledge.contrast import TEXT_MINIMUM, contrast, palette_pairs
from wegwijzer.knowledge.markdown_source import parse_sections
from wegwijzer.knowledge.model import NATIONAL, NO_CRISIS
from wegwijzer.knowledge.reader import MarkdownFile, Problem, RawKnowledge, YamlFile
from wegwijzer.knowledge.schema import schema_errors
from wegwijzer.knowledge.text import contains_verbatim, fold, phone_numbers

CONTACT_FACTS = ("phone", "email", "website", "address")


def _schema_problems(file: YamlFile | MarkdownFile, kind: str, data: Any, schema_dir: Path) -> list[Problem]:
    return [file.problem(path, message) for path, message in schema_errors(schema_dir, kind, data)]


def _documents(raw: RawKnowledge) -> dict[str, MarkdownFile]:
    return {str(md.parsed.front_matter.data.get("id")): md for md in raw.sources}


def _identity_problems(
    file: YamlFile | MarkdownFile, data: dict[str, Any], seen: dict[str, Path], what: str
) -> Iterator[Problem]:
    """The id must equal the file name and be unique among files of its kind."""
    if data["id"] != file.path.stem:
        yield file.problem(("id",), f"id '{data['id']}' moet gelijk zijn aan de bestandsnaam '{file.path.stem}'")
    if data["id"] in seen:
        yield file.problem(("id",), f"dubbele {what}-id '{data['id']}' (ook in {seen[data['id']].name})")
    seen[data["id"]] = file.path


def check_gemeenten(raw: RawKnowledge, schema_dir: Path) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    for file in raw.gemeenten:
        data = file.doc.data
        problems = _schema_problems(file, "gemeente", data, schema_dir)
        yield from problems
        if problems:
            continue
        yield from _identity_problems(file, data, seen, "gemeente")
        yield from _check_contact_source(file, ("general_contact",), data["general_contact"], _documents(raw))


def _check_contact_source(
    file: YamlFile, at: tuple[str | int, ...], contact: dict[str, Any], documents: dict[str, MarkdownFile]
) -> Iterator[Problem]:
    given = [key for key in CONTACT_FACTS if contact.get(key)]
    source = contact.get("source")
    if given and not source:
        yield file.problem(at, f"contactgegevens ({', '.join(given)}) zonder bron: voeg 'source' toe of laat ze leeg")
    if source and "document" in source:
        yield from _check_quote(file, (*at, "source"), source, documents)


def _check_quote(
    file: YamlFile, at: tuple[str | int, ...], source: dict[str, str], documents: dict[str, MarkdownFile]
) -> Iterator[Problem]:
    document = documents.get(source["document"])
    if document is None:
        yield file.problem((*at, "document"), f"onbekend brondocument '{source['document']}'")
    elif not contains_verbatim(document.parsed.body, source["quote"]):
        yield file.problem(
            (*at, "quote"),
            f'citaat staat niet letterlijk in {document.path.name}: "{source["quote"][:70]}"',
        )


def check_sources(raw: RawKnowledge, schema_dir: Path, gemeente_ids: set[str]) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    for file in raw.sources:
        data = file.parsed.front_matter.data
        problems = _schema_problems(file, "source", data, schema_dir)
        yield from problems
        if problems:
            continue
        yield from _identity_problems(file, data, seen, "document")
        if data["gemeente"] != file.path.parent.name:
            yield file.problem(("gemeente",), f"gemeente '{data['gemeente']}' hoort bij map '{file.path.parent.name}/'")
        if data["gemeente"] not in gemeente_ids:
            yield file.problem(("gemeente",), f"onbekende gemeente '{data['gemeente']}' (geen gemeenten/*.yaml)")
        sections = parse_sections(file.parsed.body, file.parsed.body_first_line, data["title"])
        if not sections:
            yield Problem(file.path, file.parsed.body_first_line, "document heeft geen tekst")


def _gemeente_file(
    file: YamlFile, kind: str, data: Any, schema_dir: Path, gemeente_ids: set[str]
) -> tuple[list[Problem], str | None]:
    """The problems of a file named after its gemeente (services, simple): its schema, then the name and the
    gemeente. The gemeente when the schema holds, else None (nothing more can be read)."""
    problems = _schema_problems(file, kind, data, schema_dir)
    if problems:
        return problems, None
    owner = str(data["gemeente"])
    if owner != file.path.stem:
        problems.append(file.problem(("gemeente",), f"gemeente '{owner}' moet gelijk zijn aan de bestandsnaam"))
    if owner != NATIONAL and owner not in gemeente_ids:
        problems.append(file.problem(("gemeente",), f"onbekende gemeente '{owner}' (geen gemeenten/{owner}.yaml)"))
    return problems, owner


def check_services(
    raw: RawKnowledge, schema_dir: Path, gemeente_ids: set[str], topic_ids: set[str]
) -> Iterator[Problem]:
    documents = _documents(raw)
    seen: dict[str, Path] = {}
    seen_examples: dict[str, str] = {}
    for file in raw.services:
        data = file.doc.data
        problems, owner = _gemeente_file(file, "services", data, schema_dir, gemeente_ids)
        yield from problems
        if owner is None:
            continue
        for i, service in enumerate(data["services"]):
            at: tuple[str | int, ...] = ("services", i)
            if service["id"] in seen:
                yield file.problem(
                    (*at, "id"), f"dubbele service-id '{service['id']}' (ook in {seen[service['id']].name})"
                )
            seen[service["id"]] = file.path
            for j, topic in enumerate(service["topics"]):
                if topic not in topic_ids:
                    yield file.problem((*at, "topics", j), f"onbekend onderwerp '{topic}'")
            source = service["source"]
            if "document" in source:
                yield from _check_quote(file, (*at, "source"), source, documents)
                document = documents.get(source["document"])
                if document and owner != NATIONAL and document.parsed.front_matter.data.get("gemeente") != owner:
                    yield file.problem((*at, "source", "document"), "brondocument hoort bij een andere gemeente")
            for j, extra in enumerate(service.get("also", [])):
                yield from _check_quote(file, (*at, "also", j), extra, documents)
            yield from _check_contact_source(file, (*at, "contact"), service["contact"], documents)
            if service.get("after_local"):
                yield from _check_national_sources(file, at, service, owner)
            yield from _duplicate_examples(
                file, (*at, "examples"), service.get("examples", {}), seen_examples, service["id"]
            )


def _check_national_sources(
    file: YamlFile, at: tuple[str | int, ...], service: dict[str, Any], owner: str
) -> Iterator[Problem]:
    """A service of the national layer: every fact traces to the page it was read on, and when.

    What it does and how to reach it are copied from the organisation's own public page; the
    URL and the date read let anyone check them again (a number is never guessed)."""
    if owner != NATIONAL:
        yield file.problem((*at, "after_local"), "alleen een landelijke dienst (landelijk.yaml) kan after_local zijn")
    sourced: list[tuple[tuple[str | int, ...], Any]] = [((*at, "source"), service["source"])]
    if any(service["contact"].get(key) for key in CONTACT_FACTS):
        sourced.append(((*at, "contact", "source"), service["contact"].get("source")))
    for where, source in sourced:
        missing = [key for key in ("url", "read") if not (source or {}).get(key)]
        if missing:
            field = ".".join(map(str, where[2:]))
            yield file.problem(
                where if source else where[:-1],
                f"landelijke dienst '{service['id']}' zonder {' en '.join(missing)} bij {field}: "
                "noem de pagina van de organisatie zelf (url) en de datum waarop u het las (read: JJJJ-MM-DD)",
            )


def check_topics(raw: RawKnowledge, schema_dir: Path) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    seen_examples: dict[str, str] = {}
    for file in raw.topics:
        data = file.doc.data
        problems = _schema_problems(file, "topic", data, schema_dir)
        yield from problems
        if problems:
            continue
        yield from _identity_problems(file, data, seen, "onderwerp")
        yield from _duplicate_examples(file, ("examples",), data["examples"], seen_examples, data["id"])


def _duplicate_examples(
    file: YamlFile, at: tuple[str | int, ...], examples: dict[str, list[str]], seen: dict[str, str], owner: str
) -> Iterator[Problem]:
    """An example message may stand only once: twice would train two answers for one question."""
    for lang, items in examples.items():
        for i, example in enumerate(items):
            key = fold(" ".join(example.split()))
            if key in seen:
                yield file.problem(
                    (*at, lang, i), f"voorbeeld staat dubbel (ook bij '{seen[key]}'): \"{example[:60]}\""
                )
            seen[key] = owner


def check_glossary(raw: RawKnowledge, schema_dir: Path) -> Iterator[Problem]:
    if raw.glossary is None:
        return
    file = raw.glossary
    problems = _schema_problems(file, "glossary", file.doc.data, schema_dir)
    yield from problems
    if problems:
        return
    seen: set[str] = set()
    for i, term in enumerate(file.doc.data["terms"]):
        for name in (term["term"], *term.get("aliases", [])):
            if fold(name) in seen:
                yield file.problem(("terms", i), f"term '{name}' staat dubbel in de woordenlijst")
            seen.add(fold(name))


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
FULL_LANGUAGES = ("nl", "en")  # every text and every place summary exists in these


# the regular expressions in a texts file
PATTERN_LISTS = ("frames", "handoff", "vague", "other_matters", "definition_questions")


def _pattern_problems(file: YamlFile, keys: tuple[str, ...]) -> Iterator[Problem]:
    for key in keys:
        for j, pattern in enumerate(file.doc.data.get(key) or ()):
            try:
                re.compile(pattern)
            except re.error as error:
                yield file.problem((key, j), f"ongeldig patroon '{pattern}': {error}")


def check_texts(raw: RawKnowledge, schema_dir: Path, topic_ids: set[str]) -> Iterator[Problem]:
    """Each language file: schema, file name = lang, the same placeholders as Dutch, all topics named."""
    valid: dict[str, YamlFile] = {}
    for file in raw.texts:
        data = file.doc.data
        problems = _schema_problems(file, "texts", data, schema_dir)
        yield from problems
        if problems:
            continue
        if data["lang"] != file.path.stem:
            yield file.problem(("lang",), f"lang '{data['lang']}' moet gelijk zijn aan de bestandsnaam")
        yield from _pattern_problems(file, PATTERN_LISTS)
        valid[data["lang"]] = file
    dutch = valid.get("nl")
    if dutch is None:
        if raw.texts:
            yield Problem(raw.root / "texts" / "nl.yaml", 1, "de Nederlandse teksten (texts/nl.yaml) ontbreken")
        return
    reference: dict[str, str] = dutch.doc.data["texts"]
    for lang, file in valid.items():
        texts: dict[str, str] = file.doc.data["texts"]
        if lang in FULL_LANGUAGES:
            for key in sorted(set(reference) - set(texts)):
                yield file.problem(("texts",), f"tekst '{key}' ontbreekt (staat wel in nl.yaml)")
        else:
            for topic in sorted(topic_ids - set(file.doc.data["topics"])):
                yield file.problem(("topics",), f"onderwerp '{topic}' heeft geen uitleg in deze taal")
        for topic in sorted(set(file.doc.data["topics"]) - topic_ids):
            yield file.problem(("topics", topic), f"onbekend onderwerp '{topic}'")
        for key, text in texts.items():
            extra = set(_PLACEHOLDER.findall(text)) - set(_PLACEHOLDER.findall(reference.get(key, text)))
            if extra:
                yield file.problem(("texts", key), f"onbekende invulplek {{{', '.join(sorted(extra))}}} in '{key}'")
        yield from _simple_text_problems(file, texts)


def _simple_text_problems(file: YamlFile, texts: dict[str, str]) -> Iterator[Problem]:
    """An A2 text (simple:) says the same as its text: a key that exists, with the same blanks (a contact
    or a place left out of the simple version would be a fact lost)."""
    for key, text in (file.doc.data.get("simple") or {}).items():
        if key not in texts:
            yield file.problem(("simple", key), f"eenvoudige tekst '{key}' hoort bij geen tekst onder texts:")
            continue
        ours, theirs = set(_PLACEHOLDER.findall(text)), set(_PLACEHOLDER.findall(texts[key]))
        if ours != theirs:
            yield file.problem(
                ("simple", key),
                f"eenvoudige tekst '{key}' moet dezelfde invulplekken hebben als de tekst: "
                f"{{{', '.join(sorted(theirs))}}}, niet {{{', '.join(sorted(ours))}}}",
            )


def check_crisis(raw: RawKnowledge, schema_dir: Path) -> Iterator[Problem]:
    """Crisis signals: schema, every pattern a valid expression, texts and lines that exist."""
    file = raw.crisis
    if file is None:
        return
    problems = _schema_problems(file, "crisis", file.doc.data, schema_dir)
    yield from problems
    if problems:
        return
    known = {
        entry.get("id")
        for services in raw.services
        if isinstance(services.doc.data, dict)
        for entry in services.doc.data.get("services") or []
        if isinstance(entry, dict)
    }
    text_keys = [set(f.doc.data.get("texts") or {}) for f in raw.texts if isinstance(f.doc.data, dict)]
    for i, signal in enumerate(file.doc.data["signals"]):
        for j, line in enumerate(signal["lines"]):
            if line not in known:
                yield file.problem(("signals", i, "lines", j), f"onbekende plek '{line}' (zie services/)")
        for field in ("text", "check"):
            if any(signal[field] not in keys for keys in text_keys):
                yield file.problem(("signals", i, field), f"tekst '{signal[field]}' ontbreekt in een van de talen")
        for lang, patterns in (signal.get("patterns") or {}).items():
            for j, pattern in enumerate(patterns):
                try:
                    re.compile(pattern)
                except re.error as error:
                    yield file.problem(("signals", i, "patterns", lang, j), f"ongeldig patroon '{pattern}': {error}")
    lines = {line for signal in file.doc.data["signals"] for line in signal["lines"]}
    for line in file.doc.data.get("lines_as_places") or {}:
        if line not in lines:
            yield file.problem(("lines_as_places", line), f"'{line}' is geen lijn van een van de signalen")


def check_crisis_bank(raw: RawKnowledge, schema_dir: Path) -> Iterator[Problem]:
    """The crisis bank: schema, file name = lang, labels that are signals of crisis.yaml, no message twice."""
    signals = (
        {s.get("id") for s in raw.crisis.doc.data.get("signals") or [] if isinstance(s, dict)}
        if raw.crisis and isinstance(raw.crisis.doc.data, dict)
        else set()
    )
    labels = signals | {NO_CRISIS}
    seen: dict[str, str] = {}
    for file in raw.crisis_bank:
        data = file.doc.data
        problems = _schema_problems(file, "crisis_bank", data, schema_dir)
        yield from problems
        if problems:
            continue
        if not file.path.stem.startswith(data["lang"]):
            yield file.problem(("lang",), f"lang '{data['lang']}' moet het begin van de bestandsnaam zijn")
        for i, example in enumerate(data["examples"]):
            if example["signal"] not in labels:
                known = ", ".join(sorted(labels))
                message = f"onbekend signaal '{example['signal']}' (kies uit {known})"
                yield file.problem(("examples", i, "signal"), message)
            key = fold(" ".join(example["text"].split()))
            if key in seen:
                yield file.problem(("examples", i, "text"), f"voorbeeld staat dubbel (ook in {seen[key]})")
            seen[key] = file.path.name


def check_themes(raw: RawKnowledge, schema_dir: Path, gemeente_ids: set[str]) -> Iterator[Problem]:
    """A gemeente's colours: schema, a gemeente that exists (the file is named after it), and every pair
    a resident reads with AA contrast, in light and in dark mode."""
    for file in raw.themes:
        data = file.doc.data
        problems = _schema_problems(file, "huisstijl", data, schema_dir)
        yield from problems
        if problems:
            continue
        if data["gemeente"] != file.path.stem:
            yield file.problem(("gemeente",), f"gemeente '{data['gemeente']}' moet gelijk zijn aan de bestandsnaam")
        if data["gemeente"] not in gemeente_ids:
            yield file.problem(
                ("gemeente",), f"onbekende gemeente '{data['gemeente']}' (geen gemeenten/{data['gemeente']}.yaml)"
            )
        for scheme, palette in data["tokens"].items():
            for token, color, against, other in palette_pairs(palette, scheme):
                ratio = contrast(color, other)
                if ratio < TEXT_MINIMUM:
                    yield file.problem(
                        ("tokens", scheme, token),
                        f"te weinig contrast in {scheme}: {token} {color} op {against} {other} is {ratio:.2f}:1, "
                        f"minstens {TEXT_MINIMUM}:1 (WCAG AA)",
                    )


def check_simple(raw: RawKnowledge, schema_dir: Path, gemeente_ids: set[str]) -> Iterator[Problem]:
    """The places said simpler (A2): schema, a gemeente that exists (the file is named after it), places of
    that gemeente's services file, and no new facts: the phone numbers and web addresses of the A2 texts
    are those of the place's own B1 texts, none added and none left out."""
    places: dict[str, tuple[str, dict[str, Any]]] = {}
    for services in raw.services:
        if isinstance(services.doc.data, dict):
            for entry in services.doc.data.get("services") or []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    places[entry["id"]] = (str(services.doc.data.get("gemeente")), entry)
    for file in raw.simple:
        data = file.doc.data
        problems, owner = _gemeente_file(file, "simple", data, schema_dir, gemeente_ids)
        yield from problems
        if owner is None:
            continue
        for service_id, simple in data["places"].items():
            at: tuple[str | int, ...] = ("places", service_id)
            if service_id not in places:
                yield file.problem(at, f"onbekende plek '{service_id}' (zie services/{owner}.yaml)")
                continue
            place_owner, entry = places[service_id]
            if place_owner != owner:
                yield file.problem(at, f"plek '{service_id}' hoort bij services/{place_owner}.yaml, niet bij {owner}")
                continue
            for lang in simple["summary"]:
                how = entry["contact"]["how"].get(lang, "")
                b1 = f"{entry['summary'].get(lang, '')} {how}"
                a2 = f"{simple['summary'][lang]} {(simple.get('how') or {}).get(lang) or how}"
                for what, facts in (("telefoonnummers", phone_numbers), ("webadressen", _web_addresses)):
                    if set(facts(a2)) != set(facts(b1)):
                        yield file.problem(
                            (*at, "summary", lang),
                            f"de eenvoudige tekst noemt andere {what} dan de plek zelf: "
                            f"{sorted(facts(a2))} in plaats van {sorted(facts(b1))}",
                        )


_WEB = re.compile(r"\b(?:https?://)?(?:[a-z0-9-]+\.)+(?:nl|com|org|eu|net)(?:/[^\s,;)]*)?", re.IGNORECASE)


def _web_addresses(text: str) -> set[str]:
    return {match.group(0).rstrip(".").lower() for match in _WEB.finditer(text)}


def _texts(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("source", *CONTACT_FACTS):
                yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, i))
    elif isinstance(node, str):
        yield path, node


def check_no_invented_numbers(raw: RawKnowledge) -> Iterator[Problem]:
    """A phone number in any text must be one the content states with a source."""
    known: set[str] = set()
    for file in (*raw.gemeenten, *raw.services):
        for _, value in _contact_phones(file.doc.data):
            known.update(phone_numbers(value))
    files: Iterable[YamlFile] = (
        *raw.gemeenten,
        *raw.services,
        *raw.topics,
        *raw.texts,
        *raw.simple,
        *([raw.glossary] if raw.glossary else []),
    )
    for file in files:
        for path, text in _texts(file.doc.data):
            if path and path[0] == "examples":
                continue
            for number in phone_numbers(text):
                if number not in known:
                    yield file.problem(
                        path, f"telefoonnummer {number} staat in de tekst maar niet als bron-vermeld contactgegeven"
                    )


def _contact_phones(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "phone" and isinstance(value, str):
                yield key, value
            else:
                yield from _contact_phones(value)
    elif isinstance(node, list):
        for value in node:
            yield from _contact_phones(value)


def validate(raw: RawKnowledge) -> list[Problem]:
    """All problems in the content, sorted by file and line."""
    schema_dir = raw.root / "schema"
    problems = list(raw.problems)
    if not schema_dir.is_dir():
        return [*problems, Problem(schema_dir, 1, "map 'schema/' met de JSON-schema's ontbreekt")]
    gemeente_ids = {str(f.doc.data.get("id")) for f in raw.gemeenten if isinstance(f.doc.data, dict)}
    topic_ids = {str(f.doc.data.get("id")) for f in raw.topics if isinstance(f.doc.data, dict)}
    problems += check_gemeenten(raw, schema_dir)
    problems += check_sources(raw, schema_dir, gemeente_ids)
    problems += check_services(raw, schema_dir, gemeente_ids, topic_ids)
    problems += check_topics(raw, schema_dir)
    problems += check_glossary(raw, schema_dir)
    problems += check_texts(raw, schema_dir, topic_ids)
    problems += check_crisis(raw, schema_dir)
    problems += check_crisis_bank(raw, schema_dir)
    problems += check_no_invented_numbers(raw)
    problems += check_themes(raw, schema_dir, gemeente_ids)
    problems += check_simple(raw, schema_dir, gemeente_ids)
    return sorted(set(problems), key=lambda p: (str(p.file), p.line, p.message))

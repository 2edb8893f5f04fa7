"""`wegwijzer knowledge check`: the real content passes, and broken content is caught with file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import KNOWLEDGE, line_of, replace_in
from wegwijzer.knowledge import KnowledgeError, load_knowledge
from wegwijzer.knowledge.loader import check_knowledge


def problems_in(root: Path) -> list[str]:
    raw, problems = check_knowledge(root)
    return [p.render(raw.root) for p in problems]


def first_service_id(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["services"][0]["id"]


def test_the_real_knowledge_base_is_valid() -> None:
    assert problems_in(KNOWLEDGE) == []
    kb = load_knowledge(KNOWLEDGE)
    assert set(kb.gemeenten) == {"purmerend", "heerhugowaard", "leiderdorp"}
    assert len(kb.documents) == 5
    assert len(kb.topics) == 18


def test_cli_check_passes_on_real_content() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", "knowledge", "check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Kennisbank in orde" in run.stdout


def test_missing_field_is_reported_with_file_and_line(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    line = line_of(services, f"- id: {first_service_id(services)}")
    replace_in(services, "    kind: loket\n", "")
    found = problems_in(knowledge_copy)
    assert f"knowledge/services/purmerend.yaml:{line}: veld 'kind' ontbreekt in services.0" in found, found


def test_unknown_topic_points_at_its_line(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    line = line_of(services, "topics: [")
    text = services.read_text(encoding="utf-8").splitlines()
    text[line - 1] = text[line - 1].replace("topics: [", "topics: [parkeren, ")
    services.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert f"knowledge/services/purmerend.yaml:{line}: onbekend onderwerp 'parkeren'" in found, found


def test_quote_that_is_not_verbatim_is_caught(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    data = yaml.safe_load(services.read_text(encoding="utf-8"))
    quote = data["services"][0]["source"]["quote"]
    line = line_of(services, quote[:30])
    replace_in(services, quote, quote.replace(" ", " niet ", 1))
    found = problems_in(knowledge_copy)
    assert any(
        p.startswith(f"knowledge/services/purmerend.yaml:{line}: citaat staat niet letterlijk") for p in found
    ), found


def test_service_without_source_is_caught(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "leiderdorp.yaml"
    text = services.read_text(encoding="utf-8")
    start = text.index("    source:\n      document:")
    end = text.index("\n", text.index("quote:", start))
    services.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert any("leiderdorp.yaml" in p and "'source' ontbreekt" in p for p in found), found


def test_duplicate_service_id_is_caught(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    first = first_service_id(services)
    second = yaml.safe_load(services.read_text(encoding="utf-8"))["services"][1]["id"]
    line = line_of(services, f"id: {second}")
    replace_in(services, f"id: {second}", f"id: {first}")
    found = problems_in(knowledge_copy)
    assert any(p.startswith(f"knowledge/services/purmerend.yaml:{line}: dubbele service-id") for p in found), found


def test_broken_front_matter_is_caught(knowledge_copy: Path) -> None:
    source = next((knowledge_copy / "sources" / "leiderdorp").glob("*.md"))
    replace_in(source, "year: 2017", "year: [2017")
    found = problems_in(knowledge_copy)
    assert any(p.startswith(f"knowledge/sources/leiderdorp/{source.name}:") and "YAML" in p for p in found), found


def test_unclosed_front_matter_is_caught(knowledge_copy: Path) -> None:
    source = next((knowledge_copy / "sources" / "leiderdorp").glob("*.md"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---", "", 2).replace("\n", "\n", 1), encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert any(source.name in p and "front matter" in p for p in found), found


def test_yaml_syntax_error_reports_the_line(knowledge_copy: Path) -> None:
    glossary = knowledge_copy / "glossary.yaml"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "  - term: [kapot")
    glossary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert len(found) == 1 and found[0].startswith("knowledge/glossary.yaml:") and "YAML" in found[0], found
    assert int(found[0].split(":")[1]) in (6, 7), found


def test_invented_phone_number_is_caught(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    text = services.read_text(encoding="utf-8")
    marker = '      nl: "'
    at = text.index(marker) + len(marker)
    services.write_text(text[:at] + "Bel 020 123 4567. " + text[at:], encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert any("0201234567" in p and "purmerend.yaml" in p for p in found), found


def test_unknown_gemeente_in_source_folder_is_caught(knowledge_copy: Path) -> None:
    source = next((knowledge_copy / "sources" / "leiderdorp").glob("*.md"))
    replace_in(source, "gemeente: leiderdorp", "gemeente: atlantis")
    found = problems_in(knowledge_copy)
    assert any("onbekende gemeente 'atlantis'" in p for p in found), found


def test_load_refuses_broken_content_and_names_the_command(knowledge_copy: Path) -> None:
    replace_in(knowledge_copy / "gemeenten" / "purmerend.yaml", "name: Purmerend", "naam: Purmerend")
    try:
        load_knowledge(knowledge_copy)
    except KnowledgeError as error:
        assert "wegwijzer knowledge check" in str(error)
        assert "gemeenten/purmerend.yaml:" in str(error)
    else:
        raise AssertionError("broken content was loaded")


def test_cli_exit_code_is_non_zero_on_errors(knowledge_copy: Path) -> None:
    replace_in(knowledge_copy / "gemeenten" / "leiderdorp.yaml", "id: leiderdorp", "id: leiden")
    run = subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", "knowledge", "check", "--dir", str(knowledge_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "gemeenten/leiderdorp.yaml:1: id 'leiden' moet gelijk zijn aan de bestandsnaam" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "pattern_start",
    ["^\\\\s*wat (kan|moet) ik", "\\\\bwat (betekent|betekenen|houdt|houden)"],  # vague, definition_questions
)
def test_a_broken_pattern_in_the_texts_points_at_its_line(knowledge_copy: Path, pattern_start: str) -> None:
    texts = knowledge_copy / "texts" / "nl.yaml"
    line = line_of(texts, pattern_start)
    lines = texts.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = '  - "^wat (kan|moet ik doen"'
    texts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_in(knowledge_copy)
    assert any(f.startswith(f"knowledge/texts/nl.yaml:{line}: ongeldig patroon") for f in found), found


def test_national_service_without_source_url_or_date_is_refused(knowledge_copy: Path) -> None:
    """The national layer: each fact traces to the organisation's own page and the day it was read."""
    national = knowledge_copy / "services" / "landelijk.yaml"
    page = '"https://www.kindertelefoon.nl/spreekbeurt-of-werkstuk"'
    # The contact facts lose the date they were read; the entry's own source loses its URL.
    replace_in(national, f'        url: {page}\n        read: "2026-12-06"\n', f"        url: {page}\n")
    replace_in(national, f'(eigen site)"\n      url: {page}\n', '(eigen site)"\n')
    contact_source = line_of(national, '        public: "De Kindertelefoon: 8 tot 18 jaar')
    own_source = line_of(national, '      public: "De Kindertelefoon, spreekbeurt')
    found = problems_in(knowledge_copy)
    prefix = "knowledge/services/landelijk.yaml:{}: landelijke dienst 'landelijk-kindertelefoon' zonder {}"
    assert any(p.startswith(prefix.format(contact_source, "read bij contact.source")) for p in found), found
    assert any(p.startswith(prefix.format(own_source, "url bij source")) for p in found), found
    assert sum("landelijke dienst" in p for p in found) == 2, found


def test_after_local_is_only_for_the_national_catalogue(knowledge_copy: Path) -> None:
    services = knowledge_copy / "services" / "purmerend.yaml"
    replace_in(services, "    kind: loket\n", "    kind: loket\n    after_local: true\n", count=1)
    found = problems_in(knowledge_copy)
    assert any("alleen een landelijke dienst (landelijk.yaml) kan after_local zijn" in p for p in found), found

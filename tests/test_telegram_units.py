"""The small parts on their own: settings, splitting, escaping, gemeenten, the store, pseudonyms."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from connectors.telegram.__main__ import main
from connectors.telegram.buttons import ButtonRegistry
from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.html_split import split_html
from connectors.telegram.identity import pseudonym
from connectors.telegram.render import render_answer
from connectors.telegram.settings import telegram_settings
from connectors.telegram.store import JsonGemeenteStore
from tests.conftest import settings_of
from tests.telegram_fake.bot_api import parse_telegram_html, utf16_len
from tests.telegram_fake.support import TOKEN, directory
from wegwijzer.chat import Button, ChatAnswer, Reply, Source
from wegwijzer.settings import SettingsError

ENV = {"WEGWIJZER_TELEGRAM_TOKEN": TOKEN, "WEGWIJZER_TELEGRAM_ALLOWED_IDS": "111, 222"}


# -- settings --------------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    settings = telegram_settings(settings_of({**ENV, "WEGWIJZER_TELEGRAM_BASE_URL": "http://127.0.0.1:9999/"}))
    assert settings.allowed_ids == frozenset({111, 222})
    assert settings.api_url == "http://127.0.0.1:9999/bot"
    assert settings.secret is None and settings.store_path is None
    assert TOKEN not in repr(settings)
    assert telegram_settings(settings_of(ENV)).base_url == "https://api.telegram.org"


@pytest.mark.parametrize(
    ("env", "webhook", "names"),
    [
        ({}, False, "WEGWIJZER_TELEGRAM_TOKEN ontbreekt"),
        ({"WEGWIJZER_TELEGRAM_TOKEN": "geen-token"}, False, "WEGWIJZER_TELEGRAM_TOKEN heeft niet de vorm"),
        ({"WEGWIJZER_TELEGRAM_TOKEN": TOKEN}, False, "WEGWIJZER_TELEGRAM_ALLOWED_IDS ontbreekt"),
        ({**ENV, "WEGWIJZER_TELEGRAM_ALLOWED_IDS": " , "}, False, "WEGWIJZER_TELEGRAM_ALLOWED_IDS is leeg"),
        ({**ENV, "WEGWIJZER_TELEGRAM_ALLOWED_IDS": "111,@jan"}, False, "bevat '@jan'"),
        (ENV, True, "WEGWIJZER_TELEGRAM_SECRET ontbreekt"),
        ({**ENV, "WEGWIJZER_TELEGRAM_SECRET": "met spatie"}, True, "WEGWIJZER_TELEGRAM_SECRET mag alleen"),
        ({**ENV, "WEGWIJZER_TELEGRAM_BASE_URL": "ftp://x"}, False, "WEGWIJZER_TELEGRAM_BASE_URL moet"),
        ({**ENV, "WEGWIJZER_TELEGRAM_WEBHOOK_URL": "http://x"}, False, "WEGWIJZER_TELEGRAM_WEBHOOK_URL moet"),
    ],
)
def test_each_settings_problem_is_one_clear_sentence(env: dict[str, str], webhook: bool, names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        telegram_settings(settings_of(env), webhook=webhook)


def test_command_line_reports_missing_settings(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    for name in ("TOKEN", "ALLOWED_IDS", "SECRET", "BASE_URL", "WEBHOOK_URL", "STORE"):
        monkeypatch.delenv(f"WEGWIJZER_TELEGRAM_{name}", raising=False)
    assert main(["--poll"]) == 2
    assert "WEGWIJZER_TELEGRAM_TOKEN ontbreekt" in capsys.readouterr().err
    monkeypatch.setenv("WEGWIJZER_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("WEGWIJZER_TELEGRAM_ALLOWED_IDS", "1")
    assert main(["--serve"]) == 2
    assert "WEGWIJZER_TELEGRAM_SECRET ontbreekt" in capsys.readouterr().err


# -- splitting and escaping ------------------------------------------------------------------


def test_short_message_is_one_piece() -> None:
    assert split_html("<b>Kop</b>\n\ntekst") == ["<b>Kop</b>\n\ntekst"]
    assert split_html("   \n ") == []


def test_split_prefers_paragraphs_then_lines_then_words() -> None:
    paragraphs = ["alinea " + "woord " * 60 for _ in range(5)]
    pieces = split_html("\n\n".join(p.strip() for p in paragraphs), limit=900)
    assert all(len(p) <= 900 for p in pieces)
    assert all(p.startswith("alinea") for p in pieces)  # every cut at a paragraph break
    one_line = " ".join(["woord"] * 500)
    pieces = split_html(one_line, limit=300)
    assert all(p.split(" ") == ["woord"] * len(p.split(" ")) for p in pieces)  # no word cut in two
    assert " ".join(pieces) == one_line


def test_split_keeps_tags_and_entities_whole() -> None:
    html = "<b>" + "&amp;&lt;x&gt; " * 400 + "</b>\n<blockquote expandable>" + "é😀 " * 900 + "</blockquote>"
    pieces = split_html(html, limit=500)
    assert len(pieces) > 5
    for piece in pieces:
        assert utf16_len(piece) <= 500
        parse_telegram_html(piece)  # raises on a broken tag or entity

    def squeeze(text: str) -> str:
        return "".join(text.split())

    assert squeeze("".join(parse_telegram_html(p) for p in pieces)) == squeeze(parse_telegram_html(html))
    quoted = [p for p in pieces if "😀" in p]
    assert all(p.startswith("<blockquote expandable>") and p.endswith("</blockquote>") for p in quoted[1:])


def test_split_random_text_always_parses() -> None:
    rng = random.Random(7)
    alphabet = "ab <>&\"'\n\né😀"
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
        answer = ChatAnswer("s", replies=[Reply(text)], sources=[Source(text[:50], text[50:90], "g", None, text)])
        for out in render_answer(answer, limit=700):
            assert utf16_len(out.html) <= 700
            parse_telegram_html(out.html)


def test_answer_escapes_assistant_text_and_sources() -> None:
    answer = ChatAnswer(
        "s",
        replies=[Reply("<script>alert(1)</script> & co", (Button("Ja", "/affirm"),)), Reply("Tweede & laatste")],
        sources=[Source("Doc <1>", "A > B", "purmerend", 2020, "passage <i>x</i>")],
    )
    first, second = render_answer(answer)
    assert first.html == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert first.buttons == (Button("Ja", "/affirm"),)
    assert second.html == (
        "Tweede &amp; laatste\n\n<i>Bron: Doc &lt;1&gt; (2020), A &gt; B</i>\n"
        "<blockquote expandable>passage &lt;i&gt;x&lt;/i&gt;</blockquote>"
    )


def test_button_registry_short_data_once_and_only_for_its_user() -> None:
    registry = ButtonRegistry(capacity=2)
    data = registry.add("u1", Button("Schulden", "/choose" + "x" * 200))
    assert len(data.encode()) <= 64
    assert registry.take("u2", data) is None
    assert registry.take("u1", data).payload.endswith("x" * 200)  # type: ignore[union-attr]
    assert registry.take("u1", data) is None
    old = registry.add("u1", Button("a", "/a"))
    registry.add("u1", Button("b", "/b"))
    registry.add("u1", Button("c", "/c"))
    assert registry.take("u1", old) is None  # the oldest is dropped beyond capacity


# -- gemeenten, store, pseudonyms ------------------------------------------------------------


def test_gemeenten_by_id_name_and_alias() -> None:
    gemeenten: GemeenteDirectory = directory()
    assert gemeenten.find("purmerend").id == "purmerend"  # type: ignore[union-attr]
    assert gemeenten.find("Gemeente Leiderdorp").id == "leiderdorp"  # type: ignore[union-attr]
    assert gemeenten.find("dijk-en-waard").id == "heerhugowaard"  # type: ignore[union-attr]
    assert gemeenten.find("Heerhugowaard (Dijk en Waard)").id == "heerhugowaard"  # type: ignore[union-attr]
    assert gemeenten.find("Amsterdam") is None
    assert gemeenten.find("  ") is None


def test_json_store_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "telegram" / "gemeenten.json"
    store = JsonGemeenteStore(path)
    store.set("tg-abc", "purmerend")
    assert JsonGemeenteStore(path).get("tg-abc") == "purmerend"
    assert json.loads(path.read_text()) == {"tg-abc": "purmerend"}
    path.write_text("{kapot")
    assert JsonGemeenteStore(path).get("tg-abc") is None


def test_pseudonym_is_stable_keyed_and_hides_the_id() -> None:
    assert pseudonym(123456789, TOKEN) == pseudonym(123456789, TOKEN)
    assert pseudonym(123456789, TOKEN) != pseudonym(123456789, "1:other-token")
    assert pseudonym(123456789, TOKEN) != pseudonym(123456780, TOKEN)
    assert "123456789" not in pseudonym(123456789, TOKEN)

"""A resident asks for a person in the chat and is called back: through the real stack (Rasa, the action server,
this API) into the /beheer queue, handled by staff, and gone from the database after its retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.conftest import STACK_ADMIN_TOKEN
from wegwijzer.records import RecordStore


@pytest.fixture
def stack_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def ask_for_a_callback(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/?gemeente=purmerend")
    page.locator("#message").fill("ik wil iemand spreken")
    page.locator("#message").press("Enter")
    offer = page.locator(".ww-message--bot").last
    link = offer.get_by_role("link", name="Ja, bel mij terug")
    expect(link).to_be_visible()  # the offer is a link to the form, not a text with an address in it
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liever teruggebeld worden?")
    expect(page.get_by_label("Gemeente", exact=True)).to_have_value("purmerend")
    page.get_by_label("Uw voornaam").fill(name)
    page.get_by_label("Telefoonnummer of e-mailadres").fill("06-13572468")
    page.get_by_label("'s ochtends (9-12 uur)").check()
    page.get_by_label("Waar gaat het over? Eén zin is genoeg.").fill("Ik kom niet rond met mijn geld")
    page.get_by_label("Ik geef de gemeente toestemming om mij hierover te bellen of te mailen.").check()
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Wat gebeurt er nu?")


def test_a_callback_from_the_chat_reaches_staff_and_is_deleted_when_handled(stack, stack_page: Page) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{stack.ports.api}"
    page = stack_page
    ask_for_a_callback(page, base, "Yara")
    page.goto(f"{base}/beheer/terugbellen")
    page.get_by_label("Toegangscode").fill(STACK_ADMIN_TOKEN)
    page.get_by_role("button", name="Inloggen").click()
    entry = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Yara (purmerend)"))
    expect(entry).to_contain_text("06-13572468")
    expect(entry).to_contain_text("Ik kom niet rond met mijn geld")
    raw = b"".join(p.read_bytes() for p in Path(stack.database).parent.glob(Path(stack.database).name + "*"))
    assert b"Yara" not in raw and b"06-13572468" not in raw, "sealed in the database file"
    entry.get_by_role("button", name="Afgehandeld: verwijderen").click()
    expect(page.get_by_role("status")).to_have_text("Het verzoek is verwijderd.")
    expect(page.get_by_role("heading", name="Yara (purmerend)")).to_have_count(0)


def test_a_request_nobody_handled_is_gone_after_its_retention(stack, stack_page: Page) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{stack.ports.api}"
    ask_for_a_callback(stack_page, base, "Vergeten")
    store = RecordStore(f"sqlite:///{stack.database}")
    try:
        with store.engine.connect() as connection:
            before = connection.execute(select(store.tables.callbacks)).all()
        assert before, "the request is in the stack's database"
        result = store.purge(now=datetime.now(UTC) + timedelta(days=14, minutes=1))
        assert result.callbacks == len(before)
        with store.engine.connect() as connection:
            assert connection.execute(select(store.tables.callbacks)).all() == []
    finally:
        store.close()

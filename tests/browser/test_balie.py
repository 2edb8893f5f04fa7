"""The front-desk page: focus on load, results as you type (debounced), highlighted words, filters,
arrow keys through the results and Enter (or the button) to copy the referral text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Console
from tests.browser.support import assert_accessible, csp_violations


@pytest.fixture
def balie(browser: Browser, api_base: str, console: Console) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=api_base)
    page = context.new_page()
    page.on("console", lambda m: console.messages.append(f"{m.type}: {m.text}"))
    yield page
    context.close()


def clipboard(page: Page) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def test_search_as_you_type_and_copy_with_the_keyboard(balie: Page, api_base: str, console: Console) -> None:
    searches: list[str] = []
    balie.on("request", lambda r: searches.append(r.url) if "/api/search" in r.url else None)
    balie.goto(f"{api_base}/balie?gemeente=purmerend")
    expect(balie.locator("#q")).to_be_focused()
    assert_accessible(balie, "balie: leeg")

    balie.keyboard.type("mantelzorg ondersteuning", delay=40)
    cards = balie.locator(".ww-card")
    expect(cards.first).to_be_visible()
    expect(balie.locator("#balie-status")).to_contain_text("plekken en")
    assert len(searches) <= 3, f"not debounced: {len(searches)} searches for one question"
    expect(cards.first.locator(".ww-card__name")).to_contain_text("Mantelzorg")
    marks = balie.locator(".ww-passage mark")
    assert marks.count() > 0
    assert all(m.lower().startswith(("mantelzorg", "ondersteun")) for m in marks.all_inner_texts())
    citation = balie.locator(".ww-citation a").first
    expect(citation).to_have_attribute("href", re.compile(r"^/bronnen/[a-z0-9-]+/\S+$"))
    assert_accessible(balie, "balie: uitkomsten")

    balie.keyboard.press("ArrowDown")
    expect(cards.first).to_be_focused()
    assert balie.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    balie.keyboard.press("Enter")
    expect(balie.locator("#balie-status")).to_contain_text("gekopieerd")
    referral = clipboard(balie)
    assert referral == cards.first.get_attribute("data-copy")
    assert referral.startswith("Dit kan u verder helpen: ") and "Zo bereikt u hen:" in referral

    balie.keyboard.press("ArrowDown")
    expect(cards.nth(1)).to_be_focused()
    balie.keyboard.press("ArrowUp")
    balie.keyboard.press("ArrowUp")
    expect(balie.locator("#q")).to_be_focused()
    balie.keyboard.press("ArrowDown")
    balie.keyboard.press("Escape")
    expect(balie.locator("#q")).to_be_focused()

    cards.nth(1).get_by_role("button", name="Kopieer verwijstekst").click()
    assert clipboard(balie) == cards.nth(1).get_attribute("data-copy")
    assert csp_violations(console.messages) == []


def test_filters_gemeente_and_topic(balie: Page, api_base: str) -> None:
    balie.goto(f"{api_base}/balie?gemeente=purmerend")
    balie.locator("#topic").select_option("schulden")
    expect(balie.locator("#balie-status")).to_contain_text("plekken bij dit onderwerp")
    names = balie.locator(".ww-card__name").all_inner_texts()
    assert "Loket Schulddienstverlening" in names
    balie.locator("#topic").select_option("mantelzorg")
    expect(balie.locator(".ww-card__name").first).to_contain_text("Mantelzorg")
    balie.locator("#gemeente").select_option("leiderdorp")
    balie.locator("#topic").select_option("schulden")
    expect(balie.locator("#balie-status")).to_have_text(re.compile(r"^\d+ plekken bij dit onderwerp\.$"))
    assert "Loket Schulddienstverlening" not in balie.locator(".ww-card__name").all_inner_texts()
    balie.locator("#topic").select_option("")
    balie.locator("#q").fill("")
    expect(balie.locator(".ww-card")).to_have_count(0)

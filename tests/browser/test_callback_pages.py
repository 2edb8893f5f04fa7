"""The callback form, the /beheer queue and the accessibility statement in Chromium: with and without JavaScript,
with the keyboard, errors at the fields, and axe-core with zero violations of any impact (WCAG 2.0, 2.1 and 2.2,
levels A and AA) at desktop width and at 360 px."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from connectors.api.launch import free_port, running_api
from tests.browser.support import _RUN, inject_axe
from wegwijzer.knowledge import load_knowledge
from wegwijzer.plain_language import check_text
from wegwijzer.records import RecordStore

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 740}}
ADMIN_TOKEN = "toegangscode-voor-de-browsertest"
RECORDS_KEY = "sleutel-van-de-browsertest"


def assert_no_violations(page: Page, state: str) -> dict[str, Any]:
    """axe-core with the WCAG tags only, and no violation of any impact (not only serious ones)."""
    inject_axe(page)
    result: dict[str, Any] = page.evaluate(_RUN, WCAG_TAGS)
    found = json.dumps(result["violations"], indent=2, ensure_ascii=False)
    assert result["violations"] == [], f"axe ({state}): {found}"
    assert result["passes"] > 10, "axe ran its rules"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RecordStore]]:
    """The API with no webhook and no e-mail: callback requests go into the queue in its own SQLite database."""
    folder = tmp_path_factory.mktemp("callback-pages")
    down = f"http://127.0.0.1:{free_port()}"
    url = f"sqlite:///{folder / 'records.db'}"
    env = {
        "WEGWIJZER_RASA_URL": down,
        "WEGWIJZER_ACTION_URL": down,
        "WEGWIJZER_DATABASE_URL": url,
        "WEGWIJZER_ADMIN_TOKEN": ADMIN_TOKEN,
        "WEGWIJZER_RECORDS_KEY": RECORDS_KEY,
        "WEGWIJZER_CALLBACK_WEBHOOK": "",
        "WEGWIJZER_SMTP_HOST": "",
    }
    with running_api(env, log=folder / "api.log", need_index=False) as base:
        store = RecordStore(url, key=RECORDS_KEY.encode())
        yield base, store
        store.close()


@pytest.fixture(params=list(VIEWPORTS))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="nl-NL")
    yield request.param, context.new_page()
    context.close()


def fill_form(page: Page, name: str, contact: str = "06-12345678") -> None:
    page.get_by_label("Uw voornaam").fill(name)
    page.get_by_label("Telefoonnummer of e-mailadres").fill(contact)
    page.get_by_label("'s middags (12-17 uur)").check()
    page.get_by_label("Waar gaat het over? Eén zin is genoeg.").fill("Ik wil hulp bij mijn schulden")
    page.get_by_label("Ik geef de gemeente toestemming om mij hierover te bellen of te mailen.").check()


def test_the_form_empty_with_errors_and_sent_is_accessible(sized: tuple[str, Page], site: tuple[str, Any]) -> None:
    size, page = sized
    base, store = site
    page.goto(f"{base}/terugbellen?gemeente=purmerend&lang=nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liever teruggebeld worden?")
    assert_no_violations(page, f"terugbellen leeg ({size})")
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("alert")).to_contain_text("Kijk dit nog even na")
    assert_no_violations(page, f"terugbellen met fouten ({size})")
    fill_form(page, f"Anouk-{size}")
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw vraag is verstuurd")
    expect(page.get_by_role("heading", level=2)).to_have_text("Wat gebeurt er nu?")
    assert_no_violations(page, f"terugbellen verstuurd ({size})")
    assert any(item.get("first_name") == f"Anouk-{size}" for item in store.waiting_callbacks())


def test_errors_show_at_each_field_and_in_the_summary(page: Page, site: tuple[str, Any]) -> None:
    base, _ = site
    page.goto(f"{base}/terugbellen?gemeente=purmerend")
    page.get_by_label("Uw voornaam").fill("Kees")
    page.get_by_label("Telefoonnummer of e-mailadres").fill("bel me")
    page.get_by_role("button", name="Verstuur").click()
    summary = page.get_by_role("alert")
    invalid = {
        "veld-contact": "Vul een telefoonnummer (10 cijfers) of een e-mailadres in.",
        "veld-best_time": "Kies wanneer het u past.",
        "veld-summary": "Schrijf in één zin waar het over gaat.",
        "veld-consent": "Geef toestemming, anders kan de gemeente u niet bellen.",
    }
    for field, message in invalid.items():
        control = page.locator(f"#{field}")
        expect(control).to_have_attribute("aria-invalid", "true")
        described = page.locator(f"#{control.get_attribute('aria-describedby')}")
        expect(described).to_be_visible()
        expect(described).to_have_text(f"Fout: {message}")
        expect(summary).to_contain_text(message)
    expect(page.get_by_label("Uw voornaam")).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Uw voornaam")).to_have_value("Kees")  # what was typed stays
    # The accessible description is what a screen reader reads with the field.
    description = page.evaluate(
        "async () => { const c = document.querySelector('#veld-contact');"
        " return c.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent)"
        ".join(' '); }"
    )
    assert "Vul een telefoonnummer" in description
    page.get_by_role("link", name=invalid["veld-consent"]).click()
    assert page.evaluate("location.hash") == "#veld-consent"


def test_the_consent_checkbox_and_radio_buttons_are_big_enough_targets(page: Page, site: tuple[str, Any]) -> None:
    """WCAG 2.2, 2.5.8: a target of at least 24 by 24 CSS pixels."""
    base, _ = site
    page.goto(f"{base}/terugbellen?gemeente=purmerend")
    for control in page.locator("input[type=checkbox], input[type=radio]").all():
        box = control.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, box


def test_the_form_without_javascript(browser: Browser, site: tuple[str, Any]) -> None:
    base, store = site
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base}/terugbellen?gemeente=leiderdorp")
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul uw voornaam in.")
    fill_form(page, "Zonder-Script", "jan@example.org")
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw vraag is verstuurd")
    expect(page.locator("main")).to_contain_text("Kijk op leiderdorp.nl.")  # the gemeente's own contact
    [queued] = [item for item in store.waiting_callbacks() if item.get("first_name") == "Zonder-Script"]
    assert queued.gemeente == "leiderdorp" and queued.get("contact") == "jan@example.org"
    context.close()


def test_the_form_with_the_keyboard_only(page: Page, site: tuple[str, Any]) -> None:
    base, store = site
    page.goto(f"{base}/terugbellen?gemeente=purmerend")
    page.locator("#veld-first_name").focus()
    page.keyboard.type("Toetsen")
    page.keyboard.press("Tab")
    page.keyboard.type("0299-123456")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first radio button
    page.keyboard.press("Tab")
    page.keyboard.type("Vraag over mantelzorg")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # consent
    expect(page.locator("#veld-consent")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Verstuur"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw vraag is verstuurd")
    assert any(item.get("first_name") == "Toetsen" for item in store.waiting_callbacks())


def login(page: Page, base: str) -> None:
    page.goto(f"{base}/beheer/terugbellen")
    page.get_by_label("Toegangscode").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terugbelverzoeken")


def test_the_beheer_queue_is_accessible_and_handled_deletes(sized: tuple[str, Page], site: tuple[str, Any]) -> None:
    size, page = sized
    base, store = site
    waiting = {"first_name": f"Wachtend-{size}", "contact": "06-55555555", "best_time": "ochtend", "summary": "Wmo"}
    store.queue_callback("purmerend", waiting)
    login(page, base)
    entry = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=f"Wachtend-{size} (purmerend)"))
    expect(entry).to_contain_text("06-55555555")
    expect(entry.get_by_role("link", name="06-55555555")).to_have_attribute("href", "tel:0655555555")
    assert_no_violations(page, f"beheer wachtrij ({size})")
    entry.get_by_role("button", name="Afgehandeld: verwijderen").click()
    expect(page.get_by_role("status")).to_have_text("Het verzoek is verwijderd.")
    expect(page.get_by_role("heading", name=f"Wachtend-{size} (purmerend)")).to_have_count(0)
    assert_no_violations(page, f"beheer wachtrij na afhandelen ({size})")
    assert all(item.get("first_name") != f"Wachtend-{size}" for item in store.waiting_callbacks())


def test_the_accessibility_statement(sized: tuple[str, Page], site: tuple[str, Any]) -> None:
    size, page = sized
    base, _ = site
    page.goto(f"{base}/terugbellen?gemeente=purmerend")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheid")
    for heading in ("Voor welke pagina's geldt dit?", "Hoe ver zijn we?", "Wat testen we?",
                    "Wat werkt nog niet goed?", "Loopt u ergens tegenaan?"):  # fmt: skip
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Purmerend: bel (0299) 452 452 of mail naar info@purmerend.nl.")
    expect(main).to_contain_text("Leiderdorp: kijk op leiderdorp.nl.")
    assert_no_violations(page, f"toegankelijkheidsverklaring ({size})")


def test_every_page_links_to_the_statement(page: Page, site: tuple[str, Any]) -> None:
    base, _ = site
    pages = ("/?gemeente=purmerend", "/privacy", "/balie", "/terugbellen", "/bronnen/purmerend-programmadoelen-2023")
    for path in pages:
        page.goto(f"{base}{path}")
        expect(page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid")).to_have_attribute(
            "href", "/toegankelijkheid"
        )


def test_the_statement_is_plain_dutch(page: Page, site: tuple[str, Any]) -> None:
    """What a resident reads (not the part with test names for specialists) passes the plain-language check."""
    base, _ = site
    page.goto(f"{base}/toegankelijkheid")
    texts: list[str] = page.evaluate(
        "() => { const out = []; for (const el of document.querySelectorAll('main h2, main p, main li')) {"
        " if (el.tagName === 'H2' && el.textContent.includes('precies')) break;"
        " if (el.tagName !== 'H2') out.push(el.textContent.replace(/\\s+/g, ' ').trim()); } return out; }"
    )
    glossary = load_knowledge().glossary
    together = " ".join(texts)
    assert check_text(together, glossary) == [], together


@pytest.mark.parametrize("path", ["/terugbellen?gemeente=purmerend", "/toegankelijkheid"])
def test_no_sideways_scrolling_at_320px(browser: Browser, site: tuple[str, Any], path: str) -> None:
    base, _ = site
    context: BrowserContext = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{base}{path}")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    context.close()


def test_the_report_and_the_database_hold_no_readable_request(site: tuple[str, Any]) -> None:
    """After the browser tests above put requests in the queue: the SQLite file itself has none of it readable."""
    _, store = site
    store.queue_callback("purmerend", {"first_name": "Geheim-Naam", "contact": "06-24682468", "summary": "x"})
    database = Path(str(store.engine.url.database))
    raw = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    assert b"Geheim-Naam" not in raw and b"06-24682468" not in raw
    assert re.search(rb"v1\.[A-Za-z0-9_-]{40,}", raw), "the sealed values are there"


@pytest.mark.parametrize("javascript", [True, False], ids=["met-javascript", "zonder-javascript"])
def test_the_bots_offer_is_a_link_to_the_form(browser: Browser, api_base: str, javascript: bool) -> None:
    """The chat (scripted Rasa) shows the callback offer as a link that opens the form, with and without
    JavaScript; the other button stays a button that sends its message."""
    context = browser.new_context(java_script_enabled=javascript, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.locator("#message").fill("ik wil iemand spreken")
    page.locator("#send").click()
    offer = page.locator(".ww-message--bot").last
    expect(offer.get_by_role("button", name="Nee, bedankt")).to_be_visible()
    link = offer.get_by_role("link", name="Ja, bel mij terug")
    expect(link).to_have_attribute("href", "/terugbellen?gemeente=purmerend&lang=nl")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liever teruggebeld worden?")
    expect(page.get_by_label("Gemeente", exact=True)).to_have_value("purmerend")
    context.close()


def test_in_the_widget_the_form_opens_beside_the_host_page(page: Page, api_base: str) -> None:
    """The widget's frame is small and sits on the gemeente's site: the form opens in a tab of its own."""
    page.goto(f"{api_base}/widget/frame?gemeente=purmerend")
    page.locator("#message").fill("ik wil iemand spreken")
    page.locator("#send").click()
    link = page.locator(".ww-message--bot").last.get_by_role("link", name="Ja, bel mij terug")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")

"""A conversation belongs to the browser it was given to (Chromium, the API, a scripted stand-in for Rasa).

The API issues the session with the first answer and binds it to the browser's HttpOnly cookie; the page keeps
the token in sessionStorage. Another browser that is handed the same token (copied, or read from a shared
computer's storage) gets a new conversation: Rasa sees another sender."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import open_widget
from tests.fake_rasa import FakeRasa

KEY = "wegwijzer:gesprek:purmerend"


def ask(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    expect(page.locator(".ww-message--bot")).to_have_count(page.locator(".ww-message--user").count())


def test_a_session_copied_to_another_browser_starts_a_new_conversation(
    browser: Browser, api_base: str, fake_rasa: FakeRasa
) -> None:
    owner, other = browser.new_context(), browser.new_context()
    try:
        page = owner.new_page()
        page.goto(f"{api_base}/?gemeente=purmerend")
        cookie = next(c for c in owner.cookies() if c["name"] == "wegwijzer_klant")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert page.evaluate("document.cookie") == "", "the page's script cannot read it"
        ask(page, "ik heb schulden")
        sender = fake_rasa.calls[-1]["sender"]
        ask(page, "hoe bereik ik ze?")
        assert fake_rasa.calls[-1]["sender"] == sender, "the owner's conversation goes on"
        saved = page.evaluate(f"sessionStorage.getItem('{KEY}')")
        token = json.loads(saved)["sessionId"]
        assert "." in token, "the token the API issued"

        taken = other.new_page()
        taken.goto(f"{api_base}/?gemeente=purmerend")
        taken.evaluate(f"sessionStorage.setItem('{KEY}', {json.dumps(saved)})")
        taken.reload()
        expect(taken.locator(".ww-message--bot")).to_have_count(2)  # the copied transcript is shown ...
        taken.locator("#message").fill("hoe bereik ik ze?")
        taken.locator("#message").press("Enter")
        expect(taken.locator(".ww-message--bot")).to_have_count(3)
        assert fake_rasa.calls[-1]["sender"] != sender, "... but the conversation in Rasa is a new one"
        new_token = json.loads(taken.evaluate(f"sessionStorage.getItem('{KEY}')"))["sessionId"]
        assert new_token != token
    finally:
        owner.close()
        other.close()


def test_a_widget_session_copied_to_another_browser_starts_a_new_conversation(
    browser: Browser, api_base: str, fake_rasa: FakeRasa
) -> None:
    """The same through the widget on a municipal page, the conversation kept in the host page's storage. The
    widget is served from the host's own site (as docs/deploy.md asks: a subdomain of the gemeente's domain), so
    the frame's requests carry the SameSite cookie; from another site they do not (see docs/privacy.md)."""
    owner, other = browser.new_context(), browser.new_context()
    with HostSite(api_base.replace("127.0.0.1", "localhost")) as host_site:
        page = owner.new_page()
        page.goto(f"{host_site.url}/index.html")
        frame = open_widget(page)
        frame.locator("#message").fill("ik heb schulden")
        frame.locator("#message").press("Enter")
        expect(frame.locator(".ww-message--bot")).to_have_count(1)
        sender = fake_rasa.calls[-1]["sender"]
        saved = page.evaluate(f"sessionStorage.getItem('{KEY}')")
        assert saved and "." in json.loads(saved)["sessionId"], "the token the API issued, kept by the host page"

        taken = other.new_page()
        taken.goto(f"{host_site.url}/index.html")
        taken.evaluate(f"sessionStorage.setItem('{KEY}', {json.dumps(saved)})")
        taken.reload()
        copied = open_widget(taken)
        expect(copied.locator(".ww-message--bot")).to_have_count(1)  # the copied transcript is shown ...
        copied.locator("#message").fill("hoe bereik ik ze?")
        copied.locator("#message").press("Enter")
        expect(copied.locator(".ww-message--bot")).to_have_count(2)
        assert fake_rasa.calls[-1]["sender"] != sender, "... but the conversation in Rasa is a new one"
    owner.close()
    other.close()

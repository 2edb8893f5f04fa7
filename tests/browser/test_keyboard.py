"""Keyboard only: every control reachable with Tab, visibly focused, bot buttons work with Enter."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.support import run_axe
from tests.fake_rasa import DEBT_PAYLOAD, FakeRasa

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return { id: el.id, text: el.textContent.trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
}"""


def tab_to(page: Page, selector: str, limit: int = 40) -> list[dict[str, object]]:
    """Press Tab until `selector` has focus; returns the focus style of every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STYLE))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} is not reachable with Tab; stops: {[s['text'][:30] for s in stops]}")


def test_the_chat_with_the_keyboard_only(page: Page, api_base: str, fake_rasa: FakeRasa) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Naar de inhoud")
    page.keyboard.press("Enter")
    stops = tab_to(page, "#message")
    for stop in stops:
        assert stop["outline"] != "none" and stop["width"] >= 2, f"focus not visible on {stop}"
    page.keyboard.type("ik kan de huur niet betalen")
    page.keyboard.press("Enter")
    expect(page.locator(".ww-choice").first).to_be_visible()
    # The bot's buttons come just before the question box: back with Shift+Tab.
    page.keyboard.press("Shift+Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class("utrecht-button utrecht-button--secondary-action ww-choice")
    expect(focused).to_have_text("Bijstandsuitkering")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("Loket Schulddienstverlening")
    page.keyboard.press("Enter")
    expect(page.locator(".ww-sources a")).to_be_visible()
    assert fake_rasa.calls[-1]["message"] == DEBT_PAYLOAD
    stops = tab_to(page, ".ww-sources a")
    assert stops[-1]["outline"] != "none"
    tab_to(page, "#restart")
    page.keyboard.press("Enter")
    expect(page.locator(".ww-message")).to_have_count(1)  # the opening message stays
    expect(page.locator("#message")).to_be_focused()
    run_axe(page, "chat: na toetsenbordgebruik")

"""A phone's first screen, the gemeente's own look, printing and dark mode, in Chromium."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite

PHONE = {"width": 360, "height": 740}


def test_on_a_phone_the_question_box_is_in_the_first_screen_with_the_opening(browser: Browser, api_base: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    opening = page.locator("[data-opening]")
    expect(opening).to_contain_text("Ik ben een chatbot, geen mens.")
    for element in (opening, page.locator("#message"), page.get_by_role("button", name="Verstuur")):
        box = element.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (element, box)
    assert page.evaluate("window.scrollY") == 0
    # No empty bordered box: the conversation area holds the opening message from the start.
    assert page.evaluate("document.querySelector('#transcript').children.length") == 1
    context.close()


def test_the_widget_uses_most_of_a_phone_screen(browser: Browser, host_site: HostSite) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{host_site.url}/index.html")
    page.get_by_role("button", name="Chat met de chatbot").click()
    frame = page.frame_locator("iframe.wegwijzer-frame")
    expect(frame.locator("#message")).to_be_visible()
    panel = page.locator("#wegwijzer-panel").bounding_box()
    assert panel is not None and panel["height"] >= 0.9 * PHONE["height"], panel
    log = frame.locator("#transcript").bounding_box()
    assert log is not None and log["height"] >= 0.45 * PHONE["height"], log
    page.get_by_role("button", name="Chat sluiten").click()
    expect(page.get_by_role("button", name="Chat met de chatbot")).to_be_focused()
    context.close()


def test_header_and_footer_show_the_gemeente_and_keep_it(page: Page, api_base: str) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    expect(page.locator(".ww-brand__link")).to_have_text("Purmerend")
    contact = page.get_by_role("contentinfo")
    expect(contact.get_by_role("region", name="Contact met de gemeente Purmerend")).to_be_visible()
    expect(contact.locator('a[href="tel:+31299452452"]')).to_be_visible()
    expect(contact.locator('a[href="https://purmerend.nl"]')).to_be_visible()
    expect(contact.get_by_role("link", name="Chat")).to_have_attribute("href", "/?gemeente=purmerend")
    page.get_by_role("link", name="Lees wat we met uw vraag doen").click()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Chat")).to_have_attribute(
        "href", "/?gemeente=purmerend"
    )
    page.goto(f"{api_base}/bronnen/leiderdorp-samenwerken-aan-welzijn-2017")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Chat")).to_have_attribute(
        "href", "/?gemeente=leiderdorp"
    )


def test_each_gemeente_has_its_own_colours(page: Page, api_base: str) -> None:
    colour = "getComputedStyle(document.querySelector('#send')).backgroundColor"
    page.goto(f"{api_base}/?gemeente=purmerend")
    assert page.evaluate(colour) == "rgb(0, 82, 155)"
    page.goto(f"{api_base}/?gemeente=leiderdorp")
    assert page.evaluate(colour) == "rgb(29, 107, 58)"
    footer = "getComputedStyle(document.querySelector('.ww-footer')).backgroundColor"
    assert page.evaluate(footer) == "rgb(18, 63, 35)"


def test_print_preview_hides_the_question_box_and_the_chrome(page: Page, api_base: str) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.locator("#message").fill("ik kan de huur niet betalen")
    page.locator("#message").press("Enter")
    expect(page.locator(".ww-choice").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#message")).to_be_hidden()
    expect(page.locator(".ww-header")).to_be_hidden()
    expect(page.locator(".ww-footer")).to_be_hidden()
    expect(page.locator(".ww-copy-answer").first).to_be_hidden()
    expect(page.locator(".ww-message--bot").last).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("#message")).to_be_visible()


def test_dark_mode_follows_the_browser(browser: Browser, api_base: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    assert background == "rgb(18, 18, 18)" and text == "rgb(240, 240, 240)", (background, text)
    assert page.evaluate("getComputedStyle(document.querySelector('#send')).backgroundColor") == "rgb(143, 193, 240)"
    context.close()

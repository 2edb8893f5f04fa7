"""Screenshots of the chat page, the widget on a host page and the front-desk page, desktop and 360 px,
plus a phone's first screen, an Arabic conversation, dark mode, an answer said simpler ("Zeg het simpeler"),
and the callback form sent with the request waiting in the /beheer queue (an API of its own with a
throwaway SQLite queue), into docs/screenshots/. Uses Debian's Chromium through Playwright.

    .venv/bin/python scripts/screenshots.py                  # the real stack when it can start, else a scripted Rasa
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000   # a stack that already runs
    .venv/bin/python scripts/screenshots.py --fake           # always the scripted Rasa (quick)
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, FrameLocator, Page, sync_playwright  # noqa: E402

from connectors.api.launch import free_port, running_api  # noqa: E402
from tests.browser.host_site import HostSite  # noqa: E402
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.fake_rasa import FakeRasa  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "mobiel": {"width": 360, "height": 780}}
QUESTION = "ik heb schulden en weet niet waar ik moet beginnen"
ARABIC = "لا أستطيع دفع الإيجار وعندي ديون كثيرة"


@contextmanager
def real_stack() -> Iterator[str | None]:
    try:
        from wegwijzer.stack import Ports, Stack, StackError
    except ImportError:
        yield None
        return
    # The host site of the widget runs on localhost (by default only a gemeente's own site may embed it), and
    # the screenshots' conversations go into a throwaway database, not into var/.
    os.environ.setdefault("WEGWIJZER_WIDGET_HOSTS", "http://localhost:*")
    records = tempfile.TemporaryDirectory()
    os.environ.setdefault("WEGWIJZER_DATABASE_URL", f"sqlite:///{records.name}/records.db")
    ports = Ports(actions=free_port(), rasa=free_port(), api=free_port())
    stack = Stack(ports, say=lambda line: print(line))
    try:
        stack.check_ready()
        stack.start()
    except StackError as error:
        print(f"de echte stack start niet ({error}); een nagespeelde Rasa wordt gebruikt")
        yield None
        return
    try:
        yield f"http://127.0.0.1:{ports.api}"
    finally:
        stack.stop()
        records.cleanup()


@contextmanager
def fake_stack() -> Iterator[str]:
    with FakeRasa() as fake:
        env = {
            "WEGWIJZER_RASA_URL": fake.url,
            "WEGWIJZER_ACTION_URL": fake.url,
            "WEGWIJZER_WIDGET_HOSTS": "http://localhost:*",  # the widget's host site runs on localhost
        }
        with running_api(env) as base:
            yield base


def converse(page: Page, chat: Page | FrameLocator, fake: bool) -> None:
    chat.locator("[data-chat][data-ready]").wait_for(state="attached")
    box = chat.locator("#message")
    box.fill("ik kan de huur niet betalen" if fake else QUESTION)
    box.press("Enter")
    chat.locator(".ww-message--bot").last.wait_for()
    if fake:
        chat.get_by_role("button", name="Loket Schulddienstverlening").click()
        chat.locator(".ww-sources a").last.wait_for()
    page.wait_for_timeout(300)


def shoot(browser: Browser, base: str, host: HostSite, fake: bool, out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for name, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        page = context.new_page()
        page.goto(f"{base}/?gemeente=purmerend")
        converse(page, page, fake)
        page.locator("#message").blur()
        made.append(out / f"chat-{name}.png")
        page.screenshot(path=made[-1], full_page=name == "desktop")

        page.goto(f"{host.url}/index.html")
        page.get_by_role("button", name="Chat met de chatbot").click()
        frame = page.frame_locator("iframe.wegwijzer-frame")
        converse(page, frame, fake)
        made.append(out / f"widget-{name}.png")
        page.screenshot(path=made[-1])

        page.goto(f"{base}/balie?gemeente=purmerend")
        page.keyboard.type("mantelzorg ondersteuning")
        page.locator(".ww-card").first.wait_for()
        page.wait_for_timeout(400)
        made.append(out / f"balie-{name}.png")
        page.screenshot(path=made[-1])
        context.close()
    made += phone_views(browser, base, out)
    made += simpler_views(browser, base, fake, out)
    made += callback_views(browser, out)
    return made


def simpler_views(browser: Browser, base: str, fake: bool, out: Path) -> list[Path]:
    """An answer with its simpler version (A2, from knowledge/simple) opened."""
    made = []
    for name, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        page = context.new_page()
        page.goto(f"{base}/?gemeente=purmerend")
        converse(page, page, fake)
        answer = page.locator(".ww-message--bot").last
        answer.locator("summary").click()
        answer.locator(".ww-simpler__text").wait_for()
        answer.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        made.append(out / f"chat-simpeler-{name}.png")
        page.screenshot(path=made[-1], full_page=name == "desktop")
        context.close()
    return made


def callback_views(browser: Browser, out: Path) -> list[Path]:
    """The callback form sent (phone), and the request waiting in /beheer (desktop and phone). Its own API
    with a throwaway queue: no webhook, no e-mail, a fictitious resident."""
    made = []
    token = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as folder:
        down = f"http://127.0.0.1:{free_port()}"
        env = {
            "WEGWIJZER_RASA_URL": down,
            "WEGWIJZER_ACTION_URL": down,
            "WEGWIJZER_DATABASE_URL": f"sqlite:///{folder}/records.db",
            "WEGWIJZER_ADMIN_TOKEN": token,
            "WEGWIJZER_RECORDS_KEY": secrets.token_urlsafe(16),
            "WEGWIJZER_CALLBACK_WEBHOOK": "",
            "WEGWIJZER_SMTP_HOST": "",
        }
        with running_api(env, log=Path(folder) / "api.log", need_index=False) as base:
            context = browser.new_context(viewport=SIZES["mobiel"], locale="nl-NL")
            page = context.new_page()
            page.goto(f"{base}/terugbellen?gemeente=purmerend&lang=nl")
            page.get_by_label("Uw voornaam").fill("Anouk")
            page.get_by_label("Telefoonnummer of e-mailadres").fill("06-12345678")
            page.get_by_label("'s middags (12-17 uur)").check()
            page.get_by_label("Waar gaat het over? Eén zin is genoeg.").fill("Ik wil hulp bij mijn schulden")
            page.get_by_label("Ik geef de gemeente toestemming om mij hierover te bellen of te mailen.").check()
            page.get_by_role("button", name="Verstuur").click()
            page.get_by_role("heading", name="Uw vraag is verstuurd").wait_for()
            made.append(out / "terugbellen-verstuurd-mobiel.png")
            page.screenshot(path=made[-1], full_page=True)
            context.close()
            for name, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="nl-NL")
                page = context.new_page()
                page.goto(f"{base}/beheer/terugbellen")
                page.get_by_label("Toegangscode").fill(token)
                page.get_by_role("button", name="Inloggen").click()
                page.get_by_role("heading", name="Anouk (purmerend)").wait_for()
                made.append(out / f"beheer-terugbellen-{name}.png")
                page.screenshot(path=made[-1], full_page=True)
                context.close()
    return made


def phone_views(browser: Browser, base: str, out: Path) -> list[Path]:
    """What a resident sees first on a phone, an Arabic conversation (right to left), and dark mode."""
    made = []
    for name, scheme in (("mobiel-start", "light"), ("mobiel-donker", "dark")):
        context = browser.new_context(viewport=SIZES["mobiel"], locale="nl-NL", color_scheme=scheme)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(f"{base}/?gemeente=purmerend")
        page.locator("[data-chat][data-ready]").wait_for(state="attached")
        made.append(out / f"chat-{name}.png")
        page.screenshot(path=made[-1])
        context.close()
    context = browser.new_context(viewport=SIZES["mobiel"], locale="ar")
    page = context.new_page()
    page.goto(f"{base}/?gemeente=purmerend&lang=ar")
    page.locator("[data-chat][data-ready]").wait_for(state="attached")
    page.locator("#message").fill(ARABIC)
    page.locator("#message").press("Enter")
    page.locator(".ww-message--bot").last.wait_for()
    page.wait_for_timeout(300)
    page.locator("#message").blur()
    made.append(out / "chat-arabisch-mobiel.png")
    page.screenshot(path=made[-1], full_page=True)
    context.close()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", help="het adres van een draaiende API (bijvoorbeeld http://127.0.0.1:8000)")
    parser.add_argument("--fake", action="store_true", help="altijd de nagespeelde Rasa gebruiken")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="de map voor de schermafdrukken (standaard docs/screenshots)"
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        base = args.base
        if base is None and not args.fake:
            base = stack.enter_context(real_stack())
        fake = base is None
        if base is None:
            base = stack.enter_context(fake_stack())
        host = stack.enter_context(HostSite(base))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for path in shoot(browser, base, host, fake, args.out):
                print(f"    {path}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

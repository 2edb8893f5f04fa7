"""The pieces of issue 15 on their own: a number split over two messages, log records, the services' secrets,
the button payloads Rasa may read, the session tokens and the trusted proxies.

Every one of them is also exercised through the running stack in tests/test_privacy_stack.py."""

from __future__ import annotations

import logging
import os
import stat
import sys
import warnings
from pathlib import Path

import pytest

from connectors.api.proxies import ProxySettingError, TrustedProxies, parse_proxies
from connectors.api.sessions import Sessions
from wegwijzer.paths import REPO_ROOT
from wegwijzer.privacy import redact
from wegwijzer.privacy.keys import is_sender, load_secret, rasa_sender
from wegwijzer.privacy.logs import install_log_redaction, redact_line
from wegwijzer.privacy.split import SplitRedactor, number_tail
from wegwijzer.records import RecordStore

sys.path.insert(0, str(REPO_ROOT / "bot"))
from channels.payloads import Payloads, known_ids

# ---- a number over two messages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "stored_first", "second", "expected"),
    [
        ("mijn bsn is 1234", "mijn bsn is [BSN]", "56782", "[BSN]"),
        ("bsn 123 45", "bsn [BSN]", "6782 graag", "[BSN] graag"),
        ("bel me op 06", "bel me op [telefoonnummer]", "12345678 alstublieft", "[telefoonnummer] alstublieft"),
        ("mijn rekening NL91 ABNA", "mijn rekening [IBAN]", "0417 1643 00", "[IBAN]"),
        ("postcode 1441", "postcode 1441", "DM 42", "[postcode en huisnummer]"),  # a postcode alone stays
        ("mijn nummer is 06-1234", "mijn nummer is [telefoonnummer]", "5678", "[telefoonnummer]"),
        ("bsn \u0661\u0662\u0663", "bsn [BSN]", "\u0664\u0665\u0666\u0667\u0668\u0662", "[BSN]"),  # Arabic-Indic
        ("123 45", "123 45", "6782", "[BSN]"),  # not announced: the first part alone is no personal data
    ],
)
def test_the_rest_of_a_number_in_the_next_message_is_redacted(
    first: str, stored_first: str, second: str, expected: str
) -> None:
    redactor = SplitRedactor()
    assert redactor.redact("s", first).text == stored_first, "an announced beginning is redacted at once"
    assert redactor.redact("s", second).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mijn bsn is 1634", "mijn bsn is [BSN]"),
        ("Mijn burgerservicenummer: 1634 20", "Mijn burgerservicenummer: [BSN]"),
        ("bel me op 06", "bel me op [telefoonnummer]"),
        ("mijn telefoonnummer is +31 6", "mijn telefoonnummer is [telefoonnummer]"),
        ("rekeningnummer RABO 0123", "rekeningnummer [IBAN]"),
        ("iban NL91 ABNA 0417", "iban [IBAN]"),
        # look-alikes: no cue, a number that cannot begin the kind, or not at the end
        ("het kost 1250", "het kost 1250"),
        ("bel 112", "bel 112"),
        ("bel 0800 1234", "bel 0800 1234"),
        ("bel me om 10", "bel me om 10"),
        ("bel ons tussen 9 en 17", "bel ons tussen 9 en 17"),
        ("mijn bsn is 1634 en ik woon in Edam", "mijn bsn is 1634 en ik woon in Edam"),
        ("waar vind ik mijn bsn? ik ben 45", "waar vind ik mijn bsn? ik ben 45"),
        ("ik heb 1 bsn", "ik heb 1 bsn"),
        ("zaaknummer 2023-0456", "zaaknummer 2023-0456"),
        ("mijn bsn is 123456789", "mijn bsn is 123456789"),  # whole, fails the elfproef: the rule of numbers.py
    ],
)
def test_a_number_the_message_announces_at_its_end_is_redacted_in_one_message(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_a_number_over_three_messages() -> None:
    redactor = SplitRedactor()
    assert [redactor.redact("s", part).text for part in ("123", "456", "782 dank u")] == ["123", "456", "[BSN] dank u"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ik heb 3 kinderen", "van 4 en 6 jaar"),
        ("het kost 1250", "euro per maand"),
        ("ik ben 45", "jaar oud"),
        ("mijn bsn is 1234", "en mijn vraag gaat over huur"),
        ("afspraak om 10", "30 uur"),
    ],
)
def test_look_alikes_over_two_messages_stay(first: str, second: str) -> None:
    redactor = SplitRedactor()
    redactor.redact("s", first)
    assert redactor.redact("s", second).text == second


def test_each_conversation_has_its_own_tail_and_it_is_forgotten() -> None:
    now = [0.0]
    redactor = SplitRedactor(ttl_s=60, max_sessions=2, clock=lambda: now[0])
    redactor.redact("a", "bsn 1234")
    assert redactor.redact("b", "56782").text == "56782", "another conversation's tail is not read"
    redactor.redact("a", "bsn 1234")
    now[0] = 61.0
    assert redactor.redact("a", "56782").text == "56782", "older than the TTL: forgotten"
    for name in ("c", "d", "e"):
        redactor.redact(name, "06")
    assert len(redactor) == 2, "at most max_sessions tails"


def test_the_tail_keeps_only_the_digits_at_the_end() -> None:
    assert number_tail("mijn naam is Jan en mijn bsn is 1234") == "1234"
    assert number_tail("ik heb schulden") == ""
    assert len(number_tail("1 " * 100)) <= 40


# ---- log records ----------------------------------------------------------------------------------------------


def test_every_log_record_is_redacted_also_of_loggers_made_later(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    logger = logging.getLogger("een.bibliotheek.van.later")
    with caplog.at_level(logging.INFO):
        logger.info("bericht van %s: bel %s", "bsn 123456782", "06-12345678")
        logger.warning({"text": "mijn iban NL91ABNA0417164300"})
        try:
            raise ValueError("mail jan@voorbeeld.nl")
        except ValueError:
            logger.exception("fout")
        with warnings.catch_warnings():  # pytest records warnings itself: route this one as Rasa's process does
            warnings.simplefilter("always")
            logging.captureWarnings(False)
            logging.captureWarnings(True)
            warnings.warn('Failed to parse \'/inform{"bsn": "123 456 782"}\'', UserWarning, stacklevel=1)
            logging.captureWarnings(False)
    text = caplog.text + " ".join(r.exc_text or "" for r in caplog.records)
    for value in ("123456782", "12345678", "NL91ABNA", "jan@voorbeeld.nl", "123 456 782"):
        assert value not in text, value
    assert "[BSN]" in text and "[telefoonnummer]" in text and "[e-mailadres]" in text
    assert any(r.name == "py.warnings" and "Failed to parse" in r.getMessage() for r in caplog.records)


def test_a_json_log_line_with_escaped_digits_is_redacted() -> None:
    line = '{"event": "message", "user_text": "bsn \\u0661\\u0662\\u0663\\u0664\\u0665\\u0666\\u0667\\u0668\\u0662"}'
    assert "[BSN]" in redact_line(line)


def test_the_access_log_filter_still_finds_its_arguments() -> None:
    from connectors.api.security import NoQueryStrings

    install_log_redaction()
    record = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4", "GET", "/x?q=1", "1.1", 200),
        None,
    )
    NoQueryStrings().filter(record)
    assert record.getMessage() == '- - "GET /x HTTP/1.1" 200'


# ---- the services' secrets ------------------------------------------------------------------------------------


def test_a_secret_is_made_once_in_var_with_mode_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_VAR", str(tmp_path))
    monkeypatch.delenv("WEGWIJZER_TEST_SECRET", raising=False)
    first = load_secret("WEGWIJZER_TEST_SECRET", "test.key")
    assert len(first) == 64 and load_secret("WEGWIJZER_TEST_SECRET", "test.key") == first
    assert stat.S_IMODE(os.stat(tmp_path / "test.key").st_mode) == 0o600
    monkeypatch.setenv("WEGWIJZER_TEST_SECRET", "uit-de-omgeving")
    assert load_secret("WEGWIJZER_TEST_SECRET", "test.key") == "uit-de-omgeving"


def test_rasa_gets_a_keyed_hash_of_the_session() -> None:
    sender = rasa_sender("123456782", b"sleutel")
    assert is_sender(sender) and "123456782" not in sender
    assert sender != rasa_sender("123456782", b"andere sleutel")
    assert not is_sender("123456782") and not is_sender("tg-" + "a" * 29) and not is_sender(None)


# ---- button payloads --------------------------------------------------------------------------------------


def test_only_the_payloads_the_bot_offers_reach_rasa_as_payloads() -> None:
    payloads = Payloads(known_ids())
    for offered in ("/affirm", "/feedback_helped", '/choose{"place": "purmerend-schulddienstverlening"}'):
        assert payloads.as_words(offered) == offered
    assert payloads.as_words('/change_gemeente{"gemeente": "leiderdorp"}').startswith("/")
    for crafted, words in [
        ('/inform{"x": "geheim"}', 'inform{"x": "geheim"}'),
        ('/choose{"place": "123456782"}', 'choose{"place": "123456782"}'),
        ('/choose{"place": "purmerend-schulddienstverlening", "x": "1"}', None),
        ('/affirm{"bsn": "123456782"}', None),
        ("//greet", "greet"),
        ("/hulp_schulden", "hulp_schulden"),
    ]:
        result = payloads.as_words(crafted)
        assert not result.startswith("/"), crafted
        assert words is None or result == words


# ---- sessions --------------------------------------------------------------------------------------------


def test_a_session_token_works_only_as_issued() -> None:
    sessions = Sessions(b"sleutel")
    cookie, other = "c" * 22, "d" * 22
    bound = sessions.resolve(None, cookie)
    assert bound.new and "." in bound.token
    assert sessions.resolve(bound.token, cookie) == type(bound)(bound.id, bound.token, False)
    assert sessions.resolve(bound.token, other).new, "another browser's cookie: a new conversation"
    assert sessions.resolve(bound.token, None).new, "without the cookie: a new conversation"
    assert sessions.resolve(bound.id, cookie).new, "the id without its signature: a new conversation"
    assert sessions.resolve("abc123", cookie).new
    assert Sessions(b"andere sleutel").resolve(bound.token, cookie).new
    unbound = sessions.resolve(None, None)
    again = sessions.resolve(unbound.token, None)
    assert not again.new and again.id == unbound.id
    kept = sessions.resolve(unbound.token, cookie)
    assert kept == type(unbound)(unbound.id, unbound.token, False), "nowhere to remember a binding: stays unbound"


def test_a_token_issued_without_a_cookie_is_dead_alone_once_bound(store: RecordStore) -> None:
    """On SQLite and on PostgreSQL (the `store` fixture of tests/conftest.py)."""
    sessions = Sessions(b"sleutel", bindings=lambda: store)
    cookie, other = "c" * 22, "d" * 22
    unbound = sessions.resolve(None, None)
    assert sessions.resolve(unbound.token, None) == type(unbound)(unbound.id, unbound.token, False)
    rebound = sessions.resolve(unbound.token, cookie)
    assert rebound.id == unbound.id and rebound.token != unbound.token and not rebound.new, "bound from now on"
    assert sessions.resolve(rebound.token, cookie).id == unbound.id
    alone = sessions.resolve(unbound.token, None)
    assert alone.new and alone.id != unbound.id, "the token alone, after the binding: a new conversation"
    assert sessions.resolve(unbound.token, other).new, "nor with another browser's cookie"
    assert sessions.resolve(unbound.token, cookie).new, "nor re-bound: the bound token is the one that works"
    assert sessions.resolve(rebound.token, other).new
    with store.engine.connect() as connection:
        markers = [str(row) for row in connection.execute(store.tables.bound_sessions.select())]
    assert len(markers) == 1 and unbound.id not in markers[0], "only a keyed hash of the id is stored"
    # Another API process (or one after a restart) reads the same binding.
    assert Sessions(b"sleutel", bindings=lambda: store).resolve(unbound.token, None).new


def test_an_unreadable_binding_store_starts_a_new_conversation() -> None:
    class Down:
        def bind_session(self, marker: str) -> None:
            raise OSError("database down")

        def session_bound(self, marker: str) -> bool:
            raise OSError("database down")

    unbound = Sessions(b"sleutel").resolve(None, None)
    assert Sessions(b"sleutel", bindings=Down).resolve(unbound.token, None).new


# ---- proxies ---------------------------------------------------------------------------------------------


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy() -> None:
    proxies = TrustedProxies(parse_proxies("127.0.0.1 10.0.0.0/8"))
    assert proxies.client("127.0.0.1", ["6.6.6.6, 203.0.113.9"]) == ("203.0.113.9", True)
    assert proxies.client("127.0.0.1", ["127.0.0.1, 203.0.113.9, 10.1.2.3"]) == ("203.0.113.9", True)
    assert proxies.client("198.51.100.1", ["203.0.113.9"]) == ("198.51.100.1", False), "not from a proxy"
    assert TrustedProxies().client("127.0.0.1", ["203.0.113.9"]) == ("127.0.0.1", False), "none trusted by default"
    with pytest.raises(ProxySettingError, match="niet '\\*'"):
        parse_proxies("*")

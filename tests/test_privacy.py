"""Redaction: check digits, each kind of personal data, look-alikes, and the Python 3.10 / stdlib-only promise."""

from __future__ import annotations

import ast
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wegwijzer.paths import REPO_ROOT
from wegwijzer.privacy import Redacted, elfproef, findings, iban_valid, redact

PRIVACY_DIR = REPO_ROOT / "wegwijzer" / "privacy"
RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"


# ---- elfproef ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["123456782", "111222333", "628194821", "010000008"])
def test_elfproef_accepts_valid_numbers(number: str) -> None:
    assert elfproef(number)


@pytest.mark.parametrize(
    "number",
    [
        "123456789",  # sum 9+16+21+24+25+24+21+16-9 = 147, 147 % 11 = 4
        "000000000",  # all zeros passes the sum but is nobody's number
        "12345678",  # eight digits
        "1234567820",  # ten digits
        "12345678a",
        "１２３４５６７８２",  # full-width digits are not ASCII
        "",
    ],
)
def test_elfproef_rejects(number: str) -> None:
    assert not elfproef(number)


def test_elfproef_weights_last_digit_negative() -> None:
    # 9*1 + 8*0 + ... + 2*0 - 1*9 = 0: divisible by 11 only because the last weight is -1
    assert elfproef("100000009")
    assert not elfproef("100000002")


# ---- mod-97 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164300",
        "NL91 ABNA 0417 1643 00",
        "nl91abna0417164300",
        "BE68539007547034",
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NO9386011117947",  # shortest registered length (15)
        "LC55HEMM000100010012001200023015",  # one of the longest (32)
    ],
)
def test_iban_valid(iban: str) -> None:
    assert iban_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164301",  # one digit off
        "NL19ABNA0417164300",  # check digits swapped
        "NL91ABNA041716430",  # too short for NL (17 instead of 18)
        "NL91ABNA04171643000",  # too long for NL
        "NL01ABNA0417164300",  # check digits 00, 01 and 99 are never issued
        "9L91ABNA0417164300",
        "NLAAABNA0417164300",
        "NL91ABNA041716430!",
        "",
    ],
)
def test_iban_invalid(iban: str) -> None:
    assert not iban_valid(iban)


# ---- redact: each kind ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mijn BSN is 123456782.", "Mijn BSN is [BSN]."),
        ("bsn 123 456 782 graag", "bsn [BSN] graag"),
        ("bsn 123.456.782", "bsn [BSN]"),
        ("bsn 1234.56.782", "bsn [BSN]"),
        ("IBAN NL91 ABNA 0417 1643 00, dank", "IBAN [IBAN], dank"),
        ("iban nl91abna0417164300", "iban [IBAN]"),
        ("bel 06-12345678", "bel [telefoonnummer]"),
        ("bel +31 6 12345678 of 020-1234567", "bel [telefoonnummer] of [telefoonnummer]"),
        ("(0299) 452 452", "[telefoonnummer]"),
        ("+44 20 7946 0958", "[telefoonnummer]"),
        ("mail jan@example.nl.", "mail [e-mailadres]."),
        ("1441 DM 42", "[postcode en huisnummer]"),
        ("Purmersteenweg 42, 1441 DM Purmerend", "[postcode en huisnummer] Purmerend"),
        ("geboren op 12 maart 1985", "geboren op [geboortedatum]"),
        ("geb. 3/4/85", "geb. [geboortedatum]"),
    ],
)
def test_redact_replaces_with_placeholder(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "dossier 123456789",  # fails the elfproef
        "€ 1.250,00 en 2023",
        "afspraak op 12 maart om 10.30",
        "afspraak 05-03-2024 10 uur",  # not a phone number 0503202410
        "Kerkstraat 12 in Purmerend",
        "welk wijkteam hoort bij 1441 DM?",
        "8,5% rente",
        "Veilig Thuis 0800-2000, gemeente 14 0299",
        "sinds 1 januari 2010",
        "geboren in 1985",
        "Postbus 15, 1440 AA Purmerend",
        "NL91ABNA0417164301",  # wrong check digit
    ],
)
def test_lookalikes_survive(text: str) -> None:
    assert redact(text) == Redacted(text, ())


def test_found_lists_each_kind_once_in_order() -> None:
    result = redact("bel 0612345678 of 0687654321, bsn 123456782, mail a@b.nl")
    assert result.found == ("phone", "bsn", "email")
    assert result.text == "bel [telefoonnummer] of [telefoonnummer], bsn [BSN], mail [e-mailadres]"


def test_redact_is_idempotent_and_handles_empty() -> None:
    once = redact("geb. 01-02-1980, tel 06-12345678, 1441 DM 42, NL91ABNA0417164300, a@b.nl, 123456782")
    assert redact(once.text) == Redacted(once.text, ())
    assert redact("") == Redacted("", ())


def test_findings_do_not_overlap() -> None:
    text = "NL91ABNA0417164300 jan.0612345678@mail.nl 1441 DM 42 geboren 01-02-1980 123456782"
    spans = findings(text)
    assert [f.kind for f in spans] == ["iban", "email", "address", "birthdate", "bsn"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_long_hostile_input_is_fast() -> None:
    hostile = ["1 " * 1000, "0" * 2000, "+3" * 1000, "NL12 " * 400, "a@" * 1000, "Van der " * 250 + "12, 1441 DM"]
    for text in hostile:
        started = time.perf_counter()
        redact(text)
        assert time.perf_counter() - started < 0.5, text[:20]


# ---- standard library only, Python 3.10 ------------------------------------------------------------------------


def test_redaction_modules_import_only_the_standard_library() -> None:
    allowed_local = {"wegwijzer"}
    for path in PRIVACY_DIR.glob("*.py"):
        if path.name == "measure.py":  # the measurement runs in the 3.11 environment (PyYAML), never in Rasa's
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in allowed_local, f"{path.name} imports {name}"
                if top == "wegwijzer":
                    assert name.startswith("wegwijzer.privacy"), f"{path.name} imports {name}"


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="no .venv-rasa (WEGWIJZER_SKIP_RASA)")
def test_redact_runs_in_rasas_python_310() -> None:
    code = (
        "import sys; sys.path.insert(0, '.'); from wegwijzer.privacy import redact; "
        "assert sys.version_info[:2] == (3, 10), sys.version; "
        "r = redact('bsn 123456782, 06-12345678, geb. 1-2-1980, NL91ABNA0417164300, a@b.nl, 1441 DM 42'); "
        "print(r.text); print(','.join(r.found))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(RASA_PYTHON), "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()
    assert out[0] == (
        "bsn [BSN], [telefoonnummer], geb. [geboortedatum], [IBAN], [e-mailadres], [postcode en huisnummer]"
    )
    assert out[1] == "bsn,phone,birthdate,iban,email,address"


def test_privacy_package_has_no_310_incompatible_syntax() -> None:
    for path in Path(PRIVACY_DIR).glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 10))
        assert tree is not None

"""Check digits: the elfproef of the BSN and the ISO 13616 mod-97 check of the IBAN.

Standard library only (also imported in Rasa's Python 3.10 environment).
"""

from __future__ import annotations

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

# ISO 13616 registry: IBAN length per country (SWIFT IBAN registry, release 2024).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
IBAN_MIN, IBAN_MAX = 15, 34


def elfproef(digits: str) -> bool:
    """True for nine digits whose weighted sum (9·d1 + 8·d2 + … + 2·d8 − 1·d9) is divisible by 11.

    All zeros is not a number anyone has, so it fails.
    """
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(weight * int(digit) for weight, digit in zip(BSN_WEIGHTS, digits, strict=True))
    return total % 11 == 0


def iban_valid(candidate: str) -> bool:
    """ISO 13616: letters to numbers (A=10 … Z=35) after moving the first four characters to the end; mod 97 == 1.

    Spaces are ignored and case does not matter. A known country must have its registered length;
    an unknown country code is accepted within the general 15–34 characters.
    """
    iban = candidate.replace(" ", "").upper()
    if not (IBAN_MIN <= len(iban) <= IBAN_MAX) or not iban.isascii() or not iban.isalnum():
        return False
    country, check = iban[:2], iban[2:4]
    if not country.isalpha() or not check.isdigit() or check in ("00", "01", "99"):
        return False
    expected = IBAN_LENGTHS.get(country)
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1

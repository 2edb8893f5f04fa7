"""Phone numbers, web and e-mail addresses in a reply become links, and nothing else does."""

from __future__ import annotations

import pytest

from connectors.api.linkify import paragraphs, segments, spoken_digits, tel_href


def links(text: str) -> list[tuple[str, str]]:
    return [(s["text"], s["href"]) for s in segments(text) if "href" in s]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel de gemeente op (0299) 452 452.", [("(0299) 452 452", "tel:+31299452452")]),
        ("Bel 113 of gratis 0800-0113.", [("113", "tel:113"), ("0800-0113", "tel:08000113")]),
        (
            "Bel Veilig Thuis: 0800-2000. Is er direct gevaar? Bel dan 112.",
            [("0800-2000", "tel:08002000"), ("112", "tel:112")],
        ),
        ("Bel 020-123 4567 of 0299452452", [("020-123 4567", "tel:+31201234567"), ("0299452452", "tel:+31299452452")]),
    ],
)
def test_phone_numbers_become_tel_links(text: str, expected: list[tuple[str, str]]) -> None:
    assert links(text) == expected


def test_a_number_that_is_no_phone_number_stays_text() -> None:
    assert links("Kijk op 113.nl of 112.nl") == [("113.nl", "https://113.nl"), ("112.nl", "https://112.nl")]
    assert links("In 2023 kregen 1130 mensen hulp, artikel 1.12 en groep 8.") == []
    assert links("Bel 0800-01134567891234") == []


def test_web_and_mail_addresses_become_links_without_the_full_stop() -> None:
    text = (
        "Kijk op purmerend.nl. Mail info@purmerend.nl of ga naar https://www.dijkenwaard.nl/zorg, of www.leiderdorp.nl."
    )
    assert links(text) == [
        ("purmerend.nl", "https://purmerend.nl"),
        ("info@purmerend.nl", "mailto:info@purmerend.nl"),
        ("https://www.dijkenwaard.nl/zorg", "https://www.dijkenwaard.nl/zorg"),
        ("www.leiderdorp.nl", "https://www.leiderdorp.nl"),
    ]


def test_a_phone_number_is_read_digit_by_digit_in_its_groups() -> None:
    assert spoken_digits("(0299) 452 452") == "0 2 9 9, 4 5 2, 4 5 2"
    assert spoken_digits("0800-0113") == "0 8 0 0, 0 1 1 3"
    (link,) = [s for s in segments("Bel 113.") if "href" in s]
    assert link == {"text": "113", "href": "tel:113", "label": "113, 1 1 3", "kind": "tel"}
    assert tel_href("(0299) 452 452") == "tel:+31299452452"


def test_segments_put_the_text_back_together() -> None:
    text = "U kunt terecht bij het loket.\nBel (0299) 452 452 of kijk op purmerend.nl.\n\nNog een alinea."
    blocks = paragraphs(text)
    assert len(blocks) == 2
    assert "".join(s["text"] for s in blocks[0]) == text.split("\n\n")[0]
    assert "".join(s["text"] for s in segments(text)) == text
    assert paragraphs("") == [[{"text": ""}]]

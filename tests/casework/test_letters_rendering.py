"""The pure letter module: placeholders, refusals in Swedish, the address rule. No database."""

import datetime

import pytest

from casework.letters import (
    DEFAULT_TEXTS,
    KINDS,
    PLACEHOLDERS,
    PROTECTED_ADDRESS,
    LetterValues,
    UnknownPlaceholder,
    render,
    render_letter,
    swedish_date,
    unknown_placeholders,
)

VALUES = LetterValues(
    first_name="Åsa",
    last_name="Öberg",
    street="Ängsvägen 3",
    postal_code="571 31",
    city="Nässjö",
    coordinator="Karin Koordinator",
    municipality="Nässjö",
    phone="0380-51 80 00",
    date=datetime.date(2026, 11, 24),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hej {förnamn} {efternamn}!", "Hej Åsa Öberg!"),
        ("{adress}, {postnummer} {ort}", "Ängsvägen 3, 571 31 Nässjö"),
        ("Ring {koordinator} på {telefon}", "Ring Karin Koordinator på 0380-51 80 00"),
        ("{kommun} den {datum}", "Nässjö den 24 november 2026"),
        ("{ förnamn }", "Åsa"),
        ("Klamrar {{så här}}", "Klamrar {så här}"),
        ("Ingen platshållare alls", "Ingen platshållare alls"),
    ],
)
def test_render_fills_every_placeholder(text, expected):
    assert render(text, VALUES.as_placeholders()) == expected


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("Hej {fornamn}!", ["{fornamn}"]),
        ("Hej {namn} {namn} {personnummer}", ["{namn}", "{personnummer}"]),
        ("Hej {}", ["{}"]),
        ("Hej {förnamn", ["{"]),
        ("Hej förnamn}", ["}"]),
        ("Hej {Förnamn}", ["{Förnamn}"]),
    ],
)
def test_unknown_placeholders_are_found(text, unknown):
    assert unknown_placeholders(text) == unknown


def test_render_refuses_unknown_placeholder_in_swedish():
    with pytest.raises(UnknownPlaceholder) as error:
        render("Hej {fornamn}!", VALUES.as_placeholders())
    message = str(error.value)
    assert message.startswith("Okänd platshållare: {fornamn}.")
    assert "Tillåtna platshållare är {förnamn}, {efternamn}" in message


def test_several_unknown_placeholders_are_named_together():
    with pytest.raises(UnknownPlaceholder) as error:
        render("{a} {b}", {})
    assert str(error.value).startswith("Okända platshållare: {a}, {b}.")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 1), "1 januari 2026"),
        (datetime.date(2026, 12, 31), "31 december 2026"),
        (datetime.date(2027, 3, 9), "9 mars 2027"),
    ],
)
def test_swedish_date(day, expected):
    assert swedish_date(day) == expected


def test_protected_identity_never_gets_an_address():
    protected = LetterValues(**{**VALUES.__dict__, "protected_identity": True})
    letter = render_letter(
        kind="second_letter",
        subject="Till {förnamn}",
        body="Vi kommer till {adress}, {postnummer} {ort}.",
        values=protected,
    )
    assert letter.address_lines == []
    text = " ".join([letter.subject, *letter.paragraphs])
    for part in ("Ängsvägen", "571 31", "Nässjö"):
        assert part not in text
    assert PROTECTED_ADDRESS in text
    assert letter.protected_identity


def test_letter_has_address_block_and_paragraphs():
    letter = render_letter(
        kind="first_letter",
        subject="Hej {förnamn}",
        body="Stycke ett.\n\n\nStycke två.",
        values=VALUES,
    )
    assert letter.address_lines == ["Åsa Öberg", "Ängsvägen 3", "571 31 Nässjö"]
    assert letter.paragraphs == ["Stycke ett.", "Stycke två."]
    assert letter.subject == "Hej Åsa"
    assert letter.date == "24 november 2026"


def test_every_default_text_renders_and_every_kind_has_one():
    assert set(DEFAULT_TEXTS) == set(KINDS)
    for kind, (subject, body) in DEFAULT_TEXTS.items():
        letter = render_letter(kind=kind, subject=subject, body=body, values=VALUES)
        assert "Åsa" in " ".join([letter.subject, *letter.paragraphs])


def test_every_placeholder_has_a_value():
    assert set(VALUES.as_placeholders()) == set(PLACEHOLDERS)

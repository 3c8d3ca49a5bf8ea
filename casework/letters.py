"""Letters of the contact routine: placeholders, rendering and the default Swedish texts.

Pure: no ORM. The services build a ``LetterValues`` from a young person's
enrolment and the municipality's letterhead and call ``render``; managers'
edits are checked with ``unknown_placeholders`` before they are saved.

A placeholder is a name in braces, ``{förnamn}``. A literal brace is written
twice, ``{{`` or ``}}``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# The letter kinds (docs/domain.md, "Contact attempts"): the first letter, the second
# letter announcing the home visit, the sheet left at a home visit when nobody
# is home, and the follow-up letter.
FIRST_LETTER = "first_letter"
SECOND_LETTER = "second_letter"
INFO_SHEET = "info_sheet"
FOLLOWUP_LETTER = "followup_letter"
KINDS = (FIRST_LETTER, SECOND_LETTER, INFO_SHEET, FOLLOWUP_LETTER)

# Which letter a routine step calls for. The home visit has no letter of its own
# (the information sheet is left by hand), so it is not sent in a batch.
LETTER_FOR_STEP: dict[str, str] = {
    "first_contact": FIRST_LETTER,
    "second_attempt": SECOND_LETTER,
    "post_visit_followup": FOLLOWUP_LETTER,
    "periodic_attempt": FOLLOWUP_LETTER,
}

PLACEHOLDERS: dict[str, str] = {
    "förnamn": "ungdomens förnamn",
    "efternamn": "ungdomens efternamn",
    "adress": "gatuadress",
    "postnummer": "postnummer",
    "ort": "postort",
    "koordinator": "ansvarig koordinator",
    "kommun": "kommunens namn",
    "datum": "dagens datum",
    "telefon": "aktivitetsansvarets telefonnummer",
}

# Shown in place of an address that must never be printed (protected identity).
PROTECTED_ADDRESS = "(skyddad adress)"

SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class UnknownPlaceholder(ValueError):
    """A template names a placeholder that does not exist (message in Swedish)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(unknown_placeholder_message(names))


def unknown_placeholder_message(names: list[str]) -> str:
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    if len(names) == 1:
        return f"Okänd platshållare: {names[0]}. Tillåtna platshållare är {known}."
    listed = ", ".join(names)
    return f"Okända platshållare: {listed}. Tillåtna platshållare är {known}."


def unknown_placeholders(text: str) -> list[str]:
    """The unknown or malformed placeholders of ``text``, as written, in order, once each."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is not None and name.strip() in PLACEHOLDERS:
            continue
        # A lone brace or an unknown name: show it as the manager wrote it.
        if token not in found:
            found.append(token)
    return found


def render(text: str, values: dict[str, str]) -> str:
    """Replace each placeholder with its value; refuse unknown placeholders."""
    unknown = unknown_placeholders(text)
    if unknown:
        raise UnknownPlaceholder(unknown)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:  # an escaped brace, "{{" or "}}"
            return match.group(0)[0]
        return values.get(name.strip(), "")

    return _TOKEN.sub(replace, text)


def swedish_date(day: datetime.date) -> str:
    """24 november 2026."""
    return f"{day.day} {SWEDISH_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class LetterValues:
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    coordinator: str
    municipality: str
    phone: str
    date: datetime.date
    # Protected identity (skyddade personuppgifter): the address is never printed.
    protected_identity: bool = False

    def as_placeholders(self) -> dict[str, str]:
        street, postal_code, city = self.street, self.postal_code, self.city
        if self.protected_identity:
            street, postal_code, city = PROTECTED_ADDRESS, "", ""
        return {
            "förnamn": self.first_name,
            "efternamn": self.last_name,
            "adress": street,
            "postnummer": postal_code,
            "ort": city,
            "koordinator": self.coordinator,
            "kommun": self.municipality,
            "datum": swedish_date(self.date),
            "telefon": self.phone,
        }

    def address_lines(self) -> list[str]:
        """The address block of the letter; empty for protected identity."""
        if self.protected_identity:
            return []
        lines = [f"{self.first_name} {self.last_name}".strip()]
        if self.street:
            lines.append(self.street)
        postal_line = f"{self.postal_code} {self.city}".strip()
        if postal_line:
            lines.append(postal_line)
        return lines


@dataclass(frozen=True)
class RenderedLetter:
    kind: str
    subject: str
    paragraphs: list[str]
    address_lines: list[str]
    date: str
    protected_identity: bool


def render_letter(*, kind: str, subject: str, body: str, values: LetterValues) -> RenderedLetter:
    placeholders = values.as_placeholders()
    rendered_body = render(body, placeholders)
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", rendered_body) if part.strip()]
    return RenderedLetter(
        kind=kind,
        subject=render(subject, placeholders),
        paragraphs=paragraphs,
        address_lines=values.address_lines(),
        date=swedish_date(values.date),
        protected_identity=values.protected_identity,
    )


# The texts a municipality starts from; managers change them in the interface.
DEFAULT_TEXTS: dict[str, tuple[str, str]] = {
    FIRST_LETTER: (
        "Hej {förnamn}! Vi vill gärna prata med dig",
        "Hej {förnamn}!\n\n"
        "Vi på det kommunala aktivitetsansvaret i {kommun} kontaktar alla unga under 20 år "
        "som inte går i gymnasieskolan eller har en gymnasieexamen. Det är något "
        "kommunen gör för alla i din situation, enligt skollagen.\n\n"
        "Vi vill gärna träffa dig för att höra hur du har det och vad du vill göra "
        "framåt: studier, praktik, arbete eller något annat. Det är frivilligt och "
        "kostar ingenting.\n\n"
        "Ring eller sms:a mig på {telefon} så bokar vi en tid som passar dig.\n\n"
        "Med vänliga hälsningar\n{koordinator}\nAktivitetsansvaret, {kommun}",
    ),
    SECOND_LETTER: (
        "Vi försöker nå dig – hembesök är på väg",
        "Hej {förnamn}!\n\n"
        "Vi har tidigare skrivit till dig från det kommunala aktivitetsansvaret i "
        "{kommun} men har inte fått kontakt med dig.\n\n"
        "Vi finns här för att stötta dig som är under 20 år och inte studerar på "
        "gymnasiet, till exempel med studie- och yrkesvägledning, praktik eller "
        "hjälp att hitta rätt utbildning.\n\n"
        "Om vi inte hör av dig kommer vi att göra ett hembesök på {adress} inom "
        "den närmaste tiden. Du kan också höra av dig själv till oss på {telefon}.\n\n"
        "Med vänliga hälsningar\n{koordinator}\nAktivitetsansvaret, {kommun}",
    ),
    INFO_SHEET: (
        "Vi har varit här och sökt dig",
        "Hej {förnamn}!\n\n"
        "I dag, {datum}, har vi från det kommunala aktivitetsansvaret i {kommun} "
        "varit hemma hos dig men inte träffat dig.\n\n"
        "Aktivitetsansvaret finns för dig som är under 20 år och inte går i "
        "gymnasieskolan. Vi kan hjälpa dig att hitta studier, praktik eller arbete "
        "– i din takt och utifrån det du vill.\n\n"
        "Hör gärna av dig till {koordinator} på {telefon}.\n\n"
        "Med vänliga hälsningar\nAktivitetsansvaret, {kommun}",
    ),
    FOLLOWUP_LETTER: (
        "Vi finns kvar här för dig",
        "Hej {förnamn}!\n\n"
        "Vi från det kommunala aktivitetsansvaret i {kommun} har försökt nå dig "
        "tidigare och vill höra av oss igen.\n\n"
        "Har din situation förändrats? Vill du ha stöd med studier, praktik eller "
        "arbete är du alltid välkommen att kontakta oss, även om du tidigare har "
        "tackat nej.\n\n"
        "Ring eller sms:a {koordinator} på {telefon}.\n\n"
        "Med vänliga hälsningar\n{koordinator}\nAktivitetsansvaret, {kommun}",
    ),
}

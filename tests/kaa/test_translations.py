"""The English catalogue is complete and compiled, and an English-choosing user sees English.

The msgids are Swedish and English is selectable, as docs/domain.md says in
"Words in the interface". The catalogue is read with the standard library only.
"""

from __future__ import annotations

import ast
import datetime
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.conftest import logged_in_client
from tests.factories import EnrolmentFactory, YouthFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifxXeEgGr]|%%")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def parse_po(path: Path) -> list[Entry]:
    """The active (not obsolete) entries of a .po file, header included (msgid "")."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and target is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue  # obsolete entries are not shown to anyone
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword.startswith('"'):
            keyword, rest = "", line
        text = ast.literal_eval(rest) if rest else ""
        if keyword == "msgctxt":
            entry.msgctxt, target = text, ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, target = text, ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = text, ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.msgstr[0], target = text, ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.msgstr[index], target = text, ("msgstr", index)
        elif keyword == "" and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def test_there_is_an_english_catalogue():
    assert LOCALE / "en" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    entries = parse_po(path)
    assert len(entries) > 100, "the parser found too few entries"
    fuzzy = [entry.label for entry in entries if "fuzzy" in entry.flags]
    empty = [
        entry.label
        for entry in entries
        if entry.msgid and (not entry.msgstr or not all(entry.msgstr.values()))
    ]
    assert fuzzy == [], f"fuzzy entries in {path.name}: check and remove the flag"
    assert empty == [], f"untranslated entries in {path.name}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_plural_entries_have_every_form(path):
    header = next(entry for entry in parse_po(path) if entry.msgid == "")
    forms = int(re.search(r"nplurals=(\d+)", header.msgstr[0]).group(1))
    incomplete = [
        entry.label
        for entry in parse_po(path)
        if entry.msgid_plural is not None and sorted(entry.msgstr) != list(range(forms))
    ]
    assert incomplete == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_translations_keep_the_placeholders(path):
    """A lost or misspelt %(name)s would raise at run time (or show the wrong number)."""
    wrong = []
    for entry in parse_po(path):
        formatted = entry.flags & {"python-format", "python-brace-format"}
        if not entry.msgid or not formatted:
            continue
        pattern = BRACE_PLACEHOLDER if "python-brace-format" in entry.flags else PLACEHOLDER
        names = set(pattern.findall(entry.msgid))
        if entry.msgid_plural is None:
            if set(pattern.findall(entry.msgstr[0])) != names:
                wrong.append(entry.label)
            continue
        # A singular may leave the count out ("one step"); the plural keeps every name.
        names_plural = set(pattern.findall(entry.msgid_plural))
        forms = [set(pattern.findall(text)) for _index, text in sorted(entry.msgstr.items())]
        if forms[-1] != names_plural or any(not form <= names | names_plural for form in forms):
            wrong.append(entry.label)
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_compiled_catalogue_matches_the_po(path):
    """The committed .mo is what Django reads: a forgotten compilemessages shows Swedish."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} is missing: run compilemessages"
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for entry in parse_po(path):
        if not entry.msgid:
            continue
        if entry.msgid_plural is not None:
            for count, index in ((1, 0), (2, 1)):
                found = (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                    if entry.msgctxt
                    else compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                )
                if found != entry.msgstr[index]:
                    stale.append(entry.label)
        else:
            found = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            if found != entry.msgstr[0]:
                stale.append(entry.label)
    assert stale == [], f"{mo.name} is out of date: run compilemessages"


def test_the_parser_sees_flags_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\n#| msgid "Gammal"\nmsgid ""\n"Lång "\n"text"\n'
        'msgstr "Old"\n\n'
        'msgctxt "navigation"\nmsgid "%(n)s brev"\nmsgid_plural "%(n)s brev"\n'
        'msgstr[0] "%(n)s letter"\nmsgstr[1] ""\n\n'
        '#~ msgid "Borta"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    header, long, plural = parse_po(po)
    assert "nplurals=2" in header.msgstr[0]
    assert long.msgid == "Lång text" and long.flags == {"fuzzy", "python-format"}
    assert plural.msgctxt == "navigation" and plural.msgstr == {0: "%(n)s letter", 1: ""}


# --- What an English-choosing user sees ------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_login_page_in_english_for_a_user_who_chose_english(client):
    html = english(client).get(reverse("login")).content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html and "Username" in html and "Password" in html
    assert "Lösenord" not in html and "Användarnamn" not in html


@pytest.mark.django_db
def test_worklist_in_english_for_a_user_who_chose_english(municipality, coordinator):
    today = datetime.date(2026, 11, 24)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0), tick=False):
        for first_name, days_ago in (("Alva", 20), ("Dan", 3)):
            youth = YouthFactory(municipality=municipality, first_name=first_name)
            EnrolmentFactory(
                youth=youth,
                registered_on=today - datetime.timedelta(days=days_ago),
                coordinator=coordinator,
            )
        client = english(logged_in_client(coordinator))
        html = client.get(reverse("casework:worklist")).content.decode()

    assert 'lang="en"' in html
    assert "<h1>Worklist</h1>" in html
    assert "My cases" in html and "Unassigned" in html
    assert "2 contact routine steps due today, overdue or within a week" in html
    assert "of which 1 overdue" in html
    # Registered 20 days ago: first contact due 13 days ago; the other due in 4 days.
    assert "Overdue: 13 days past the due date" in html
    assert "Due in 4 days" in html
    assert "First contact" in html and "Search by name" in html
    for swedish in ("Arbetslista", "Mina ärenden", "Försenat", "Förfaller om", "Sök namn"):
        assert swedish not in html

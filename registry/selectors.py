"""Reads of the registry app. Every query starts from ``for_user`` / ``visible_to``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from . import hooks
from . import personnummer as pnr
from .models import AccessLog, Enrolment, Guardian, Occupation, Role, User, Youth


def youth_get(*, user: User, pk: int) -> Youth:
    """A young person this user may see, or 404 (another municipality, or protected)."""
    youth = Youth.objects.visible_to(user).filter(pk=pk).select_related("municipality").first()
    if youth is None:
        raise Http404
    return youth


def enrolment_get(*, user: User, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("youth", "coordinator", "municipality")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def youth_by_personnummer(*, user: User, personnummer: str) -> Youth | None:
    """The young person with this number that this user may see, if any."""
    try:
        digits = pnr.normalise(personnummer)
    except pnr.InvalidPersonnummer:
        return None
    return Youth.objects.visible_to(user).filter(personnummer=digits).first()


def youth_lookalikes(*, user: User, youth: Youth) -> list[Youth]:
    """Others with the same name and birth date but another number: shown for review."""
    return list(
        Youth.objects.visible_to(user)
        .filter(
            birth_date=youth.birth_date,
            first_name__iexact=youth.first_name,
            last_name__iexact=youth.last_name,
        )
        .exclude(pk=youth.pk)
    )


def address_visible_ids(*, user: User, youths: list[Youth]) -> set[int]:
    """The young people in ``youths`` whose address this user may see, in one query.

    A protected address is shown only to the assigned coordinator (docs/domain.md, "Registration").
    """
    protected = [youth.pk for youth in youths if youth.protected_identity]
    visible = {youth.pk for youth in youths if not youth.protected_identity}
    if protected:
        visible |= set(
            Enrolment.objects.filter(youth_id__in=protected, coordinator=user).values_list(
                "youth_id", flat=True
            )
        )
    return visible


# --- The list of young people ---

SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "-name": ("-last_name", "-first_name", "-pk"),
    "personnummer": ("personnummer", "pk"),
    "-personnummer": ("-personnummer", "-pk"),
    "registered": (F("current_registered_on").asc(nulls_last=True), "last_name", "pk"),
    "-registered": (F("current_registered_on").desc(nulls_last=True), "last_name", "pk"),
}


@dataclass(frozen=True)
class YouthListFilters:
    query: str = ""
    status: str = ""  # "", "active", "ended", "none"
    coordinator: str = ""  # "", a user id, "none"
    source: str = ""
    occupation: str = ""
    reached: str = ""  # "", "yes", "no"
    sort: str = "name"


def _current_enrolment() -> Subquery:
    """The active enrolment, or else the latest one."""
    return Subquery(
        Enrolment.objects.filter(youth=OuterRef("pk"))
        .order_by(F("ended_on").desc(nulls_first=True), "-registered_on", "-pk")
        .values("pk")[:1]
    )


def _of_current(field: str) -> Subquery:
    return Subquery(Enrolment.objects.filter(pk=OuterRef("current_enrolment_id")).values(field)[:1])


def youth_list(*, user: User, filters: YouthListFilters, today: datetime.date) -> QuerySet[Youth]:
    """The young people this user may see, each with its current enrolment's key facts.

    One query however many rows: the current enrolment, its coordinator, source,
    occupation and whether contact is established (a slot casework fills,
    registry.hooks) are subqueries.
    """
    youths: QuerySet[Any] = (
        Youth.objects.visible_to(user)
        .annotate(current_enrolment_id=_current_enrolment())
        .annotate(
            current_registered_on=_of_current("registered_on"),
            current_ended_on=_of_current("ended_on"),
            current_source=_of_current("source"),
            current_coordinator_id=_of_current("coordinator_id"),
            current_end_reason=_of_current("end_reason"),
            contact_established_on=hooks.contact_established_on(OuterRef("current_enrolment_id")),
            current_occupation=Subquery(
                Occupation.objects.filter(
                    enrolment_id=OuterRef("current_enrolment_id"), from_date__lte=today
                )
                .order_by("-from_date", "-pk")
                .values("kind")[:1]
            ),
            has_active_enrolment=Exists(
                Enrolment.objects.filter(youth=OuterRef("pk"), ended_on__isnull=True)
            ),
        )
    )
    youths = _search(youths, filters.query)
    if filters.status == "active":
        youths = youths.filter(has_active_enrolment=True)
    elif filters.status == "ended":
        youths = youths.filter(has_active_enrolment=False, current_enrolment_id__isnull=False)
    elif filters.status == "none":
        youths = youths.filter(current_enrolment_id__isnull=True)
    if filters.coordinator == "none":
        youths = youths.filter(
            current_enrolment_id__isnull=False, current_coordinator_id__isnull=True
        )
    elif filters.coordinator.isdigit():
        youths = youths.filter(current_coordinator_id=int(filters.coordinator))
    if filters.source:
        youths = youths.filter(current_source=filters.source)
    if filters.occupation == "none_recorded":
        youths = youths.filter(current_enrolment_id__isnull=False, current_occupation__isnull=True)
    elif filters.occupation:
        youths = youths.filter(current_occupation=filters.occupation)
    if filters.reached == "yes":
        youths = youths.filter(contact_established_on__isnull=False)
    elif filters.reached == "no":
        youths = youths.filter(
            current_enrolment_id__isnull=False, contact_established_on__isnull=True
        )
    return youths.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def _search(youths: QuerySet[Any], query: str) -> QuerySet[Any]:
    query = query.strip()
    if not query:
        return youths
    compact = query.replace("-", "").replace("+", "").replace(" ", "")
    if compact.isdigit():
        if len(compact) in (10, 12):
            try:
                return youths.filter(personnummer=pnr.normalise(query))
            except pnr.InvalidPersonnummer:
                pass
        return youths.filter(personnummer__contains=compact)
    for word in query.split():
        youths = youths.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return youths


def municipality_coordinators(*, user: User) -> QuerySet[User]:
    if user.municipality_id is None:
        return User.objects.none()
    return User.objects.filter(
        municipality_id=user.municipality_id, role=Role.COORDINATOR, is_active=True
    ).order_by("first_name", "last_name")


# --- The young person's page ---


def youth_page(*, user: User, pk: int) -> Youth:
    """A young person with guardians and enrolments (coordinator, occupations) in fixed queries."""
    youth = (
        Youth.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("municipality")
        .prefetch_related(
            "guardians",
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("coordinator", "municipality")
                .prefetch_related(
                    Prefetch(
                        "occupations",
                        queryset=Occupation.objects.select_related("recorded_by").order_by(
                            "-from_date", "-pk"
                        ),
                    )
                )
                .order_by(F("ended_on").desc(nulls_first=True), "-registered_on", "-pk"),
            ),
        )
        .first()
    )
    if youth is None:
        raise Http404
    return youth


ADDRESS_FIELDS = frozenset({"street", "postal_code", "city"})


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    what: str
    kind: str  # "+", "~", "-"
    changes: list[tuple[str, str]] = field(default_factory=list)


def _diff_entries(
    records: list, *, label: Callable[[Any], str], hide: frozenset[str]
) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    previous: dict[int, Any] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        model = record.instance_type
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in ("id", "created_at", "municipality", "youth", "enrolment")
        ]
        before = previous.get(record.id)
        changes: list[tuple[str, str]] = []
        for model_field in fields:
            value = getattr(record, model_field.attname)
            if before is not None and getattr(before, model_field.attname) == value:
                continue
            if before is None and value in ("", None, False):
                continue
            shown = "•••" if model_field.name in hide else _display(record, model_field, value)
            changes.append((str(model_field.verbose_name), shown))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                what=label(record),
                kind=record.history_type,
                changes=changes,
            )
        )
    return entries


def _display(record: Any, model_field: Any, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("ja") if value else _("nej"))
    if model_field.is_relation:
        related = getattr(record, model_field.name, None)
        return str(related) if related is not None else "–"
    return str(value)


def youth_change_history(*, youth: Youth, address_visible: bool) -> list[HistoryEntry]:
    """Every change to the young person, guardians, enrolments and occupations, newest first."""
    hide = frozenset() if address_visible else ADDRESS_FIELDS
    enrolment_ids = [enrolment.pk for enrolment in youth.enrolments.all()]
    entries = _diff_entries(
        list(Youth.history.filter(id=youth.pk).select_related("history_user")),
        label=lambda r: str(_("Uppgifter om ungdomen")),
        hide=hide,
    )
    entries += _diff_entries(
        list(Guardian.history.filter(youth_id=youth.pk).select_related("history_user")),
        label=lambda r: str(_("Vårdnadshavare")),
        hide=frozenset(),
    )
    entries += _diff_entries(
        list(
            Enrolment.history.filter(id__in=enrolment_ids).select_related(
                "history_user", "coordinator"
            )
        ),
        label=lambda r: str(_("Inskrivning %(day)s") % {"day": r.registered_on}),
        hide=frozenset(),
    )
    entries += _diff_entries(
        list(
            Occupation.history.filter(enrolment_id__in=enrolment_ids).select_related("history_user")
        ),
        label=lambda r: str(_("Sysselsättning")),
        hide=frozenset(),
    )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


# --- The access log (managers) ---


def access_log_for_youth(*, user: User, youth: Youth) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.for_user(user).filter(youth=youth).select_related("user").order_by("-at")
    )


def access_log_for_user(*, user: User, subject_id: int) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.for_user(user)
        .filter(user_id=subject_id)
        .select_related("youth")
        .order_by("-at")
    )


def access_log_users(*, user: User) -> list[tuple[User, int]]:
    """The users of the municipality, with how many reads each has logged (most first)."""
    counts = dict(
        AccessLog.objects.for_user(user)
        .values("user_id")
        .annotate(reads=Count("id"))
        .values_list("user_id", "reads")
    )
    users = User.objects.filter(Q(municipality_id=user.municipality_id) | Q(pk__in=counts))
    return sorted(
        ((person, counts.get(person.pk, 0)) for person in users),
        key=lambda pair: (-pair[1], pair[0].username),
    )

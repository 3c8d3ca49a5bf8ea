"""Writes of mappings, individual plans, measures and the municipality's actors.

Two people editing the same mapping, plan or measure never overwrite each
other silently (issue 5): every write names the ``version`` it was based on;
the row is locked, and a version that is no longer current raises
``StaleVersion`` with what is stored now, changing nothing. A record that does
not exist yet has version 0; the first save makes it version 1.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Enrolment, Municipality, User

from ..models import Actor, Mapping, Measure, Plan, Responsible
from .routine_state import routine_state_refresh

MAPPING_FIELDS = ("date", "situation", "interests", "needs", "obstacles", "own_goal")
PLAN_FIELDS = ("goal", "planning")
MEASURE_FIELDS = (
    "type",
    "description",
    "responsible",
    "actor",
    "starts_on",
    "ends_on",
    "follow_up_on",
    "evaluate_on",
    "ended_on",
    "end_reason",
    "evaluation_result",
    "evaluation",
    "followed_up_at",
    "follow_up_note",
)
MEASURE_DATE_FIELDS = (
    "starts_on",
    "ends_on",
    "follow_up_on",
    "evaluate_on",
    "ended_on",
    "followed_up_at",
)
# What ending a measure writes (docs/domain.md, "The seven items": the actual end date, the reason, the evaluation).
MEASURE_END_FIELDS = ("ended_on", "end_reason", "evaluation_result", "evaluation")


class StaleVersion(Exception):
    """The record changed since the caller read it; nothing was saved.

    ``current`` is the record as stored now, ``changed_by`` who saved it last
    (None when unknown), ``current_version`` its version, ``sent_version``
    the version the caller's change was based on and ``changed_fields`` the
    fields the others changed since then (from the history; all of them when
    that version is not in the history).
    """

    def __init__(
        self, current: models.Model, *, fields: tuple[str, ...], sent_version: int
    ) -> None:
        self.current = current
        self.sent_version = sent_version
        self.current_version: int = current.version  # type: ignore[attr-defined]
        self.fields = fields
        self.changed_by = _last_changed_by(current)
        self.changed_fields = _changed_since(current, fields, sent_version)
        super().__init__(
            _("Någon annan har sparat en ändring sedan du öppnade sidan (version %(version)s).")
            % {"version": self.current_version}
        )

    @property
    def current_values(self) -> dict[str, Any]:
        return {field: getattr(self.current, field) for field in self.fields}


def _last_changed_by(instance: models.Model) -> User | None:
    history = getattr(instance, "history", None)
    if history is None:
        return None
    record = history.select_related("history_user").first()
    return record.history_user if record is not None else None


def _changed_since(
    current: models.Model, fields: tuple[str, ...], sent_version: int
) -> tuple[str, ...]:
    history = getattr(current, "history", None)
    base = history.filter(version=sent_version).first() if history is not None else None
    if base is None:
        return fields
    # Compare stored column values (actor_id, not the actor row) to spare a query per field.
    attnames = {
        field: getattr(current._meta.get_field(field), "attname", field) for field in fields
    }
    return tuple(
        field
        for field in fields
        if getattr(base, attnames[field]) != getattr(current, attnames[field])
    )


def _check_version(instance: models.Model | None, version: int, fields: tuple[str, ...]) -> None:
    current = instance.version if instance is not None else 0  # type: ignore[attr-defined]
    if version != current:
        if instance is None:
            raise ValidationError(
                {"version": [_("Det finns ingen sparad version ännu: ange version 0.")]}
            )
        raise StaleVersion(instance, fields=fields, sent_version=version)


def _lock_enrolment(enrolment: Enrolment) -> None:
    # Mapping and plan are created on first save: locking the enrolment row
    # serialises their creation, so two first saves cannot both succeed.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()


def _save(instance: models.Model, user: User) -> None:
    instance._history_user = user  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()


# Mapping (kartläggning)


@transaction.atomic
def mapping_save(
    *,
    user: User,
    enrolment: Enrolment,
    version: int,
    date: datetime.date | None = None,
    situation: str = "",
    interests: str = "",
    needs: str = "",
    obstacles: str = "",
    own_goal: str = "",
) -> Mapping:
    _lock_enrolment(enrolment)
    mapping = Mapping.objects.select_for_update().filter(enrolment=enrolment).first()
    _check_version(mapping, version, MAPPING_FIELDS)
    if date is None:
        # The date says when the conversation and mapping were held: the
        # routine's "offer conversation" step is done from it (docs/domain.md, "Steps").
        raise ValidationError({"date": [_("Ange datum för kartläggningen.")]})
    if mapping is None:
        mapping = Mapping(enrolment=enrolment, version=0)
    mapping.date = date
    mapping.situation = situation.strip()
    mapping.interests = interests.strip()
    mapping.needs = needs.strip()
    mapping.obstacles = obstacles.strip()
    mapping.own_goal = own_goal.strip()
    mapping.version += 1
    _save(mapping, user)
    # A dated mapping closes the routine's "offer conversation" step.
    routine_state_refresh(enrolment_ids=[enrolment.pk])
    return mapping


# Plan


def _plan_for_update(enrolment: Enrolment) -> Plan | None:
    return Plan.objects.select_for_update().filter(enrolment=enrolment).first()


@transaction.atomic
def plan_save(
    *, user: User, enrolment: Enrolment, version: int, goal: str = "", planning: str = ""
) -> Plan:
    """Save the plan's goal and planning text (Skolverket's item 1)."""
    _lock_enrolment(enrolment)
    plan = _plan_for_update(enrolment)
    _check_version(plan, version, PLAN_FIELDS)
    if plan is None:
        plan = Plan(enrolment=enrolment, version=0)
    plan.goal = goal.strip()
    plan.planning = planning.strip()
    plan.version += 1
    _save(plan, user)
    return plan


def _plan_get_or_create(*, user: User, enrolment: Enrolment) -> Plan:
    _lock_enrolment(enrolment)
    plan = _plan_for_update(enrolment)
    if plan is None:
        plan = Plan(enrolment=enrolment, version=1)
        _save(plan, user)
    return plan


# Measures


def _measure_errors(measure: Measure, municipality_id: int) -> dict[str, list[str]]:
    """The refusals of issue 5, in words a coordinator can act on."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if measure.starts_on and measure.ends_on and measure.ends_on < measure.starts_on:
        add("ends_on", _("Planerat slutdatum kan inte vara före startdatum."))
    if measure.starts_on and measure.ended_on and measure.ended_on < measure.starts_on:
        add("ended_on", _("Insatsen kan inte avslutas före sitt startdatum."))
    if measure.ended_on and measure.ended_on > timezone.localdate():
        add("ended_on", _("Avslutsdatum kan inte vara i framtiden."))
    if measure.ended_on and not measure.end_reason.strip():
        add("end_reason", _("Ange orsaken till att insatsen avslutades."))
    if measure.end_reason.strip() and not measure.ended_on:
        add("ended_on", _("Ange datum då insatsen avslutades."))
    if measure.responsible == Responsible.OTHER_ACTOR and measure.actor_id is None:
        add("actor", _("Välj vilken aktör som ansvarar för insatsen."))
    if measure.actor_id is not None:
        if measure.responsible != Responsible.OTHER_ACTOR:
            add("actor", _("En aktör anges bara när en annan aktör ansvarar för insatsen."))
        elif measure.actor.municipality_id != municipality_id:  # type: ignore[union-attr]
            add("actor", _("Aktören finns inte i kommunens aktörslista."))
    return errors


def _measure_apply(measure: Measure, fields: dict[str, Any], *, user: User) -> None:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown measure fields: {sorted(unknown)}")
    for field, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(measure, field, value)
    errors = _measure_errors(measure, measure.plan.enrolment.municipality_id)
    if errors:
        raise ValidationError(errors)
    _save(measure, user)


@transaction.atomic
def plan_measure_add(*, user: User, enrolment: Enrolment, **fields: Any) -> Measure:
    """Add a measure to the enrolment's plan (the plan is created when there is none).

    ``fields`` are Measure fields (``MEASURE_FIELDS``); ``type`` is required.
    """
    plan = _plan_get_or_create(user=user, enrolment=enrolment)
    measure = Measure(plan=plan, version=1)
    _measure_apply(measure, fields, user=user)
    return measure


def _measure_for_update(measure: Measure) -> Measure:
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related("plan__enrolment", "actor")
        .get(pk=measure.pk)
    )


@transaction.atomic
def measure_update(*, user: User, measure: Measure, version: int, **fields: Any) -> Measure:
    """Change some of a measure's fields (``MEASURE_FIELDS``); the others stay."""
    current = _measure_for_update(measure)
    _check_version(current, version, MEASURE_FIELDS)
    current.version += 1
    _measure_apply(current, fields, user=user)
    return current


@transaction.atomic
def measure_end(
    *,
    user: User,
    measure: Measure,
    version: int,
    ended_on: datetime.date,
    end_reason: str,
    evaluation_result: str = "",
    evaluation: str = "",
) -> Measure:
    """End a measure: the date, the reason (Skolverket's item 6) and the evaluation."""
    return measure_update(
        user=user,
        measure=measure,
        version=version,
        ended_on=ended_on,
        end_reason=end_reason,
        evaluation_result=evaluation_result,
        evaluation=evaluation,
    )


# The municipality's actors


def _actor_check_name(*, municipality: Municipality, name: str, exclude_pk: int | None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Ange aktörens namn.")]})
    duplicates = Actor.objects.filter(municipality=municipality, name__iexact=name)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ValidationError({"name": [_("Det finns redan en aktör med det namnet.")]})
    return name


@transaction.atomic
def actor_create(*, user: User, municipality: Municipality, name: str) -> Actor:
    actor = Actor(
        municipality=municipality,
        name=_actor_check_name(municipality=municipality, name=name, exclude_pk=None),
    )
    _save(actor, user)
    return actor


@transaction.atomic
def actor_update(*, user: User, actor: Actor, name: str, is_active: bool) -> Actor:
    """Rename or deactivate an actor; measures already given to it keep it."""
    actor.name = _actor_check_name(municipality=actor.municipality, name=name, exclude_pk=actor.pk)
    actor.is_active = is_active
    _save(actor, user)
    return actor

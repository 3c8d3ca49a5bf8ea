"""The effects report (docs/domain.md, "Effects"): ended measures and their outcomes, grouped.

Pure: one row per ended measure (its outcome codes at 6 and 12 months, from
``casework.selectors.effects``) in, counts per measure type, per responsible
actor and per coordinator out, for a period and the one before it. Measures
are placed in a period by their end date. The public form (counts 1-4 as
"<5") is ``public_groups``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.effects import (
    FOLLOW_UP_MONTHS,
    IN_STUDIES_OR_WORK,
    OUTCOME_CODES,
    in_studies_or_work_share,
    known_count,
)

from .charts import bar_chart
from .key_figures import Period
from .suppression import NOT_SHOWN, SUPPRESSED, SUPPRESSION_THRESHOLD

# Outcome columns as pages and the board report show them: the four studies
# categories of SCB together (the API gives each).
STUDIES = ("studies_national", "studies_introduction", "studies_adult_education", "studies_other")
DISPLAY_COLUMNS = (
    ("upper_secondary", ("upper_secondary",)),
    ("work", ("work",)),
    ("studies", STUDIES),
    ("other_activity", ("other_activity",)),
    ("no_occupation", ("no_occupation",)),
    ("unknown", ("unknown",)),
    ("left", ("left",)),
    ("not_yet_known", ("not_yet_known",)),
)


@dataclass
class OutcomeCounts:
    ended: int = 0
    after: dict[int, dict[str, int]] = field(
        default_factory=lambda: {m: dict.fromkeys(OUTCOME_CODES, 0) for m in FOLLOW_UP_MONTHS}
    )

    def add(self, outcomes: Mapping[int, str], *, times: int = 1) -> None:
        """Count ``times`` ended measures with these outcomes (a grouped row counts many)."""
        self.ended += times
        for months, code in outcomes.items():
            self.after[months][code] = self.after[months].get(code, 0) + times

    def share(self, months: int) -> float | None:
        return in_studies_or_work_share(self.after[months])

    def known(self, months: int) -> int:
        return known_count(self.after[months])

    def in_studies_or_work(self, months: int) -> int:
        return sum(self.after[months][code] for code in IN_STUDIES_OR_WORK)

    def columns(self, months: int) -> list[int]:
        counts = self.after[months]
        return [sum(counts[code] for code in codes) for _name, codes in DISPLAY_COLUMNS]

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ended": self.ended}
        for months in FOLLOW_UP_MONTHS:
            body[f"after_{months}_months"] = dict(self.after[months])
        for months in FOLLOW_UP_MONTHS:
            share = self.share(months)
            body[f"in_studies_or_work_{months}"] = None if share is None else round(share, 4)
        return body


@dataclass
class EffectsGroup:
    key: str
    label: str
    current: OutcomeCounts = field(default_factory=OutcomeCounts)
    previous: OutcomeCounts = field(default_factory=OutcomeCounts)


@dataclass(frozen=True)
class MeasureOutcome:
    """One ended measure as the report groups it."""

    ended_on: datetime.date
    type: str
    actor_key: str
    actor_label: str
    coordinator_key: str
    coordinator_label: str
    outcomes: Mapping[int, str]


@dataclass
class EffectsReport:
    period: Period
    previous_period: Period
    today: datetime.date
    total: EffectsGroup
    by_measure_type: list[EffectsGroup]
    by_actor: list[EffectsGroup]
    by_coordinator: list[EffectsGroup]

    @property
    def is_empty(self) -> bool:
        return not (self.total.current.ended or self.total.previous.ended)


def build_report(
    measures: Iterable[MeasureOutcome],
    *,
    period: Period,
    today: datetime.date,
    type_labels: Mapping[str, str],
    unassigned_last: str = "",
) -> EffectsReport:
    previous = period.previous()
    total = EffectsGroup("total", "")
    types = {code: EffectsGroup(code, str(label)) for code, label in type_labels.items()}
    actors: dict[str, EffectsGroup] = {}
    coordinators: dict[str, EffectsGroup] = {}
    for measure in measures:
        if period.start <= measure.ended_on <= period.end:
            side = "current"
        elif previous.start <= measure.ended_on <= previous.end:
            side = "previous"
        else:
            continue
        # A group is made only the first time its key is met (a national municipality's
        # half-year has thousands of measures and a few dozen groups).
        if measure.type not in types:
            types[measure.type] = EffectsGroup(measure.type, measure.type)
        if measure.actor_key not in actors:
            actors[measure.actor_key] = EffectsGroup(measure.actor_key, measure.actor_label)
        if measure.coordinator_key not in coordinators:
            coordinators[measure.coordinator_key] = EffectsGroup(
                measure.coordinator_key, measure.coordinator_label
            )
        groups = [
            total,
            types[measure.type],
            actors[measure.actor_key],
            coordinators[measure.coordinator_key],
        ]
        for group in groups:
            getattr(group, side).add(measure.outcomes)

    def used(groups: Iterable[EffectsGroup]) -> list[EffectsGroup]:
        return [g for g in groups if g.current.ended or g.previous.ended]

    return EffectsReport(
        period=period,
        previous_period=previous,
        today=today,
        total=total,
        by_measure_type=used(types.values()),
        by_actor=sorted(used(actors.values()), key=lambda g: g.label.lower()),
        by_coordinator=sorted(
            used(coordinators.values()), key=lambda g: (g.key == unassigned_last, g.label.lower())
        ),
    )


def report_json(report: EffectsReport) -> dict[str, Any]:
    """docs/api.md, "Effects": the period's measures; counts are not suppressed here."""
    return {
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "by_measure_type": [
            {"type": group.key, **group.current.as_json()}
            for group in report.by_measure_type
            if group.current.ended
        ],
        "total": report.total.current.as_json(),
    }


@dataclass(frozen=True)
class PublicEffectsRow:
    """One group's line in a board document: counts 1-4 as "<5", shares from few hidden."""

    label: str
    months: int
    ended: int | str
    columns: list[int | str]
    share: float | str
    previous_ended: int | str
    previous_share: float | str


def public_count(count: int) -> int | str:
    """A count in a board document: 1-4 as "<5", 0 as 0 (docs/domain.md, "Effects")."""
    return SUPPRESSED if 0 < count < SUPPRESSION_THRESHOLD else count


def public_partition(counts: list[int], *, total: int) -> list[int | str]:
    """Counts adding up to a shown ``total``: 1-4 as "<5", and when the hidden ones could be
    worked out from the total (one hidden, or all 1 or all 4), the smallest shown count of 5
    or more is hidden too ("–")."""
    shown: list[int | str] = [public_count(count) for count in counts]
    hidden = [i for i, count in enumerate(counts) if 0 < count < SUPPRESSION_THRESHOLD]
    if not hidden:
        return shown
    rest = total - sum(count for i, count in enumerate(counts) if i not in hidden)
    if len(hidden) == 1 or rest in (len(hidden), (SUPPRESSION_THRESHOLD - 1) * len(hidden)):
        large = [i for i, count in enumerate(counts) if count >= SUPPRESSION_THRESHOLD]
        if large:
            shown[min(large, key=lambda i: counts[i])] = NOT_SHOWN
    return shown


def public_share(counts: OutcomeCounts, months: int) -> float | str:
    """The share in studies or work in percent; hidden ("–") when fewer than 5 outcomes are
    known or 1-4 young people are behind it."""
    share = counts.share(months)
    known, numerator = counts.known(months), counts.in_studies_or_work(months)
    if share is None or known < SUPPRESSION_THRESHOLD or 0 < numerator < SUPPRESSION_THRESHOLD:
        return NOT_SHOWN
    return round(share * 100, 1)


def public_rows(groups: Iterable[EffectsGroup]) -> list[PublicEffectsRow]:
    rows = []
    for group in groups:
        for months in FOLLOW_UP_MONTHS:
            rows.append(
                PublicEffectsRow(
                    label=group.label,
                    months=months,
                    ended=public_count(group.current.ended),
                    columns=public_partition(
                        group.current.columns(months), total=group.current.ended
                    ),
                    share=public_share(group.current, months),
                    previous_ended=public_count(group.previous.ended),
                    previous_share=public_share(group.previous, months),
                )
            )
    return rows


def page_rows(groups: Iterable[EffectsGroup]) -> list[PublicEffectsRow]:
    """The same rows with every count as it is (pages for managers, not public documents)."""
    rows = []
    for group in groups:
        for months in FOLLOW_UP_MONTHS:
            rows.append(
                PublicEffectsRow(
                    label=group.label,
                    months=months,
                    ended=group.current.ended,
                    columns=list(group.current.columns(months)),
                    share=_percent_or_not_shown(group.current.share(months)),
                    previous_ended=group.previous.ended,
                    previous_share=_percent_or_not_shown(group.previous.share(months)),
                )
            )
    return rows


def _percent_or_not_shown(share: float | None) -> float | str:
    return NOT_SHOWN if share is None else round(share * 100, 1)


COLUMN_LABELS = {
    "upper_secondary": gettext_lazy("Gymnasieutbildning"),
    "work": gettext_lazy("Arbete"),
    "studies": gettext_lazy("Studier"),
    "other_activity": gettext_lazy("Annan aktivitet"),
    "no_occupation": gettext_lazy("Ingen sysselsättning"),
    "unknown": gettext_lazy("Okänd"),
    "left": gettext_lazy("Lämnat KAA"),
    "not_yet_known": gettext_lazy("Ännu inte känt"),
}


def effects_section(
    report: EffectsReport, *, public: bool, with_coordinators: bool = False
) -> dict[str, Any]:
    """Tables per measure type and actor (and coordinator), and the chart, for one period.

    ``public``: as in board documents, counts 1-4 as "<5" and shares from few hidden.
    """
    rows = public_rows if public else page_rows
    groups = [
        ("type", _("Per insatstyp"), _("Insatstyp"), report.by_measure_type),
        ("actor", _("Per ansvarig"), _("Ansvarig"), report.by_actor),
    ]
    if with_coordinators:
        groups.append(
            ("coordinator", _("Per koordinator"), _("Koordinator"), report.by_coordinator)
        )
    tables = [
        {"code": code, "title": title, "heading": heading, "rows": rows(found)}
        for code, title, heading, found in groups
    ]
    total = rows([report.total])
    chart_rows = rows(report.by_measure_type)
    chart = bar_chart(
        [
            (row.label, row.share if isinstance(row.share, float) else None)
            for row in chart_rows
            if row.months == 6
        ],
        title=_("Andel i studier eller arbete 6 månader efter avslutad insats (%)"),
        width=880 if not public else 640,
    )
    return {
        "report": report,
        "columns": [COLUMN_LABELS[name] for name, _codes in DISPLAY_COLUMNS],
        "tables": tables,
        "total": total,
        "chart": chart,
        "public": public,
    }

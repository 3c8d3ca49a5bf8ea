"""The KAA register (Skollagen 29:9, förordning 2006:39 § 4).

Only what the ordinance allows is kept: name, personnummer, address, e-mail,
phone, occupation and the documentation of measures; a guardian's phone for
a young person under 18 is part of the contact routine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scoping import MunicipalityScopedQuerySet

if TYPE_CHECKING:
    from .user import User


class Source(models.TextChoices):
    """SCB's registration reasons, plus how the municipality learned."""

    DROPOUT_NATIONAL_PROGRAMME = "dropout_national_programme", _("Avbrott från nationellt program")
    STUDIEBEVIS = "studiebevis", _("Lämnat med studiebevis")
    NEVER_STARTED = "never_started", _("Aldrig påbörjat gymnasieskolan")
    MOVED_IN = "moved_in", _("Inflyttad")
    OTHER = "other", _("Annan orsak")


class EndReason(models.TextChoices):
    STARTED_UPPER_SECONDARY = "started_upper_secondary", _("Påbörjat gymnasieutbildning")
    DIPLOMA = "diploma", _("Fått examen eller gymnasiebevis")
    TURNED_20 = "turned_20", _("Fyllt 20 år")
    MOVED_AWAY = "moved_away", _("Flyttat från kommunen")
    EMIGRATED = "emigrated", _("Utvandrat")
    DECEASED = "deceased", _("Avliden")
    OTHER = "other", _("Annan orsak")


class ScbOccupationCategory(models.TextChoices):
    """The categories SCB and Skolverket report occupations in."""

    WORK = "work", _("Arbete")
    NO_OCCUPATION = "no_occupation", _("Ingen sysselsättning")
    STUDIES_NATIONAL = "studies_national", _("Studier: nationellt program")
    STUDIES_INTRODUCTION = "studies_introduction", _("Studier: introduktionsprogram")
    STUDIES_ADULT_EDUCATION = "studies_adult_education", _("Studier: kommunal vuxenutbildning")
    STUDIES_OTHER = "studies_other", _("Studier: övrigt")
    OTHER_ACTIVITY = "other_activity", _("Annan aktivitet")
    UNKNOWN = "unknown", _("Okänd")


class OccupationKind(models.TextChoices):
    NONE = "none", _("Ingen känd sysselsättning")
    WORK = "work", _("Arbete")
    INTERNSHIP = "internship", _("Praktik/arbetsträning")
    ADULT_EDUCATION_PART_TIME = "adult_education_part_time", _("Vuxenutbildning, deltid")
    ADULT_EDUCATION_FULL_TIME = "adult_education_full_time", _("Vuxenutbildning, heltid")
    FOLK_HIGH_SCHOOL = "folk_high_school", _("Folkhögskola")
    OTHER_EDUCATION = "other_education", _("Annan utbildning")
    LABOUR_MARKET_PROGRAMME = "labour_market_programme", _("Arbetsmarknadsåtgärd")
    HEALTH = "health", _("Hälsoskäl, förhindrad")
    ABROAD = "abroad", _("Utomlands")
    OTHER = "other", _("Annat")
    UNKNOWN = "unknown", _("Okänd")


# Each occupation kind in SCB's categories, and whether it counts as "in activity".
OCCUPATION_SCB_CATEGORY: dict[str, str] = {
    OccupationKind.NONE: ScbOccupationCategory.NO_OCCUPATION,
    OccupationKind.WORK: ScbOccupationCategory.WORK,
    OccupationKind.INTERNSHIP: ScbOccupationCategory.OTHER_ACTIVITY,
    OccupationKind.ADULT_EDUCATION_PART_TIME: ScbOccupationCategory.STUDIES_ADULT_EDUCATION,
    OccupationKind.ADULT_EDUCATION_FULL_TIME: ScbOccupationCategory.STUDIES_ADULT_EDUCATION,
    OccupationKind.FOLK_HIGH_SCHOOL: ScbOccupationCategory.STUDIES_OTHER,
    OccupationKind.OTHER_EDUCATION: ScbOccupationCategory.STUDIES_OTHER,
    OccupationKind.LABOUR_MARKET_PROGRAMME: ScbOccupationCategory.OTHER_ACTIVITY,
    OccupationKind.HEALTH: ScbOccupationCategory.NO_OCCUPATION,
    OccupationKind.ABROAD: ScbOccupationCategory.OTHER_ACTIVITY,
    OccupationKind.OTHER: ScbOccupationCategory.OTHER_ACTIVITY,
    OccupationKind.UNKNOWN: ScbOccupationCategory.UNKNOWN,
}
OCCUPATIONS_IN_ACTIVITY = frozenset(
    {
        OccupationKind.WORK,
        OccupationKind.INTERNSHIP,
        OccupationKind.ADULT_EDUCATION_PART_TIME,
        OccupationKind.ADULT_EDUCATION_FULL_TIME,
        OccupationKind.FOLK_HIGH_SCHOOL,
        OccupationKind.OTHER_EDUCATION,
        OccupationKind.LABOUR_MARKET_PROGRAMME,
    }
)


class YouthQuerySet(MunicipalityScopedQuerySet["Youth"]):
    def visible_to(self, user: User) -> YouthQuerySet:
        """Who this user may see at all.

        Managers see every young person of their municipality (protected
        identity included, without the address). Coordinators see the rest,
        and a young person with protected identity only when an enrolment is
        assigned to them. Other roles see no individual.
        """
        scoped = self.for_user(user)
        if user.role == "manager":
            return scoped
        if user.role == "coordinator":
            # Exists rather than a join: no duplicate rows, no DISTINCT in list queries.
            assigned = Enrolment.objects.filter(youth=models.OuterRef("pk"), coordinator=user)
            return scoped.filter(Q(protected_identity=False) | Q(models.Exists(assigned)))
        return scoped.none()


class Youth(models.Model):
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="youths"
    )
    personnummer = models.CharField(
        _("personnummer"), max_length=12, help_text=_("12 siffror, ÅÅÅÅMMDDNNNN.")
    )
    birth_date = models.DateField(_("födelsedatum"))
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    street = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    protected_identity = models.BooleanField(_("skyddade personuppgifter"), default=False)
    # Introduction-programme students are counted beside KAA, never enrolled in it.
    is_im_student = models.BooleanField(_("elev på introduktionsprogram (IM)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = YouthQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("ungdom")
        verbose_name_plural = _("ungdomar")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "personnummer"],
                name="youth_personnummer_unique_per_municipality",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "last_name", "first_name"]),
            # followup.selectors.ageing_out: the young people of a municipality who turn
            # 20 within 30 days (the worklist's and dashboard's warning), a birth-date range.
            models.Index(fields=["municipality", "birth_date"], name="youth_birth_date_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_personnummer(self) -> str:
        """As lists show it: YYYYMMDD-XXXX."""
        return f"{self.personnummer[:8]}-XXXX"

    @property
    def formatted_personnummer(self) -> str:
        return f"{self.personnummer[:8]}-{self.personnummer[8:]}"


class Guardian(models.Model):
    """A guardian's name and phone, for a young person under 18 (the contact routine)."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("namn"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vårdnadshavare")
        verbose_name_plural = _("vårdnadshavare")

    def __str__(self) -> str:
        return self.name


class EnrolmentQuerySet(MunicipalityScopedQuerySet["Enrolment"]):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(ended_on__isnull=True)

    def visible_to(self, user: User) -> EnrolmentQuerySet:
        """Enrolments of the young people this user may see (see YouthQuerySet.visible_to)."""
        scoped = self.for_user(user)
        if user.role == "manager":
            return scoped
        if user.role == "coordinator":
            return scoped.filter(Q(youth__protected_identity=False) | Q(coordinator=user))
        return scoped.none()


class Enrolment(models.Model):
    """One period in the KAA register, from registration to deregistration."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="enrolments"
    )
    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="enrolments")
    registered_on = models.DateField(_("inskriven"))
    source = models.CharField(_("orsak till registrering"), max_length=40, choices=Source.choices)
    school = models.CharField(_("senaste skola"), max_length=200, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("koordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    ended_on = models.DateField(_("avregistrerad"), null=True, blank=True)
    end_reason = models.CharField(
        _("orsak till avregistrering"), max_length=40, choices=EndReason.choices, blank=True
    )
    end_reason_text = models.TextField(_("beskrivning av orsak"), blank=True)
    # For end reason moved_away: the SCB code of the municipality moved to (may be unknown).
    moved_to = models.CharField(_("flyttat till kommun"), max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on"]
        verbose_name = _("inskrivning")
        verbose_name_plural = _("inskrivningar")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(ended_on__isnull=True),
                name="enrolment_one_active_per_youth",
            ),
            # An end without a reason is not allowed (the auditors' finding).
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="enrolment_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "ended_on"]),
            models.Index(fields=["municipality", "registered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.youth} ({self.registered_on:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Occupation(models.Model):
    """Occupation (sysselsättning) is a history of its own, not a status of the enrolment."""

    municipality_lookup = "enrolment__municipality"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="occupations")
    from_date = models.DateField(_("från och med"))
    kind = models.CharField(_("sysselsättning"), max_length=40, choices=OccupationKind.choices)
    extent_percent = models.PositiveSmallIntegerField(_("omfattning (%)"), default=100)
    note = models.CharField(_("kommentar"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date", "-id"]
        verbose_name = _("sysselsättning")
        verbose_name_plural = _("sysselsättningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(extent_percent__gte=0) & Q(extent_percent__lte=100),
                name="occupation_extent_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.extent_percent} %) från {self.from_date}"

    @property
    def scb_category(self) -> str:
        return OCCUPATION_SCB_CATEGORY[self.kind]

    @property
    def is_part_time(self) -> bool:
        """A part-time student stays visible with the rest of the week to fill."""
        return self.extent_percent < 100

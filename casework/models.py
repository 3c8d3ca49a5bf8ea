"""Contact attempts, the municipality's routine settings, mapping, plans and measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaa.storage import private_storage
from registry.models.scoping import MunicipalityScopedQuerySet

from . import completeness, routine


class RoutineSettings(models.Model):
    """The day counts of a municipality's contact routine (docs/domain.md, "Steps": the defaults)."""

    municipality = models.OneToOneField(
        "registry.Municipality", on_delete=models.CASCADE, related_name="routine_settings"
    )
    first_contact_days = models.PositiveSmallIntegerField(
        _("första kontakt, dagar efter inskrivning"), default=7
    )
    second_attempt_days = models.PositiveSmallIntegerField(
        _("andra försöket, dagar efter första försöket"), default=30
    )
    home_visit_days = models.PositiveSmallIntegerField(
        _("hembesök, dagar efter första försöket"), default=60
    )
    post_visit_followup_days = models.PositiveSmallIntegerField(
        _("uppföljning, dagar efter hembesöket"), default=30
    )
    periodic_attempt_days = models.PositiveSmallIntegerField(
        _("nytt försök, dagar efter senaste försöket"), default=90
    )
    offer_conversation_days = models.PositiveSmallIntegerField(
        _("erbjud samtal, dagar efter etablerad kontakt"), default=14
    )
    regular_followup_days = models.PositiveSmallIntegerField(
        _("regelbunden uppföljning, dagar"), default=90
    )
    tolerance_days = models.PositiveSmallIntegerField(_("tolerans, dagar"), default=7)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktrutin")
        verbose_name_plural = _("kontaktrutiner")

    def __str__(self) -> str:
        return f"{self.municipality}"


class Channel(models.TextChoices):
    LETTER = routine.CHANNEL_LETTER, _("Brev")
    PHONE = routine.CHANNEL_PHONE, _("Telefon")
    SMS = routine.CHANNEL_SMS, _("Sms")
    EMAIL = routine.CHANNEL_EMAIL, _("E-post")
    HOME_VISIT = routine.CHANNEL_HOME_VISIT, _("Hembesök")
    MEETING = routine.CHANNEL_MEETING, _("Möte")
    DIGITAL_MEETING = routine.CHANNEL_DIGITAL_MEETING, _("Digitalt möte")


class Party(models.TextChoices):
    YOUTH = routine.PARTY_YOUTH, _("Ungdomen")
    GUARDIAN = routine.PARTY_GUARDIAN, _("Vårdnadshavare")
    SCHOOL = routine.PARTY_SCHOOL, _("Skola")
    AUTHORITY = routine.PARTY_AUTHORITY, _("Annan myndighet")
    OTHER = routine.PARTY_OTHER, _("Annan")


class Outcome(models.TextChoices):
    REACHED = routine.OUTCOME_REACHED, _("Nådd")
    NOT_REACHED = routine.OUTCOME_NOT_REACHED, _("Ej nådd")
    INFO_SHEET_LEFT = routine.OUTCOME_INFO_SHEET_LEFT, _("Informationsblad lämnat")
    DECLINED = routine.OUTCOME_DECLINED, _("Avböjt")


class ContactAttempt(models.Model):
    municipality_lookup = "enrolment__municipality"

    enrolment = models.ForeignKey(
        "registry.Enrolment", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    date = models.DateField(_("datum"))
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    party = models.CharField(_("vem"), max_length=20, choices=Party.choices, default=Party.YOUTH)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("anteckning"), blank=True)
    # A home visit is made by two staff members; the attempt records who went.
    staff = models.CharField(_("vem gjorde besöket"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("kontaktförsök")
        verbose_name_plural = _("kontaktförsök")
        indexes = [models.Index(fields=["enrolment", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_channel_display()}: {self.get_outcome_display()}"


class RoutineState(models.Model):
    """What the contact routine says for one enrolment, kept current by the services.

    Written by ``casework.services`` on every change to an enrolment's attempts,
    its end or the municipality's routine settings, and refreshed by the nightly
    job; it equals ``casework.routine.evaluate`` for today. The next step and its
    due date depend only on the attempts, so "overdue" is read at query time as
    ``overdue_after < today``. Lists and jobs read this table instead of
    recomputing the routine row by row.
    """

    # The copied column (below): scoping a list of states needs no join.
    municipality_lookup = "municipality"

    enrolment = models.OneToOneField(
        "registry.Enrolment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="routine_state",
    )
    contact_established_on = models.DateField(null=True, blank=True)
    first_attempt_on = models.DateField(null=True, blank=True)
    next_step = models.CharField(max_length=30, blank=True)  # docs/domain.md, "Steps", or ""
    next_due = models.DateField(null=True, blank=True, db_index=True)
    # The step is overdue once today is later than this day (due + tolerance).
    overdue_after = models.DateField(null=True, blank=True, db_index=True)
    # Deviation codes that hold whatever the day (no_contact_documented and
    # first_contact_late with no attempt also depend on the day: see
    # ``no_attempt_deviation_after``).
    deviations = models.JSONField(default=list, blank=True)
    no_attempt_deviation_after = models.DateField(null=True, blank=True)
    # The ladder's home visit and the number of attempts counted: with
    # first_attempt_on they give the attempt deviations on an earlier day
    # (``routine.Schedule.contact_deviations_on``, read by the compliance report).
    home_visit_on = models.DateField(null=True, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)
    # Copied from the enrolment and its young person whenever the state is written
    # (casework.services.routine_state; a young person's protected identity also by
    # casework.signals), so the worklist's counts read this table and its index alone.
    # An ended enrolment has no next step, so the pending steps are the active ones.
    # No single-column indexes: routinestate_worklist_idx leads with the municipality.
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    protected_identity = models.BooleanField(default=False)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rutinläge")
        verbose_name_plural = _("rutinlägen")
        indexes = [
            # casework.selectors.worklist: the menu's count (worklist_count), the tabs'
            # and sections' counts (worklist_counts) and a coordinator's own page read the
            # pending steps of one municipality (and coordinator) due by a day, index-only.
            models.Index(
                # The last three only to be read from the index (not INCLUDE: SQLite).
                fields=[
                    "municipality",
                    "coordinator",
                    "next_due",
                    "next_step",
                    "overdue_after",
                    "protected_identity",
                ],
                condition=~models.Q(next_step=""),
                name="routinestate_worklist_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.next_step} {self.next_due}"


class Mapping(models.Model):
    """The mapping (kartläggning) of a young person's situation; it leads into the plan."""

    municipality_lookup = "enrolment__municipality"

    enrolment = models.OneToOneField(
        "registry.Enrolment", on_delete=models.CASCADE, related_name="mapping"
    )
    date = models.DateField(_("datum"), null=True, blank=True)
    situation = models.TextField(_("nuvarande situation"), blank=True)
    interests = models.TextField(_("intressen"), blank=True)
    needs = models.TextField(_("behov"), blank=True)
    obstacles = models.TextField(_("hinder"), blank=True)
    own_goal = models.TextField(_("ungdomens eget mål"), blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kartläggning")
        verbose_name_plural = _("kartläggningar")

    def __str__(self) -> str:
        return f"{self.enrolment}"


class Plan(models.Model):
    """The individual plan: Skolverket's documentation item 1 and the measures."""

    municipality_lookup = "enrolment__municipality"

    enrolment = models.OneToOneField(
        "registry.Enrolment", on_delete=models.CASCADE, related_name="plan"
    )
    goal = models.TextField(_("mål"), blank=True)
    planning = models.TextField(_("planering"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("individuell plan")
        verbose_name_plural = _("individuella planer")

    def __str__(self) -> str:
        return f"{self.enrolment}"


class Actor(models.Model):
    """Another actor a measure can be given to (social services, Arbetsförmedlingen, …)."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="actors"
    )
    name = models.CharField(_("namn"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("aktör")
        verbose_name_plural = _("aktörer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="actor_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MeasureType(models.TextChoices):
    MOTIVATIONAL = completeness.MEASURE_MOTIVATIONAL, _("Motiverande samtal/coachning")
    GUIDANCE = completeness.MEASURE_GUIDANCE, _("Studie- och yrkesvägledning")
    INTERNSHIP = completeness.MEASURE_INTERNSHIP, _("Praktik/arbetsträning")
    ADULT_EDUCATION = completeness.MEASURE_ADULT_EDUCATION, _("Kurs inom vuxenutbildningen")
    FOLK_HIGH_SCHOOL = completeness.MEASURE_FOLK_HIGH_SCHOOL, _("Folkhögskola")
    SOCIAL_SERVICES = completeness.MEASURE_SOCIAL_SERVICES, _("Hänvisning till socialtjänsten")
    EMPLOYMENT_SERVICE = (
        completeness.MEASURE_EMPLOYMENT_SERVICE,
        _("Hänvisning till Arbetsförmedlingen"),
    )
    CHILD_PSYCHIATRY = completeness.MEASURE_CHILD_PSYCHIATRY, _("Hänvisning till BUP")
    OTHER = completeness.MEASURE_OTHER, _("Annan insats")


class Responsible(models.TextChoices):
    YOUTH = completeness.RESPONSIBLE_YOUTH, _("Ungdomen")
    MUNICIPALITY = completeness.RESPONSIBLE_MUNICIPALITY, _("Kommunen")
    OTHER_ACTOR = completeness.RESPONSIBLE_OTHER_ACTOR, _("Annan aktör")


class EvaluationResult(models.TextChoices):
    ACHIEVED = completeness.EVALUATION_ACHIEVED, _("Uppnått")
    PARTLY = completeness.EVALUATION_PARTLY, _("Delvis uppnått")
    NOT_ACHIEVED = completeness.EVALUATION_NOT_ACHIEVED, _("Inte uppnått")


class Measure(models.Model):
    municipality_lookup = "plan__enrolment__municipality"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    type = models.CharField(_("typ"), max_length=30, choices=MeasureType.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    responsible = models.CharField(
        _("ansvarig"), max_length=20, choices=Responsible.choices, blank=True
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("aktör"), on_delete=models.PROTECT, null=True, blank=True
    )
    starts_on = models.DateField(_("startdatum"), null=True, blank=True)
    ends_on = models.DateField(_("planerat slutdatum"), null=True, blank=True)
    follow_up_on = models.DateField(_("uppföljning"), null=True, blank=True)
    evaluate_on = models.DateField(_("utvärdering"), null=True, blank=True)
    ended_on = models.DateField(_("avslutad"), null=True, blank=True)
    end_reason = models.TextField(_("orsak till avslut"), blank=True)
    evaluation_result = models.CharField(
        _("resultat"), max_length=20, choices=EvaluationResult.choices, blank=True
    )
    evaluation = models.TextField(_("utvärdering av effekt"), blank=True)
    followed_up_at = models.DateField(_("uppföljning gjord"), null=True, blank=True)
    follow_up_note = models.TextField(_("anteckning från uppföljning"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}"

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None


class LetterKind(models.TextChoices):
    FIRST_LETTER = "first_letter", _("Första brevet")
    SECOND_LETTER = "second_letter", _("Andra brevet (inför hembesök)")
    INFO_SHEET = "info_sheet", _("Informationsbladet (vid hembesök)")
    FOLLOWUP_LETTER = "followup_letter", _("Uppföljningsbrevet")


class LetterTemplate(models.Model):
    """A municipality's text for one kind of letter, with placeholders (casework.letters)."""

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField(_("brev"), max_length=20, choices=LetterKind.choices)
    subject = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("brevtext"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "kind"]
        verbose_name = _("brevmall")
        verbose_name_plural = _("brevmallar")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="letter_template_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.municipality})"


class Letterhead(models.Model):
    """The sender printed at the top of every letter of a municipality."""

    municipality = models.OneToOneField(
        "registry.Municipality", on_delete=models.CASCADE, related_name="letterhead"
    )
    sender = models.CharField(
        _("avsändare"), max_length=200, default="Kommunala aktivitetsansvaret"
    )
    address = models.TextField(_("postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    history = HistoricalRecords()

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("brevhuvud")
        verbose_name_plural = _("brevhuvuden")

    def __str__(self) -> str:
        return f"{self.sender} ({self.municipality})"


class LetterBatch(models.Model):
    """One print run of the day's letters, and whether the user confirmed sending them.

    Attempts are logged only on confirmation (never on generation), and only once:
    ``confirmed_at`` is set in the same transaction as the attempts.
    """

    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="letter_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    printed_on = models.DateField(_("utskriftsdatum"))
    # [{"enrolment": id, "kind": letter kind}, …] in print order.
    items = models.JSONField(default=list)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brevutskick")
        verbose_name_plural = _("brevutskick")

    def __str__(self) -> str:
        return f"{self.printed_on} ({len(self.items)})"

    @property
    def enrolment_ids(self) -> list[int]:
        return [item["enrolment"] for item in self.items]


def _letter_print_path(job: LetterPrintJob, filename: str) -> str:
    return f"letters/{job.municipality_id}/{filename}"


class LetterPrintJob(models.Model):
    """The PDF of one print run, built in the background and kept for its creator to download.

    Progress (``done`` of ``total`` letters) is written as the worker goes, so the
    page polling it shows "x av y". The file holds names and addresses: it lives
    in the private storage (kaa.storage), and each download is access-logged.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Skapas")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    batch = models.OneToOneField(LetterBatch, on_delete=models.CASCADE, related_name="print_job")
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to=_letter_print_path, storage=private_storage, blank=True)
    # Whose letters the file holds: each download is written to their access log.
    youth_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brev-PDF")
        verbose_name_plural = _("brev-PDF:er")

    def __str__(self) -> str:
        return f"{self.batch_id} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        if not self.total:
            return 0
        return round(100 * self.done / self.total)

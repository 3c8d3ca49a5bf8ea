"""Writes of the registry app: municipalities, users, young people, enrolments."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import eligibility
from . import municipalities as national
from . import personnummer as pnr
from .models import (
    AccessLog,
    EndReason,
    Enrolment,
    Guardian,
    MoveNotification,
    MoveNotificationRead,
    MoveStatus,
    Municipality,
    Occupation,
    OccupationKind,
    Region,
    Role,
    SchoolNotification,
    Source,
    User,
    Youth,
)
from .models.municipality import scb_code_validator
from .selectors import address_visible_ids

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Outcome:
    created: bool
    changed: bool


@transaction.atomic
def municipality_ensure(
    *, code: str, name: str, acting_user: Callable[[], User] | None = None
) -> tuple[Municipality, Outcome]:
    """Create the municipality, or rename it; running it again changes nothing.

    ``acting_user`` gives who the history records (a command passes ``system_user``);
    it is called only when something is written, so a refused run creates no one.
    """
    scb_code_validator(code)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Ange kommunens namn.")]})
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        municipality = Municipality(code=code, name=name)
        municipality.full_clean()
        municipality._history_user = acting_user() if acting_user else None  # type: ignore[attr-defined]
        municipality.save()
        return municipality, Outcome(created=True, changed=True)
    if municipality.name != name:
        municipality.name = name
        municipality._history_user = acting_user() if acting_user else None  # type: ignore[attr-defined]
        municipality.save(update_fields=["name"])
        return municipality, Outcome(created=False, changed=True)
    return municipality, Outcome(created=False, changed=False)


@transaction.atomic
def user_ensure(
    *,
    username: str,
    role: str,
    municipality_code: str | None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    region_name: str | None = None,
    acting_user: Callable[[], User] | None = None,
) -> tuple[User, Outcome]:
    """Create or update a user with a role and a municipality (idempotent).

    ``acting_user`` gives who the history records (a command passes ``system_user``);
    it is called only when something is written, so a refused run creates no one.
    """
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("Okänd roll %(role)s. Välj en av: %(roles)s.")
                    % {"role": role, "roles": ", ".join(Role.values)}
                ]
            }
        )
    municipality = None
    region = None
    if role == Role.REGIONAL_ANALYST:
        # The analyst belongs to a region, never to a municipality (docs/domain.md).
        region = Region.objects.filter(name=(region_name or "").strip()).first()
        if region is None:
            raise ValidationError(
                {
                    "region": [
                        _("Rollen regional_analyst kräver en region. Lägg till den med add_region.")
                    ]
                }
            )
        municipality_code = None
    elif region_name:
        raise ValidationError({"region": [_("Bara rollen regional_analyst hör till en region.")]})
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code).first()
        if municipality is None:
            raise ValidationError(
                {
                    "municipality": [
                        _(
                            "Ingen kommun med koden %(code)s. Lägg till den först med add_municipality."
                        )
                        % {"code": municipality_code}
                    ]
                }
            )
    elif role not in (Role.ADMIN, Role.REGIONAL_ANALYST):
        raise ValidationError(
            {"municipality": [_("Rollen %(role)s kräver en kommun.") % {"role": role}]}
        )

    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    before = (
        user.role,
        user.municipality_id,
        user.region_id,
        user.first_name,
        user.last_name,
        user.is_staff,
        user.is_superuser,
    )
    user.role = role
    user.municipality = municipality
    user.region = region
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    # docs/domain.md: a municipality's admin administers that municipality only (staff,
    # scoped in kaa/admin_scope.py); only an admin without a municipality installs (superuser).
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN and municipality is None
    password_changed = bool(password) and not user.check_password(password)
    if password_changed:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    after = (
        user.role,
        user.municipality_id,
        user.region_id,
        user.first_name,
        user.last_name,
        user.is_staff,
        user.is_superuser,
    )
    changed = created or password_changed or before != after
    if changed:
        user._history_user = acting_user() if acting_user else None  # type: ignore[attr-defined]
        user.save()
    return user, Outcome(created=created, changed=changed)


# --- Young people, enrolments, occupations (docs/domain.md, "Registration") ---


class ActiveEnrolmentExists(ValidationError):
    """A second active enrolment for the same young person (the API answers 409)."""


YOUTH_EDITABLE_FIELDS = (
    "personnummer",
    "first_name",
    "last_name",
    "street",
    "postal_code",
    "city",
    "phone",
    "email",
    "protected_identity",
    "is_im_student",
)


@dataclass(frozen=True)
class GuardianData:
    name: str
    phone: str = ""
    guardian_id: int | None = None


def _today() -> datetime.date:
    return timezone.localdate()


def _normalised_personnummer(value: str) -> pnr.Personnummer:
    try:
        return pnr.parse(value, today=_today())
    except pnr.InvalidPersonnummer as error:
        raise ValidationError({"personnummer": [str(error)]}) from None


def _check_personnummer_free(
    *, municipality: Municipality, digits: str, exclude_pk: int | None = None
) -> None:
    others = Youth.objects.filter(municipality=municipality, personnummer=digits)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {
                "personnummer": [
                    _("Det finns redan en ungdom med personnumret %(pnr)s i kommunen.")
                    % {"pnr": pnr.mask(digits)}
                ]
            }
        )


@transaction.atomic
def youth_create(
    *,
    user: User,
    municipality: Municipality,
    personnummer: str,
    first_name: str,
    last_name: str,
    street: str = "",
    postal_code: str = "",
    city: str = "",
    phone: str = "",
    email: str = "",
    protected_identity: bool = False,
    is_im_student: bool = False,
    guardians: Sequence[GuardianData] = (),
) -> Youth:
    """Add a young person; the personnummer is validated and stored as 12 digits."""
    parsed = _normalised_personnummer(personnummer)
    _check_personnummer_free(municipality=municipality, digits=parsed.digits)
    youth = Youth(
        municipality=municipality,
        personnummer=parsed.digits,
        birth_date=parsed.birth_date,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        street=street.strip(),
        postal_code=postal_code.strip(),
        city=city.strip(),
        phone=phone.strip(),
        email=email.strip(),
        protected_identity=protected_identity,
        is_im_student=is_im_student,
    )
    youth.full_clean()
    youth._history_user = user  # type: ignore[attr-defined]
    youth.save()
    _guardians_save(user=user, youth=youth, guardians=guardians)
    return youth


@transaction.atomic
def youth_update(
    *, user: User, youth: Youth, guardians: Sequence[GuardianData] = (), **fields: Any
) -> Youth:
    """Change a young person's details; only the fields given change.

    Guardians given with an id are updated, without one added; none is deleted.
    """
    unknown = set(fields) - set(YOUTH_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = False
    if "personnummer" in fields:
        parsed = _normalised_personnummer(fields.pop("personnummer"))
        _check_personnummer_free(
            municipality=youth.municipality, digits=parsed.digits, exclude_pk=youth.pk
        )
        changed = youth.personnummer != parsed.digits
        youth.personnummer = parsed.digits
        youth.birth_date = parsed.birth_date
    lifts_protection = youth.protected_identity and fields.get("protected_identity") is False
    if lifts_protection and youth.pk not in address_visible_ids(user=user, youths=[youth]):
        # Lifting the protection would show the hidden address to whoever lifted it.
        raise ValidationError(
            {
                "protected_identity": [
                    _(
                        "Bara den tilldelade koordinatorn kan ta bort markeringen om skyddade "
                        "personuppgifter. Tilldela en koordinator först."
                    )
                ]
            }
        )
    becomes_im_student = fields.get("is_im_student") and not youth.is_im_student
    if becomes_im_student and youth.enrolments.filter(ended_on__isnull=True).exists():
        # docs/domain.md, "The law": IM and KAA must never be mixed up silently.
        raise ValidationError(
            {
                "is_im_student": [
                    _(
                        "Ungdomen har en aktiv inskrivning i aktivitetsansvaret. Avregistrera den "
                        "(orsak: påbörjat gymnasieutbildning) innan ungdomen markeras som IM-elev."
                    )
                ]
            }
        )
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(youth, name) != value:
            setattr(youth, name, value)
            changed = True
    youth.full_clean()
    if changed:
        youth._history_user = user  # type: ignore[attr-defined]
        youth.save()
    _guardians_save(user=user, youth=youth, guardians=guardians)
    return youth


def _guardians_save(*, user: User, youth: Youth, guardians: Sequence[GuardianData]) -> None:
    existing = {guardian.pk: guardian for guardian in youth.guardians.all()}
    for data in guardians:
        guardian = existing.get(data.guardian_id) if data.guardian_id else None
        if data.guardian_id and guardian is None:
            raise ValidationError({"guardians": [_("Okänd vårdnadshavare.")]})
        if not data.name.strip():
            continue
        if guardian is not None and (guardian.name, guardian.phone) == (
            data.name.strip(),
            data.phone.strip(),
        ):
            continue
        guardian_save(user=user, youth=youth, name=data.name, phone=data.phone, guardian=guardian)


@transaction.atomic
def guardian_save(
    *, user: User, youth: Youth, name: str, phone: str = "", guardian: Guardian | None = None
) -> Guardian:
    """Add or change a guardian (name and phone, for the contact routine of under-18s)."""
    if guardian is None:
        guardian = Guardian(youth=youth)
    elif guardian.youth_id != youth.pk:
        raise ValueError("The guardian belongs to another young person.")
    guardian.name = name.strip()
    guardian.phone = phone.strip()
    guardian.full_clean()
    guardian._history_user = user  # type: ignore[attr-defined]
    guardian.save()
    return guardian


def _check_coordinator(*, coordinator: User | None, municipality_id: int) -> None:
    if coordinator is None:
        return
    if coordinator.role != Role.COORDINATOR or coordinator.municipality_id != municipality_id:
        raise ValidationError({"coordinator": [_("Välj en KAA-koordinator i den egna kommunen.")]})


@transaction.atomic
def enrolment_register(
    *,
    user: User,
    youth: Youth,
    registered_on: datetime.date,
    source: str,
    school: str = "",
    coordinator: User | None = None,
    today: datetime.date | None = None,
    initial_occupation: str = "",
) -> Enrolment:
    """Enrol a young person in the KAA register after the eligibility check.

    Raises ValidationError with field errors when not eligible, and
    ActiveEnrolmentExists when an active enrolment is already there.
    """
    today = today or _today()
    # Lock the young person so that two registrations at once cannot both pass.
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if source not in Source.values:
        raise ValidationError({"source": [_("Välj en orsak till registrering.")]})
    has_active = youth.enrolments.filter(ended_on__isnull=True).exists()
    found = eligibility.refusals(
        birth_date=youth.birth_date,
        registered_on=registered_on,
        today=today,
        has_active_enrolment=has_active,
        is_im_student=youth.is_im_student,
    )
    errors: dict[str, list[str]] = {}
    for refusal in found:
        errors.setdefault(refusal.field, []).append(refusal.message)
    if has_active and len(found) == 1:
        # Eligible but for the active enrolment: a conflict, not bad input (API: 409).
        raise ActiveEnrolmentExists(errors)
    if errors:
        raise ValidationError(errors)
    _check_coordinator(coordinator=coordinator, municipality_id=youth.municipality_id)
    enrolment = Enrolment(
        municipality_id=youth.municipality_id,
        youth=youth,
        registered_on=registered_on,
        source=source,
        school=school.strip(),
        coordinator=coordinator,
    )
    enrolment.full_clean()
    enrolment._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise ActiveEnrolmentExists(
            {eligibility.FIELD_YOUTH: [_("Ungdomen har redan en aktiv inskrivning.")]}
        ) from None
    if initial_occupation:
        occupation_record(
            user=user, enrolment=enrolment, from_date=registered_on, kind=initial_occupation
        )
    return enrolment


@transaction.atomic
def enrolment_end(
    *,
    user: User,
    enrolment: Enrolment,
    ended_on: datetime.date,
    reason: str,
    reason_text: str = "",
    moved_to: str = "",
    today: datetime.date | None = None,
) -> Enrolment:
    """Deregister: an end date and a reason are required (and a text for "other").

    For ``moved_away`` the municipality moved to (``moved_to``, an SCB code) may be
    named; when it is on this installation it gets a move notification in the same
    transaction (docs/domain.md, "Regions and moves").
    """
    today = today or _today()
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    errors: dict[str, list[str]] = {}
    if enrolment.ended_on is not None:
        errors.setdefault("ended_on", []).append(
            _("Inskrivningen är redan avregistrerad (%(day)s).") % {"day": enrolment.ended_on}
        )
    if ended_on is None:
        errors.setdefault("ended_on", []).append(_("Ange datum för avregistreringen."))
    elif ended_on < enrolment.registered_on:
        errors.setdefault("ended_on", []).append(
            _("Avregistreringen kan inte ligga före inskrivningsdatumet %(day)s.")
            % {"day": enrolment.registered_on}
        )
    elif ended_on > today:
        errors.setdefault("ended_on", []).append(
            _("Avregistreringsdatumet får inte ligga i framtiden.")
        )
    if not reason:
        errors.setdefault("reason", []).append(
            _("Ange orsak till avregistrering. En avregistrering utan orsak är inte tillåten.")
        )
    elif reason not in EndReason.values:
        errors.setdefault("reason", []).append(_("Okänd orsak till avregistrering."))
    reason_text = (reason_text or "").strip()
    if reason == EndReason.OTHER and not reason_text:
        errors.setdefault("reason_text", []).append(
            _("Beskriv orsaken när du väljer ”Annan orsak”.")
        )
    moved_to = (moved_to or "").strip()
    if moved_to:
        moved_to_error = _moved_to_error(
            moved_to, reason=reason, own_code=enrolment.municipality.code
        )
        if moved_to_error:
            errors.setdefault("moved_to", []).append(moved_to_error)
    if errors:
        raise ValidationError(errors)
    enrolment.ended_on = ended_on
    enrolment.end_reason = reason
    enrolment.end_reason_text = reason_text
    enrolment.moved_to = moved_to
    enrolment.full_clean()
    enrolment._history_user = user  # type: ignore[attr-defined]
    enrolment.save()
    if reason == EndReason.MOVED_AWAY and moved_to:
        move_notify(user=user, enrolment=enrolment)
    return enrolment


def _moved_to_error(code: str, *, reason: str, own_code: str) -> str | None:
    if reason != EndReason.MOVED_AWAY:
        return _("Ange kommun bara när orsaken är ”Flyttat från kommunen”.")
    if code == own_code:
        return _("Ungdomen kan inte flytta till den egna kommunen. Välj en annan kommun.")
    if not national.is_known(code) and not Municipality.objects.filter(code=code).exists():
        return _("Okänd kommunkod %(code)s. Välj kommunen i listan (fyra siffror).") % {
            "code": code
        }
    return None


@transaction.atomic
def enrolment_assign_coordinator(
    *, user: User, enrolment: Enrolment, coordinator: User | None
) -> Enrolment:
    """Assign (or, with None, unassign) the enrolment's coordinator."""
    _check_coordinator(coordinator=coordinator, municipality_id=enrolment.municipality_id)
    enrolment.coordinator = coordinator
    enrolment._history_user = user  # type: ignore[attr-defined]
    enrolment.save(update_fields=["coordinator"])
    return enrolment


@transaction.atomic
def occupation_record(
    *,
    user: User,
    enrolment: Enrolment,
    from_date: datetime.date,
    kind: str,
    extent_percent: int = 100,
    note: str = "",
) -> Occupation:
    """Add a row to the enrolment's occupation history (past, present or planned)."""
    errors: dict[str, list[str]] = {}
    if kind not in OccupationKind.values:
        errors["kind"] = [_("Välj en sysselsättning i listan.")]
    if extent_percent is None or not 0 <= extent_percent <= 100:
        errors["extent_percent"] = [_("Omfattningen anges i procent, 0–100.")]
    if from_date is None:
        errors["from_date"] = [_("Ange från vilket datum sysselsättningen gäller.")]
    elif enrolment.ended_on is not None and from_date > enrolment.ended_on:
        errors["from_date"] = [
            _("Inskrivningen avregistrerades %(day)s; datumet kan inte ligga efter det.")
            % {"day": enrolment.ended_on}
        ]
    if errors:
        raise ValidationError(errors)
    occupation = Occupation(
        enrolment=enrolment,
        from_date=from_date,
        kind=kind,
        extent_percent=extent_percent,
        note=(note or "").strip(),
        recorded_by=user,
    )
    occupation.full_clean()
    occupation._history_user = user  # type: ignore[attr-defined]
    occupation.save()
    return occupation


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind reverse proxies REMOTE_ADDR is the nearest proxy; with KAA_TRUSTED_PROXY_COUNT = n
    # the client is the n-th address from the right of X-Forwarded-For (the ones our own
    # proxies appended). Addresses further left are the client's word and are not trusted.
    proxies = getattr(settings, "KAA_TRUSTED_PROXY_COUNT", 0)
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        candidate = forwarded[-proxies]
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return request.META.get("REMOTE_ADDR") or None
        return candidate
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *, user: User, youth: Youth, action: str, request: HttpRequest | None = None
) -> AccessLog:
    """Append one row to the access log: who read which young person's record, how and when."""
    if action not in AccessLog.Action.values:
        raise ValueError(f"Unknown access-log action {action!r}")
    return AccessLog.objects.create(
        user=user, youth=youth, action=action, ip_address=client_ip(request)
    )


def access_log_record_many(
    *, user: User, youths: Sequence[Youth], action: str, request: HttpRequest | None = None
) -> None:
    """One access-log row per young person in ``youths`` (a list read), in one insert."""
    if action not in AccessLog.Action.values:
        raise ValueError(f"Unknown access-log action {action!r}")
    ip_address = client_ip(request)
    AccessLog.objects.bulk_create(
        [
            AccessLog(user=user, youth=youth, action=action, ip_address=ip_address)
            for youth in youths
        ]
    )


@transaction.atomic
def school_notification_receive(
    *,
    user: User,
    personnummer: str,
    first_name: str,
    last_name: str,
    school: str,
    left_on: datetime.date,
    reason: str = Source.DROPOUT_NATIONAL_PROGRAMME,
    today: datetime.date | None = None,
) -> tuple[SchoolNotification, bool]:
    """A school reports a student who left (Skollagen 15:15).

    Finds or creates the young person and registers an enrolment when eligible.
    The same notice a second time changes nothing: returns (the first notice, False).
    A person outside the age range of the target group is not added to the
    register (förordning 2006:39 § 4 allows only the target group).
    """
    today = today or _today()
    municipality = user.municipality
    if municipality is None:
        raise ValidationError({"detail": [_("Användaren saknar kommun.")]})
    errors: dict[str, list[str]] = {}
    parsed = None
    try:
        parsed = pnr.parse(personnummer, today=today)
    except pnr.InvalidPersonnummer as error:
        errors["personnummer"] = [str(error)]
    if reason not in Source.values:
        errors["reason"] = [
            _("Okänd orsak. Använd en av: %(codes)s.") % {"codes": ", ".join(Source.values)}
        ]
    for field, value in (("first_name", first_name), ("last_name", last_name), ("school", school)):
        if not (value or "").strip():
            errors[field] = [_("Fältet måste fyllas i.")]
    if errors:
        raise ValidationError(errors)
    assert parsed is not None
    school = school.strip()
    # A school system that retries sends the same notice twice at once: serialise the
    # municipality's notices so the second one finds the first instead of colliding.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    existing = SchoolNotification.objects.filter(
        municipality=municipality,
        personnummer=parsed.digits,
        school=school,
        left_on=left_on,
        reason=reason,
    ).first()
    if existing is not None:
        return existing, False

    notification = SchoolNotification(
        municipality=municipality,
        personnummer=parsed.digits,
        school=school,
        left_on=left_on,
        reason=reason,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        sent_by=user,
    )
    messages: list[str] = []
    youth = Youth.objects.filter(municipality=municipality, personnummer=parsed.digits).first()
    age_refusals = [
        refusal
        for refusal in eligibility.refusals(
            birth_date=parsed.birth_date,
            registered_on=left_on,
            today=today,
            has_active_enrolment=False,
            is_im_student=False,
        )
        if refusal.field == eligibility.FIELD_REGISTERED_ON
    ]
    if youth is None and age_refusals:
        messages.append(_("Ingen ungdom registrerades."))
        messages.extend(refusal.message for refusal in age_refusals)
    else:
        if youth is None:
            youth = youth_create(
                user=user,
                municipality=municipality,
                personnummer=parsed.digits,
                first_name=first_name,
                last_name=last_name,
            )
            notification.youth_created = True
            messages.append(_("Ungdomen lades till i registret."))
        else:
            messages.append(_("Ungdomen fanns redan i registret."))
        notification.youth = youth
        try:
            notification.enrolment = enrolment_register(
                user=user,
                youth=youth,
                registered_on=left_on,
                source=reason,
                school=school,
                today=today,
            )
            notification.enrolment_created = True
            messages.append(_("En inskrivning i aktivitetsansvaret registrerades."))
        except ValidationError as error:
            messages.append(_("Ingen inskrivning registrerades."))
            messages.extend(error.messages)
            notification.enrolment = youth.enrolments.filter(ended_on__isnull=True).first()
    notification.messages = [str(message) for message in messages]
    notification.full_clean(validate_constraints=False)
    notification.save()
    return notification, True


# --- Moves (docs/domain.md, "Regions and moves") ---


class MoveAlreadyHandled(ValidationError):
    """The move notification was registered or dismissed already (the API answers 409)."""


MOVE_SENT = "sent"
MOVE_NOT_ON_INSTALLATION = "not_on_installation"


def move_status(enrolment: Enrolment) -> str | None:
    """What became of an ended enrolment's move: ``sent``, ``not_on_installation`` or None."""
    if enrolment.end_reason != EndReason.MOVED_AWAY or not enrolment.moved_to:
        return None
    if MoveNotification.objects.filter(ended_enrolment=enrolment).exists():
        return MOVE_SENT
    return MOVE_NOT_ON_INSTALLATION


@transaction.atomic
def move_notify(*, user: User, enrolment: Enrolment) -> MoveNotification | None:
    """Send the receiving municipality a move notification, once per ended enrolment.

    Only what the brief allows crosses: personnummer, name, the address unless the
    identity is protected, the date of the move and the sending municipality.
    None when the municipality moved to is not on this installation (a letter instead).
    """
    to = Municipality.objects.filter(code=enrolment.moved_to).first()
    if to is None or to.pk == enrolment.municipality_id:
        return None
    existing = MoveNotification.objects.filter(ended_enrolment=enrolment).first()
    if existing is not None:
        return existing
    youth = enrolment.youth
    protected = youth.protected_identity
    notification = MoveNotification(
        to_municipality=to,
        from_municipality_id=enrolment.municipality_id,
        ended_enrolment=enrolment,
        personnummer=youth.personnummer,
        first_name=youth.first_name,
        last_name=youth.last_name,
        street="" if protected else youth.street,
        postal_code="" if protected else youth.postal_code,
        city="" if protected else youth.city,
        protected_identity=protected,
        moved_on=enrolment.ended_on,  # type: ignore[misc]  # ended: the date is set
    )
    notification.full_clean()
    notification._history_user = user  # type: ignore[attr-defined]
    notification.save()
    return notification


def _lock_pending(notification: MoveNotification) -> MoveNotification:
    locked = MoveNotification.objects.select_for_update().get(pk=notification.pk)
    if locked.status != MoveStatus.PENDING:
        raise MoveAlreadyHandled(
            {
                "__all__": [
                    _("Flyttanmälan är redan hanterad (%(status)s).")
                    % {"status": locked.get_status_display()}
                ]
            }
        )
    return locked


@transaction.atomic
def move_register(
    *,
    user: User,
    notification: MoveNotification,
    registered_on: datetime.date,
    today: datetime.date | None = None,
) -> tuple[Enrolment, Youth, bool]:
    """Register an incoming move: find or create the young person and enrol them
    (source ``moved_in``) with the usual eligibility checks.

    Returns (enrolment, youth, youth_created). Raises MoveAlreadyHandled when it was
    handled before, ValidationError / ActiveEnrolmentExists as ``enrolment_register``;
    on any refusal nothing is written.
    """
    notification = _lock_pending(notification)
    if registered_on is None:
        raise ValidationError({"registered_on": [_("Ange datum för inskrivningen.")]})
    youth = Youth.objects.filter(
        municipality_id=notification.to_municipality_id, personnummer=notification.personnummer
    ).first()
    created = youth is None
    if youth is None:
        youth = youth_create(
            user=user,
            municipality=notification.to_municipality,
            personnummer=notification.personnummer,
            first_name=notification.first_name,
            last_name=notification.last_name,
            street=notification.street,
            postal_code=notification.postal_code,
            city=notification.city,
            protected_identity=notification.protected_identity,
        )
    elif notification.protected_identity and not youth.protected_identity:
        youth = youth_update(user=user, youth=youth, protected_identity=True)
    enrolment = enrolment_register(
        user=user,
        youth=youth,
        registered_on=registered_on,
        source=Source.MOVED_IN,
        coordinator=user if user.role == Role.COORDINATOR else None,
        today=today,
    )
    notification.status = MoveStatus.REGISTERED
    notification.enrolment = enrolment
    notification.handled_by = user
    notification.handled_at = timezone.now()
    notification.full_clean()
    notification._history_user = user  # type: ignore[attr-defined]
    notification.save()
    return enrolment, youth, created


@transaction.atomic
def move_dismiss(*, user: User, notification: MoveNotification, reason: str) -> MoveNotification:
    """Dismiss an incoming move; a reason is required."""
    notification = _lock_pending(notification)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Ange ett skäl till att flyttanmälan avfärdas.")]})
    notification.status = MoveStatus.DISMISSED
    notification.dismiss_reason = reason
    notification.handled_by = user
    notification.handled_at = timezone.now()
    notification.full_clean()
    notification._history_user = user  # type: ignore[attr-defined]
    notification.save()
    return notification


MOVE_READ_LIST = "list"
MOVE_READ_API = "api_read"
MOVE_READ_VIEW = "view_page"


def move_reads_record(
    *,
    user: User,
    notifications: Sequence[MoveNotification],
    action: str,
    request: HttpRequest | None = None,
) -> None:
    """The receiving side's access log: one row per notification read, in one insert."""
    ip_address = client_ip(request)
    MoveNotificationRead.objects.bulk_create(
        [
            MoveNotificationRead(
                user=user, notification=notification, action=action, ip_address=ip_address
            )
            for notification in notifications
        ]
    )


# --- Regions ---


@transaction.atomic
def region_ensure(
    *, name: str, municipality_codes: Sequence[str], acting_user: Callable[[], User] | None = None
) -> tuple[Region, Outcome]:
    """Create the region or set its member municipalities; running it again changes nothing."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Ange regionens namn.")]})
    codes = [code.strip() for code in municipality_codes if code.strip()]
    if not codes:
        raise ValidationError({"municipalities": [_("Ange minst en kommunkod.")]})
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            {
                "municipalities": [
                    _(
                        "Kommunerna %(codes)s finns inte här. Lägg till dem först med add_municipality."
                    )
                    % {"codes": ", ".join(missing)}
                ]
            }
        )
    region = Region.objects.filter(name=name).first()
    created = region is None
    if region is None:
        region = Region(name=name)
        region.full_clean()
        region._history_user = acting_user() if acting_user else None  # type: ignore[attr-defined]
        region.save()
    current = set(region.municipalities.values_list("code", flat=True))
    changed = created or current != set(codes)
    if changed:
        region._history_user = acting_user() if acting_user else None  # type: ignore[attr-defined]
        region.municipalities.set(found.values())
    return region, Outcome(created=created, changed=changed)

"""The list of young people, the young person's page, and the create/edit forms."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import eligibility, selectors, services
from ..access_log import access_log_read
from ..forms import EnrolmentForm, GuardianFormSet, YouthForm, YouthListForm
from ..http import KaaRequest
from ..models import EndReason, Municipality, OccupationKind, Role, Source, Youth
from ..permissions import CASE_ROLES, role_required
from .common import add_service_errors, query_without_page

PAGE_SIZE = 50


SEARCH_SESSION_KEY = "youth_searches"
SEARCHES_KEPT = 20


def _remember_search(request: HttpRequest, text: str) -> str:
    """Keep the search text in the session; the URL carries only an opaque key.

    docs/domain.md, data protection: a personnummer (or a name) typed in the
    search never travels in a URL, where it would land in server and proxy logs.
    """
    searches: dict[str, str] = request.session.get(SEARCH_SESSION_KEY, {})
    key = secrets.token_urlsafe(6)
    searches = dict(list(searches.items())[-(SEARCHES_KEPT - 1) :])
    searches[key] = text
    request.session[SEARCH_SESSION_KEY] = searches
    return key


def _list_url(request: HttpRequest, data: QueryDict, search: str) -> str:
    query = QueryDict(mutable=True)
    for name in YouthListForm.base_fields:
        value = data.get(name)
        if name != "q" and isinstance(value, str) and value:
            query[name] = value
    if search:
        query["s"] = _remember_search(request, search)
    url = reverse("registry:youth_list")
    return f"{url}?{query.urlencode()}" if query else url


@role_required(*CASE_ROLES)
def youth_list(request: KaaRequest) -> HttpResponse:
    if request.method == "POST":
        # The search form is POSTed; the filters go back into the URL, the text does not.
        return redirect(_list_url(request, request.POST, request.POST.get("q", "").strip()))
    if "q" in request.GET:
        # An old link or bookmark with the text in the URL: move it out of the URL.
        return redirect(_list_url(request, request.GET, request.GET["q"].strip()))
    user = request.user
    today = timezone.localdate()
    coordinators = list(selectors.municipality_coordinators(user=user))
    query = request.GET.copy()
    query.pop("s", None)
    searches = request.session.get(SEARCH_SESSION_KEY, {})
    if request.GET.get("s") in searches:
        query["q"] = searches[request.GET["s"]]
    form = YouthListForm(query or None, coordinators=coordinators)
    # An invalid choice (e.g. a coordinator no longer active) drops that filter only.
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    filters = selectors.YouthListFilters(
        query=data.get("q", ""),
        status=data.get("status", ""),
        coordinator=data.get("coordinator", ""),
        source=data.get("source", ""),
        occupation=data.get("occupation", ""),
        reached=data.get("reached", ""),
        sort=data.get("sort") or "name",
    )
    youths = selectors.youth_list(user=user, filters=filters, today=today)
    page = Paginator(youths, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {coordinator.pk: str(coordinator) for coordinator in coordinators}
    sources = dict(Source.choices)
    occupations = dict(OccupationKind.choices)
    end_reasons = dict(EndReason.choices)
    # Each row carries the list's annotations (selectors.youth_list) plus display labels.
    for youth in cast(Iterable[Any], page):
        youth.age = eligibility.age_on(youth.birth_date, today)
        youth.coordinator_name = names.get(youth.current_coordinator_id, "")
        youth.source_label = sources.get(youth.current_source, "")
        youth.occupation_label = occupations.get(youth.current_occupation, "")
        youth.end_reason_label = end_reasons.get(youth.current_end_reason, "")
    return render(
        request,
        "registry/youth_list.html",
        {"page": page, "form": form, "query": query_without_page(request)},
    )


@role_required(*CASE_ROLES)
def youth_detail(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    youth = selectors.youth_page(user=user, pk=pk)
    # Every opening of a young person's page is logged (the access log).
    access_log_read(request, youth)
    address_visible = youth.pk in selectors.address_visible_ids(user=user, youths=[youth])
    enrolments = list(youth.enrolments.all())
    has_active = any(enrolment.is_active for enrolment in enrolments)
    today = timezone.localdate()
    age = eligibility.age_on(youth.birth_date, today)
    # Responsibility ends on the 20th birthday: no new enrolment is offered after it.
    over_age = age >= eligibility.AGE_LIMIT
    coordinators = (
        list(selectors.municipality_coordinators(user=user)) if user.role == Role.MANAGER else []
    )
    return render(
        request,
        "registry/youth_detail.html",
        {
            "youth": youth,
            "enrolments": enrolments,
            "guardians": list(youth.guardians.all()),
            "address_visible": address_visible,
            "age": age,
            "turns_20_on": eligibility.twentieth_birthday(youth.birth_date),
            "can_register": not has_active and not youth.is_im_student and not over_age,
            "over_age": over_age,
            "is_manager": user.role == Role.MANAGER,
            "coordinators": coordinators,
            "history": selectors.youth_change_history(youth=youth, address_visible=address_visible),
        },
    )


def _guardian_data(formset) -> list[services.GuardianData]:
    return [
        services.GuardianData(
            name=form.cleaned_data.get("name", ""),
            phone=form.cleaned_data.get("phone", ""),
            guardian_id=form.cleaned_data.get("guardian_id"),
        )
        for form in formset
        if form.cleaned_data
    ]


@role_required(*CASE_ROLES)
def youth_create(request: KaaRequest) -> HttpResponse:
    user = request.user
    coordinators = selectors.municipality_coordinators(user=user)
    initial_coordinator = user.pk if user.role == Role.COORDINATOR else None
    form = YouthForm(request.POST or None)
    guardians = GuardianFormSet(request.POST or None, prefix="guardians")
    enrolment_form = EnrolmentForm(
        request.POST or None,
        prefix="enrolment",
        coordinators=coordinators,
        initial={"coordinator": initial_coordinator},
    )
    register_now = request.method != "POST" or bool(request.POST.get("register_now"))
    existing = None
    if request.method == "POST":
        valid = form.is_valid() & guardians.is_valid()
        if register_now:
            valid = enrolment_form.is_valid() & valid
        if valid:
            try:
                with transaction.atomic():
                    youth = services.youth_create(
                        user=user,
                        # role_required lets in only users with a municipality.
                        municipality=cast(Municipality, user.municipality),
                        guardians=_guardian_data(guardians),
                        **form.cleaned_data,
                    )
                    if register_now:
                        _register(user, youth, enrolment_form)
            except ValidationError as error:
                _show_create_errors(error, form, enrolment_form)
                # The same personnummer finds the existing person (when this user may see them).
                existing = selectors.youth_by_personnummer(
                    user=user,
                    personnummer=request.POST.get("personnummer", ""),
                )
            else:
                messages.success(request, _("%(name)s är tillagd.") % {"name": youth.full_name})
                for other in selectors.youth_lookalikes(user=user, youth=youth):
                    messages.warning(
                        request,
                        _(
                            "Att granska: %(name)s med samma födelsedatum finns redan med ett "
                            "annat nummer (%(masked)s). Kontrollera att det inte är samma person."
                        )
                        % {"name": other.full_name, "masked": other.masked_personnummer},
                    )
                if Youth.objects.visible_to(user).filter(pk=youth.pk).exists():
                    return redirect("registry:youth_detail", pk=youth.pk)
                messages.info(
                    request,
                    _(
                        "Ungdomen har skyddade personuppgifter och syns bara för den tilldelade "
                        "koordinatorn."
                    ),
                )
                return redirect("registry:youth_list")
    return render(
        request,
        "registry/youth_form.html",
        {
            "form": form,
            "guardians": guardians,
            "enrolment_form": enrolment_form,
            "register_now": register_now,
            "creating": True,
            "existing": existing,
        },
    )


def _register(user, youth, enrolment_form) -> None:
    data = enrolment_form.cleaned_data
    try:
        services.enrolment_register(
            user=user,
            youth=youth,
            registered_on=data["registered_on"],
            source=data["source"],
            school=data.get("school", ""),
            coordinator=data.get("coordinator"),
            initial_occupation=data.get("initial_occupation", ""),
        )
    except ValidationError as error:
        raise ValidationError(
            {f"enrolment:{k}": v for k, v in error.message_dict.items()}
        ) from None


def _show_create_errors(error: ValidationError, form, enrolment_form) -> None:
    """The young person's errors on their form, the enrolment's ("enrolment:…") on its own."""
    own: dict[str, list[str]] = {}
    enrolment: dict[str, list[str]] = {}
    for field, errors in error.message_dict.items():
        if field.startswith("enrolment:"):
            enrolment[field.split(":", 1)[1]] = errors
        else:
            own[field] = errors
    if own:
        add_service_errors(form, ValidationError(own))
    if enrolment:
        add_service_errors(enrolment_form, ValidationError(enrolment))


@role_required(*CASE_ROLES)
def youth_edit(request: KaaRequest, pk: int) -> HttpResponse:
    user = request.user
    youth = selectors.youth_page(user=user, pk=pk)
    if request.method == "GET":
        # The edit form shows the whole record: opening it is a read like the page's.
        access_log_read(request, youth)
    address_visible = youth.pk in selectors.address_visible_ids(user=user, youths=[youth])
    initial = {
        name: getattr(youth, name)
        for name in services.YOUTH_EDITABLE_FIELDS
        if address_visible or name not in selectors.ADDRESS_FIELDS
    }
    initial["personnummer"] = youth.formatted_personnummer
    form = YouthForm(request.POST or None, initial=initial, show_address=address_visible)
    guardians = GuardianFormSet(
        request.POST or None,
        prefix="guardians",
        initial=[
            {"guardian_id": g.pk, "name": g.name, "phone": g.phone} for g in youth.guardians.all()
        ],
    )
    if request.method == "POST" and form.is_valid() & guardians.is_valid():
        try:
            services.youth_update(
                user=user,
                youth=youth,
                guardians=_guardian_data(guardians),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect("registry:youth_detail", pk=youth.pk)
    return render(
        request,
        "registry/youth_form.html",
        {"form": form, "guardians": guardians, "youth": youth, "creating": False},
    )

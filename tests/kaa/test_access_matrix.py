"""The access matrix: every page and every API operation, for every role.

Mechanical on purpose: the routes are read from the URL resolver and from the
OpenAPI document, so a new page or endpoint is in the matrix without anyone
remembering to add it (a new path parameter fails ``test_every_parameter_is_known``).

The rules (docs/api.md, "Access"; docs/domain.md, "Registration" and "Data protection"):
- another municipality's object answers 404 (pages may answer 403 only where the
  role itself is refused), never 200 with its data and never 500;
- a board secretary reads only the reports; a school token only posts school
  notifications; anonymous users are sent to log in (pages) or get 401 (API);
- a young person with protected identity is invisible to coordinators not
  assigned to them, and their address never reaches a manager.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader, PdfWriter

from casework.models import ContactAttempt, LetterBatch, LetterPrintJob, Measure
from followup.models import OverdueFlag
from kaa.api.urls import api
from registry.models import (
    AccessLog,
    ImportBatch,
    MoveNotification,
    MoveNotificationRead,
    Municipality,
    Occupation,
    Region,
    Role,
    User,
)
from registry.personnummer import synthetic
from reports.models import BoardReport, ScbExport
from tests.casework.plan_factories import ActorFactory, MappingFactory, MeasureFactory, PlanFactory
from tests.conftest import api_client_for, logged_in_client
from tests.factories import EnrolmentFactory, MunicipalityFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

# Public, no data: the health check and the icon. oidc/: the single sign-on
# routes, like login (404 while OIDC is not configured).
SKIPPED_PREFIXES = (
    "admin/",
    "api/",
    "static/",
    "i18n/",
    "jsi18n/",
    "healthz",
    "favicon.ico",
    "oidc/",
)
SKIPPED_NAMES = {"login", "logout"}
# Pages every logged-in user has: the start page (redirects to the role's own
# start) and the user's own account page.
EVERYONE_PAGES = {"home", "account"}
REPORT_PAGE_PREFIX = "rapporter/"
REPORT_API_PREFIX = "/api/v1/reports/"
SCHOOL_OPERATION = ("post", "/api/v1/school-notifications/")
# Who the token acts as: every role may ask (it shows only the token's own user).
EVERYONE_OPERATIONS = {("get", "/api/v1/me")}
REPORT_QUERY = {"from": "2026-01-01", "to": "2026-06-30"}
# A print run of letters is its creator's own: the manager does not open it either.
CREATOR_ONLY_PAGES = {
    "casework:letters_batch_detail",
    "casework:letters_batch_pdf",
    "casework:letters_batch_confirm",
    "casework:letters_batch_status",
    "casework:letters_batch_print",
}

STREET = "Hemligstigen 77"
POSTAL_CODE = "871 23"
CITY = "Skyddsby"


# --- The routes --------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    params: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def _pages() -> list[Page]:
    pages = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        pages.append(Page(name=name, route=route, params=params))
    return pages


@dataclass(frozen=True)
class Operation:
    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


def _operations() -> list[Operation]:
    schema = api.get_openapi_schema()
    return [
        Operation(method=method, path=path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    ]


PAGES = _pages()
PAGES_WITH_OBJECTS = [page for page in PAGES if page.params]
OPERATIONS = _operations()
OPERATIONS_WITH_OBJECTS = [operation for operation in OPERATIONS if operation.params]

# What each path parameter names, per page (a bare ``pk`` means different things).
PAGE_OBJECT = {
    "registry:youth_detail": "youth",
    "registry:youth_edit": "youth",
    "registry:enrolment_create": "youth",
    "registry:access_log_youth": "youth",
    "registry:enrolment_end": "enrolment",
    "registry:occupation_create": "enrolment",
    "registry:enrolment_assign": "enrolment",
    "registry:import_batch": "import_batch",
    "registry:import_confirm": "import_batch",
    "registry:import_cancel": "import_batch",
    "registry:access_log_user": "coordinator",
    "casework:enrolment_contacts": "enrolment",
    "casework:contact_create": "enrolment",
    "casework:worklist_log_form": "enrolment",
    "casework:contact_update": "contact",
    "casework:plan": "enrolment",
    "casework:plan_pdf": "enrolment",
    "casework:plan_occupation": "enrolment",
    "casework:mapping": "enrolment",
    "casework:measure_create": "enrolment",
    "casework:measure_edit": "measure",
    "casework:measure_end": "measure",
    "casework:actor_edit": "actor",
    "casework:letter_template_edit": "letter_kind",
    "casework:letter_pdf": "enrolment",
    "casework:letter_sent": "enrolment",
    "casework:letters_batch_detail": "letter_batch",
    "casework:letters_batch_pdf": "letter_batch",
    "casework:letters_batch_confirm": "letter_batch",
    "casework:letters_batch_status": "letter_batch",
    "casework:letters_batch_print": "letter_batch",
    "reports:scb_download": "scb_export",
    "reports:board_report_status": "board_report",
    "reports:board_report_download": "board_report",
    "registry:move_letter_pdf": "moved_enrolment",
    "registry:move_register": "move",
    "registry:move_dismiss": "move",
}
OPERATION_OBJECT = {
    "youth_id": "youth",
    "enrolment_id": "enrolment",
    "measure_id": "measure",
    "move_id": "move",
}
# Objects that belong to one young person: a protected youth's are hidden too.
PERSONAL_OBJECTS = {"youth", "enrolment", "contact", "measure", "moved_enrolment", "move"}
# The regional analyst's pages and operation: figures of the region, never a person.
REGIONAL_PAGES = {
    "reports:regional",
    "reports:regional_compliance",
    "reports:regional_csv",
    "reports:regional_pdf",
}
REGIONAL_OPERATION = ("get", "/api/v1/reports/regional/")
# Incoming moves: the read is logged in the receiving side's move read log
# (MoveNotificationRead), as the young person is not in its register yet.
MOVE_PAGES = {"registry:move_register", "registry:move_dismiss"}


# --- The data ----------------------------------------------------------------


@dataclass
class CaseSet:
    """One municipality's users and one of everything, around one young person."""

    municipality: Municipality
    coordinator: User
    manager: User
    objects: dict[str, Any]

    def pk(self, kind: str) -> object:
        if kind == "letter_kind":
            return "first_letter"
        return self.objects[kind].pk

    def page_url(self, page: Page) -> str:
        url = "/" + page.route
        for param in page.params:
            value = self.pk(PAGE_OBJECT[page.name])
            url = re.sub(rf"<(?:\w+:)?{param}>", str(value), url)
        return url

    def api_url(self, operation: Operation) -> str:
        url = operation.path
        for param in operation.params:
            url = url.replace(f"{{{param}}}", str(self.pk(OPERATION_OBJECT[param])))
        return url


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_case_set(
    municipality: Municipality,
    coordinator: User,
    manager: User,
    *,
    last_name: str,
    protected_identity: bool = False,
) -> CaseSet:
    youth = YouthFactory(
        municipality=municipality,
        last_name=last_name,
        protected_identity=protected_identity,
        street=STREET,
        postal_code=POSTAL_CODE,
        city=CITY,
    )
    enrolment = EnrolmentFactory(youth=youth, coordinator=coordinator)
    # An earlier enrolment, ended when they moved to a municipality not on the installation.
    moved_enrolment = EnrolmentFactory(
        youth=youth,
        coordinator=coordinator,
        registered_on=datetime.date(2026, 1, 12),
        ended_on=datetime.date(2026, 3, 2),
        end_reason="moved_away",
        moved_to="0180",
    )
    # A move into this municipality, of someone with the same surname (the lists' trace).
    move = MoveNotification.objects.create(
        to_municipality=municipality,
        from_municipality=MunicipalityFactory(code="0997", name="Avsändarkommunen"),
        personnummer=synthetic(datetime.date(2008, 2, 2), 985),
        first_name="Inflyttad",
        last_name=last_name,
        street="" if protected_identity else "Nya gatan 1",
        protected_identity=protected_identity,
        moved_on=datetime.date(2026, 9, 20),
    )
    Occupation.objects.create(enrolment=enrolment, from_date=enrolment.registered_on, kind="none")
    contact = ContactAttempt.objects.create(
        enrolment=enrolment,
        date=enrolment.registered_on + datetime.timedelta(days=2),
        channel="letter",
        outcome="not_reached",
    )
    MappingFactory(enrolment=enrolment)
    plan = PlanFactory(enrolment=enrolment)
    actor = ActorFactory(municipality=municipality, name=f"Aktör i {municipality.code}")
    measure = MeasureFactory(plan=plan, actor=actor, responsible="other_actor")
    OverdueFlag.objects.create(
        enrolment=enrolment,
        step="first_contact",
        due=enrolment.registered_on,
        opened_on=enrolment.registered_on,
    )
    letter_batch = LetterBatch.objects.create(
        municipality=municipality,
        created_by=coordinator,
        printed_on=enrolment.registered_on,
        items=[{"enrolment": enrolment.pk, "kind": "first_letter"}],
    )
    # Its PDF as the background job keeps it (a blank page stands in for the letters).
    print_job = LetterPrintJob(
        batch=letter_batch,
        municipality=municipality,
        created_by=coordinator,
        status=LetterPrintJob.Status.DONE,
        done=1,
        total=1,
        youth_ids=[youth.pk],
    )
    print_job.pdf.save(f"matris-{letter_batch.pk}.pdf", ContentFile(_blank_pdf()))
    import_batch = ImportBatch.objects.create(
        municipality=municipality,
        created_by=coordinator,
        filename="register.csv",
        status=ImportBatch.Status.READY,
    )
    board_report = BoardReport.objects.create(
        municipality=municipality,
        period_from=datetime.date(2026, 1, 1),
        period_to=datetime.date(2026, 6, 30),
        status=BoardReport.Status.DONE,
        pdf=_blank_pdf(),
        created_by=manager,
    )
    scb_export = ScbExport.objects.create(
        municipality=municipality,
        period_from=datetime.date(2026, 1, 1),
        period_to=datetime.date(2026, 6, 30),
        content=f"{youth.personnummer};1\n",
        row_count=1,
        youth_ids=[youth.pk],
        created_by=manager,
    )
    return CaseSet(
        municipality=municipality,
        coordinator=coordinator,
        manager=manager,
        objects={
            "youth": youth,
            "enrolment": enrolment,
            "contact": contact,
            "measure": measure,
            "actor": actor,
            "letter_batch": letter_batch,
            "import_batch": import_batch,
            "board_report": board_report,
            "scb_export": scb_export,
            "coordinator": coordinator,
            "moved_enrolment": moved_enrolment,
            "move": move,
        },
    )


@pytest.fixture
def ours(municipality, coordinator, manager) -> CaseSet:
    return build_case_set(municipality, coordinator, manager, last_name="Vårsson")


@pytest.fixture
def theirs(other_municipality) -> CaseSet:
    return build_case_set(
        other_municipality,
        UserFactory(
            username="deras-koordinator", role=Role.COORDINATOR, municipality=other_municipality
        ),
        UserFactory(username="deras-chef", role=Role.MANAGER, municipality=other_municipality),
        last_name="Derasson",
    )


@pytest.fixture
def protected(municipality, coordinator, manager) -> CaseSet:
    """A young person with protected identity, assigned to ``coordinator``."""
    return build_case_set(
        municipality, coordinator, manager, last_name="Skyddsson", protected_identity=True
    )


def _user(role: str, request) -> User:
    return request.getfixturevalue({"coordinator": "coordinator", "manager": "manager"}[role])


# --- Helpers -----------------------------------------------------------------


def _page_get_or_post(client: Client, url: str):
    """GET; a POST-only view (405) is tried with an empty POST instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _api_call(client, operation: Operation, url: str):
    if operation.method == "get":
        return client.get(
            url, REPORT_QUERY if operation.path.startswith(REPORT_API_PREFIX) else None
        )
    return getattr(client, operation.method)(url, {})


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


def _leaks_address(text: str) -> list[str]:
    return [value for value in (STREET, POSTAL_CODE, CITY) if value in text]


# --- Completeness ------------------------------------------------------------


def test_every_parameter_is_known():
    """A new page or endpoint with an id must say which object the id names."""
    assert {page.name for page in PAGES_WITH_OBJECTS} == set(PAGE_OBJECT)
    assert {param for operation in OPERATIONS for param in operation.params} == set(
        OPERATION_OBJECT
    )


def test_the_operations_are_those_of_the_served_openapi_document(coordinator_api):
    served = coordinator_api.get("/api/v1/openapi.json").json()
    assert {(method, path) for path, methods in served["paths"].items() for method in methods} == {
        (operation.method, operation.path) for operation in OPERATIONS
    }


# --- Another municipality's objects ------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize(
    "page",
    [page for page in PAGES_WITH_OBJECTS if PAGE_OBJECT[page.name] != "letter_kind"],
    ids=str,
)
def test_page_of_another_municipality_is_not_found(page, role, ours, theirs, request):
    client = logged_in_client(_user(role, request))
    response = _page_get_or_post(client, theirs.page_url(page))
    if response.status_code == 403:
        # Only a refusal of the role itself is allowed: the same page of our own
        # municipality must refuse this role too.
        assert _page_get_or_post(client, ours.page_url(page)).status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize("page", PAGES_WITH_OBJECTS, ids=str)
def test_page_of_own_municipality_is_reachable(page, role, ours, request):
    """The ids of the data set are right: the 404s above are not accidental."""
    response = _page_get_or_post(logged_in_client(_user(role, request)), ours.page_url(page))
    if role == "manager" and page.name in CREATOR_ONLY_PAGES:
        assert response.status_code == 404
    else:
        # 400: a POST-only page refusing the empty form.
        assert response.status_code in {200, 302, 400, 403}, response.status_code


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize("operation", OPERATIONS_WITH_OBJECTS, ids=str)
def test_api_object_of_another_municipality_is_not_found(operation, role, theirs, request):
    client = api_client_for(_user(role, request))
    response = _api_call(client, operation, theirs.api_url(operation))
    if operation.method == "get":
        assert response.status_code == 404, response.content
        return
    # A write with an empty body may be refused for the body first; then an
    # unknown id must be answered exactly the same, so nothing is revealed.
    unknown = _api_call(client, operation, re.sub(r"{\w+}", "999999999", operation.path))
    assert response.status_code in {400, 404}, response.content
    assert (response.status_code, response.json()) == (unknown.status_code, unknown.json())


PAGES_WITHOUT_OBJECTS = [page for page in PAGES if not page.params]
LIST_OPERATIONS = [op for op in OPERATIONS if op.method == "get" and not op.params]


def _traces(case_set: CaseSet) -> list[str]:
    """What would give away that young person or municipality on a page or in a file."""
    youth = case_set.objects["youth"]
    return [youth.last_name, youth.personnummer, case_set.objects["actor"].name]


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize("page", PAGES_WITHOUT_OBJECTS, ids=str)
def test_page_never_lists_another_municipality(page, role, ours, theirs, request):
    response = logged_in_client(_user(role, request)).get(ours.page_url(page), follow=True)
    assert response.status_code != 500
    text = _text_of(response)
    assert [trace for trace in _traces(theirs) if trace in text] == []


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize("operation", LIST_OPERATIONS, ids=str)
def test_api_never_lists_another_municipality(operation, role, ours, theirs, request):
    response = _api_call(api_client_for(_user(role, request)), operation, operation.path)
    assert response.status_code in {200, 403}, response.content
    text = _text_of(response)
    assert [trace for trace in _traces(theirs) if trace in text] == []
    assert f'"enrolment": {theirs.pk("enrolment")}' not in text


# --- Roles -------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_board_secretary_reads_only_reports_pages(page, ours, board_secretary):
    response = _page_get_or_post(logged_in_client(board_secretary), ours.page_url(page))
    assert response.status_code != 500
    if page.name in EVERYONE_PAGES:
        assert response.status_code in {200, 302}
    elif not page.route.startswith(REPORT_PAGE_PREFIX):
        assert response.status_code == 403
    else:
        # The board reads figures, never one young person (docs/domain.md, "Public figures").
        text = _text_of(response)
        assert [trace for trace in _traces(ours)[:2] if trace in text] == []


@pytest.fixture
def regional_analyst(municipality, other_municipality) -> User:
    region = Region.objects.create(name="Provregionen")
    region.municipalities.set([municipality, other_municipality])
    return UserFactory(
        username="regionanalytiker",
        role=Role.REGIONAL_ANALYST,
        municipality=None,
        region=region,
    )


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_regional_analyst_reads_only_the_regional_pages(page, ours, theirs, regional_analyst):
    """The analyst sees figures of the region and never a young person (docs/domain.md)."""
    response = _page_get_or_post(logged_in_client(regional_analyst), ours.page_url(page))
    assert response.status_code != 500
    if page.name in EVERYONE_PAGES:
        assert response.status_code in {200, 302}
    elif page.name in REGIONAL_PAGES:
        assert response.status_code == 200
        text = _text_of(response)
        traces = [*_traces(ours)[:2], *_traces(theirs)[:2]]
        assert [trace for trace in traces if trace in text] == []
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_regional_analyst_api_only_regional_figures(operation, ours, theirs, regional_analyst):
    response = _api_call(api_client_for(regional_analyst), operation, ours.api_url(operation))
    if (operation.method, operation.path) == REGIONAL_OPERATION:
        assert response.status_code == 200, response.content
        text = response.content.decode()
        assert [t for t in [*_traces(ours)[:2], *_traces(theirs)[:2]] if t in text] == []
    elif (operation.method, operation.path) in EVERYONE_OPERATIONS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_school_user_has_no_pages(page, ours, school_user):
    response = _page_get_or_post(logged_in_client(school_user), ours.page_url(page))
    if page.name in EVERYONE_PAGES:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_anonymous_user_is_sent_to_log_in(page, ours):
    response = _page_get_or_post(Client(), ours.page_url(page))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_board_secretary_api_only_reports(operation, ours, board_secretary):
    response = _api_call(api_client_for(board_secretary), operation, ours.api_url(operation))
    if operation.path.startswith(REPORT_API_PREFIX):
        # Which report a board secretary reads is the report's own rule (compliance
        # lists single cases and is the manager's); never a body error, never a crash.
        assert response.status_code in {200, 403}, response.content
        assert f'"enrolment": {ours.pk("enrolment")}' not in response.content.decode()
    elif (operation.method, operation.path) in EVERYONE_OPERATIONS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_school_token_only_posts_school_notifications(operation, ours, school_user):
    response = _api_call(api_client_for(school_user), operation, ours.api_url(operation))
    if (operation.method, operation.path) == SCHOOL_OPERATION:
        assert response.status_code == 400  # the empty body, refused field by field
    elif (operation.method, operation.path) in EVERYONE_OPERATIONS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_api_without_token_is_401(operation, ours):
    from tests.conftest import ApiClient

    response = _api_call(ApiClient(), operation, ours.api_url(operation))
    assert response.status_code == 401


# --- Protected identity ------------------------------------------------------

PROTECTED_PAGES = [
    page for page in PAGES_WITH_OBJECTS if PAGE_OBJECT[page.name] in PERSONAL_OBJECTS
]


@pytest.mark.parametrize("page", PROTECTED_PAGES, ids=str)
def test_protected_youth_is_not_found_by_another_coordinator(
    page, protected, ours, other_coordinator
):
    client = logged_in_client(other_coordinator)
    response = _page_get_or_post(client, protected.page_url(page))
    if response.status_code == 403:
        # A page a coordinator may not open at all (the manager's) says so for anyone.
        assert _page_get_or_post(client, ours.page_url(page)).status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("operation", OPERATIONS_WITH_OBJECTS, ids=str)
def test_protected_youth_is_not_found_by_another_coordinator_in_the_api(
    operation, protected, other_coordinator
):
    client = api_client_for(other_coordinator)
    response = _api_call(client, operation, protected.api_url(operation))
    if operation.method == "get":
        assert response.status_code == 404, response.content
        return
    unknown = _api_call(client, operation, re.sub(r"{\w+}", "999999999", operation.path))
    assert (response.status_code, response.json()) == (unknown.status_code, unknown.json())


@pytest.mark.parametrize("page", PAGES_WITHOUT_OBJECTS, ids=str)
def test_protected_youth_is_not_listed_for_another_coordinator(page, protected, other_coordinator):
    response = logged_in_client(other_coordinator).get(protected.page_url(page), follow=True)
    assert response.status_code != 500
    text = _text_of(response)
    assert [trace for trace in _traces(protected)[:2] if trace in text] == []


@pytest.mark.parametrize("operation", LIST_OPERATIONS, ids=str)
def test_protected_youth_is_not_listed_in_the_api_for_another_coordinator(
    operation, protected, other_coordinator
):
    response = _api_call(api_client_for(other_coordinator), operation, operation.path)
    assert response.status_code in {200, 403}, response.content
    text = _text_of(response)
    assert [trace for trace in _traces(protected)[:2] if trace in text] == []
    assert f'"enrolment": {protected.pk("enrolment")}' not in text


def test_assigned_coordinator_sees_the_address(protected, coordinator):
    """The check below can fail: the address is in the data and shown to the assigned."""
    response = logged_in_client(coordinator).get(protected.page_url(_page("registry:youth_detail")))
    assert _leaks_address(_text_of(response)) == [STREET, POSTAL_CODE, CITY]


def _page(name: str) -> Page:
    return next(page for page in PAGES if page.name == name)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_manager_never_sees_a_protected_address_on_a_page(page, protected, manager):
    response = logged_in_client(manager).get(protected.page_url(page), follow=True)
    assert response.status_code != 500
    assert _leaks_address(_text_of(response)) == []


@pytest.mark.parametrize(
    "operation",
    [op for op in OPERATIONS if op.method == "get" and (op.method, op.path) != REGIONAL_OPERATION],
    ids=str,
)
def test_manager_never_sees_a_protected_address_in_the_api(operation, protected, manager):
    response = _api_call(api_client_for(manager), operation, protected.api_url(operation))
    assert response.status_code == 200, response.content
    assert response.status_code != 500
    assert _leaks_address(_text_of(response)) == []


# --- The access log ----------------------------------------------------------

# Reads of one young person's record beyond the pages named by their ids: the
# letters printed for them and the SCB file holding them.
LOGGED_READS_OF_OTHER_OBJECTS = {"casework:letters_batch_pdf", "reports:scb_download"}
# Pages that name the young person only in their heading (a form to fill in, the
# choice of letter before the PDF, the manager's access log itself): not a read
# of the record. The letter PDF is checked below.
NOT_A_READ_OF_THE_RECORD = {
    "registry:enrolment_create",
    "registry:enrolment_end",
    "registry:occupation_create",
    "registry:access_log_youth",
    "casework:letter_pdf",
}
LOGGED_PAGES = [
    page
    for page in PAGES_WITH_OBJECTS
    if (PAGE_OBJECT[page.name] in PERSONAL_OBJECTS or page.name in LOGGED_READS_OF_OTHER_OBJECTS)
    and page.name not in NOT_A_READ_OF_THE_RECORD
    and page.name not in MOVE_PAGES
]
LOGGED_OPERATIONS = [op for op in OPERATIONS_WITH_OBJECTS if op.method == "get"]


@pytest.mark.parametrize("page", sorted(MOVE_PAGES), ids=str)
def test_every_read_of_an_incoming_move_is_logged(page, ours, coordinator):
    response = logged_in_client(coordinator).get(ours.page_url(_page(page)))
    assert response.status_code == 200
    assert MoveNotificationRead.objects.filter(
        notification=ours.objects["move"], user=coordinator
    ).exists()


def test_the_move_list_read_is_logged(ours, coordinator):
    assert api_client_for(coordinator).get("/api/v1/moves/").status_code == 200
    assert MoveNotificationRead.objects.filter(
        notification=ours.objects["move"], user=coordinator
    ).exists()


def _reads_logged(case_set: CaseSet, user: User) -> int:
    return AccessLog.objects.filter(youth=case_set.objects["youth"], user=user).count()


@pytest.mark.parametrize("page", LOGGED_PAGES, ids=str)
def test_every_page_read_of_a_young_persons_record_is_logged(page, ours, coordinator, manager):
    user = manager if page.name == "reports:scb_download" else coordinator
    response = logged_in_client(user).get(ours.page_url(page))
    if response.status_code == 405:
        return  # a POST-only page shows nothing: there is no read to log
    if response.status_code == 302:
        response = logged_in_client(user).get(response["Location"])
    assert response.status_code == 200
    assert _reads_logged(ours, user) >= 1


@pytest.mark.parametrize("operation", LOGGED_OPERATIONS, ids=str)
def test_every_api_read_of_a_young_persons_record_is_logged(operation, ours, coordinator):
    response = api_client_for(coordinator).get(ours.api_url(operation))
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        youth=ours.objects["youth"], user=coordinator, action=AccessLog.Action.API_READ
    ).exists()


def test_a_printed_letter_is_logged(ours, coordinator):
    url = ours.page_url(_page("casework:letter_pdf"))
    response = logged_in_client(coordinator).get(url, {"kind": "first_letter"})
    assert response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(
        youth=ours.objects["youth"], user=coordinator, action=AccessLog.Action.PRINT
    ).exists()


# --- Writes with a well-formed body ------------------------------------------

# A body each write would accept for an object of one's own (the empty body above
# is refused before any lookup, so these reach the lookup itself).
WRITE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/v1/youths/{youth_id}/"): {"first_name": "Ändrad"},
    ("post", "/api/v1/enrolments/{enrolment_id}/end/"): {
        "ended_on": "2026-10-01",
        "reason": "moved_away",
    },
    ("post", "/api/v1/enrolments/{enrolment_id}/occupations/"): {
        "from_date": "2026-10-01",
        "kind": "work",
    },
    ("post", "/api/v1/enrolments/{enrolment_id}/contacts/"): {
        "date": "2026-09-10",
        "channel": "phone",
        "party": "youth",
        "outcome": "reached",
    },
    ("put", "/api/v1/enrolments/{enrolment_id}/plan/"): {"goal": "Ändrat", "version": 1},
    ("post", "/api/v1/enrolments/{enrolment_id}/plan/measures/"): {"description": "Ny"},
    ("patch", "/api/v1/measures/{measure_id}/"): {"description": "Ändrad", "version": 1},
    ("put", "/api/v1/enrolments/{enrolment_id}/mapping/"): {"situation": "Ändrad", "version": 1},
    ("post", "/api/v1/moves/{move_id}/register/"): {"registered_on": "2026-10-01"},
    ("post", "/api/v1/moves/{move_id}/dismiss/"): {"reason": "Flyttade vidare."},
}
WRITE_OPERATIONS = [op for op in OPERATIONS_WITH_OBJECTS if op.method != "get"]


def test_every_write_operation_has_a_body():
    assert {(op.method, op.path) for op in WRITE_OPERATIONS} == set(WRITE_BODIES)


def _history_count(case_set: CaseSet) -> int:
    from casework.models import Mapping, Measure, Plan
    from registry.models import Enrolment, Youth

    enrolment = case_set.objects["enrolment"]
    return (
        Youth.history.filter(id=case_set.objects["youth"].pk).count()
        + Enrolment.history.filter(id=enrolment.pk).count()
        + Occupation.history.filter(enrolment_id=enrolment.pk).count()
        + ContactAttempt.history.filter(enrolment_id=enrolment.pk).count()
        + Plan.history.filter(enrolment_id=enrolment.pk).count()
        + Mapping.history.filter(enrolment_id=enrolment.pk).count()
        + Measure.history.filter(plan__enrolment_id=enrolment.pk).count()
    )


def _history_models() -> list:
    return [model for model in apps.get_models() if hasattr(model, "history_user")]


def _latest_history_ids() -> dict:
    return {
        model: model.objects.aggregate(latest=Max("history_id"))["latest"] or 0
        for model in _history_models()
    }


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_own_write_succeeds_and_its_history_names_the_user(operation, ours, coordinator):
    """The bodies are right (the 404s below are the lookup's, not the body's), and
    every history row the write adds names the token's user (docs/architecture.md, "Inside an app")."""
    client = api_client_for(coordinator)
    body = WRITE_BODIES[(operation.method, operation.path)]
    before = _latest_history_ids()
    response = getattr(client, operation.method)(ours.api_url(operation), body)
    assert response.status_code in {200, 201}, response.content
    added = [
        (model.__name__, row.history_user_id)
        for model, latest in before.items()
        for row in model.objects.filter(history_id__gt=latest)
    ]
    assert added
    assert all(user_id == coordinator.pk for _name, user_id in added), added


@pytest.mark.parametrize("role", ["coordinator", "manager"])
@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_write_to_another_municipality_is_not_found_and_changes_nothing(
    operation, role, theirs, request
):
    client = api_client_for(_user(role, request))
    body = WRITE_BODIES[(operation.method, operation.path)]
    before = _history_count(theirs)
    response = getattr(client, operation.method)(theirs.api_url(operation), body)
    assert response.status_code == 404, response.content
    assert _history_count(theirs) == before


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_write_to_a_protected_youth_by_another_coordinator_is_not_found(
    operation, protected, other_coordinator
):
    client = api_client_for(other_coordinator)
    body = WRITE_BODIES[(operation.method, operation.path)]
    before = _history_count(protected)
    response = getattr(client, operation.method)(protected.api_url(operation), body)
    assert response.status_code == 404, response.content
    assert _history_count(protected) == before


def test_enrolment_for_another_municipalitys_youth_is_refused(ours, theirs, coordinator):
    youth = theirs.objects["youth"]
    before = youth.enrolments.count()
    response = api_client_for(coordinator).post(
        "/api/v1/enrolments/",
        {"youth": youth.pk, "registered_on": "2026-09-01", "source": "other"},
    )
    assert response.status_code == 404
    assert youth.enrolments.count() == before


@pytest.mark.parametrize("method", ["post", "patch"])
def test_measure_with_another_municipalitys_actor_is_refused(method, ours, theirs, coordinator):
    operation = (
        Operation("post", "/api/v1/enrolments/{enrolment_id}/plan/measures/")
        if method == "post"
        else Operation("patch", "/api/v1/measures/{measure_id}/")
    )
    client = api_client_for(coordinator)
    body = {**WRITE_BODIES[(operation.method, operation.path)], "responsible": "other_actor"}
    own = getattr(client, method)(ours.api_url(operation), {**body, "actor": ours.pk("actor")})
    assert own.status_code in {200, 201}, own.content  # the same body with our actor is fine
    if method == "patch":
        body["version"] = own.json()["version"]
    response = getattr(client, method)(
        ours.api_url(operation), {**body, "actor": theirs.pk("actor")}
    )
    assert response.status_code == 400, response.content
    assert list(Measure.objects.filter(actor=theirs.objects["actor"])) == [
        theirs.objects["measure"]
    ]


def test_assigning_another_municipalitys_coordinator_is_refused(ours, theirs, manager):
    url = ours.page_url(_page("registry:enrolment_assign"))
    logged_in_client(manager).post(url, {"coordinator": theirs.coordinator.pk})
    ours.objects["enrolment"].refresh_from_db()
    assert ours.objects["enrolment"].coordinator_id == ours.coordinator.pk


@pytest.mark.parametrize("who", ["coordinator", "manager", "other_coordinator"])
def test_personnummer_search_finds_no_one_not_visible(who, ours, theirs, protected, request):
    client = api_client_for(request.getfixturevalue(who))
    found = {
        name: client.post(
            "/api/v1/youths/lookup/", {"personnummer": case_set.objects["youth"].personnummer}
        ).json()["count"]
        for name, case_set in (("ours", ours), ("theirs", theirs), ("protected", protected))
    }
    assigned_or_manager = who in {"coordinator", "manager"}
    assert found == {"ours": 1, "theirs": 0, "protected": 1 if assigned_or_manager else 0}


@pytest.mark.parametrize("kind", ["first_letter", "second_letter", "info_sheet", "followup_letter"])
def test_manager_never_sees_a_protected_address_in_a_letter(kind, protected, manager):
    url = protected.page_url(_page("casework:letter_pdf"))
    response = logged_in_client(manager).get(url, {"kind": kind})
    assert response["Content-Type"] == "application/pdf"
    assert _leaks_address(_text_of(response)) == []


def test_school_notification_history_names_the_school_user(municipality, school_user):
    before = _latest_history_ids()
    response = api_client_for(school_user).post(
        "/api/v1/school-notifications/",
        {
            "personnummer": synthetic(datetime.date(2009, 3, 14), 990),
            "first_name": "Elev",
            "last_name": "Slutadesson",
            "school": "Provgymnasiet",
            "left_on": "2026-09-01",
            "reason": "dropout_national_programme",
        },
    )
    assert response.status_code == 202, response.content
    added = [
        row.history_user_id
        for model, latest in before.items()
        for row in model.objects.filter(history_id__gt=latest)
    ]
    assert added
    assert set(added) == {school_user.pk}

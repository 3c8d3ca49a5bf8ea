"""Import of register files: preview of every problem, one transaction, cancel, command."""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from registry import import_jobs, importing
from registry.models import Enrolment, ImportBatch, ImportRow, Youth
from registry.personnummer import synthetic
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2009, 4, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


def row(n, **extra):
    return {
        "personnummer": synthetic(BIRTH, n),
        "first_name": f"Ny{n}",
        "last_name": "Importsson",
        "street": "Filvägen 1",
        "postal_code": "999 90",
        "city": "Demostad",
        "source": "dropout_national_programme",
        "registered_on": "2026-11-02",
        "school": "Provgymnasiet",
        **extra,
    }


@pytest.fixture
def mixed_rows(municipality):
    """Line numbers start at 2 (line 1 is the heading)."""
    enrolled = EnrolmentFactory(youth__municipality=municipality)
    returning = YouthFactory(municipality=municipality, birth_date=datetime.date(2008, 8, 8))
    look_alike = YouthFactory(
        municipality=municipality,
        birth_date=datetime.date(2009, 6, 6),
        personnummer=synthetic(datetime.date(2009, 6, 6), 0),
        first_name="Lika",
        last_name="Namnsson",
    )
    rows = [
        row(1),  # 2: valid, new
        row(2, personnummer="20090402-9999"),  # 3: bad check digit
        row(3, personnummer=synthetic(datetime.date(2005, 1, 1), 3)),  # 4: turned 20
        row(4, registered_on="2026-12-24"),  # 5: future date
        row(5),  # 6: valid, new
        row(6, personnummer=synthetic(BIRTH, 5)),  # 7: duplicate of line 6
        row(7, personnummer=enrolled.youth.personnummer),  # 8: already enrolled
        row(8, personnummer=returning.personnummer),  # 9: valid, existing youth enrolled again
        row(9, source="bored"),  # 10: unknown source
        row(
            10,
            personnummer=synthetic(datetime.date(2009, 6, 6), 1),
            first_name="Lika",
            last_name="Namnsson",
        ),  # 11: valid, but shown for review
        row(11, registered_on="2. nov"),  # 12: bad date
        row(12, first_name=""),  # 13: no first name
    ]
    return rows, {"enrolled": enrolled, "returning": returning, "look_alike": look_alike}


def upload(client, rows, name="register.csv", content=None):
    data = content if content is not None else importing.write_rows(rows)
    return client.post(reverse("registry:import_upload"), {"file": SimpleUploadedFile(name, data)})


def preview(client, rows):
    """Upload as the page does; the queued check runs once committed (eagerly, as without a broker)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = upload(client, rows)
    assert response.status_code == 302, response.content.decode()
    batch = ImportBatch.objects.latest("pk")
    assert batch.status != ImportBatch.Status.VALIDATING
    return batch


@pytest.fixture
def confirm(coordinator_client, django_capture_on_commit_callbacks):
    """Confirm as the page does; the queued task runs (eagerly, as without a broker)."""

    def run(batch):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator_client.post(reverse("registry:import_confirm", args=[batch.pk]))
        batch.refresh_from_db()
        return response

    return run


def problems_by_line(batch):
    return {r.line: " ".join(r.problems + r.warnings) for r in batch.rows.all()}


# --- Reading files ---


def test_reads_semicolon_csv_with_swedish_headings():
    content = (
        "Personnummer;Förnamn;Efternamn;Orsak;Inskriven\n200904029806;Ada;Bok;other;2026-11-02\n"
    )
    rows = importing.read_rows("fil.csv", content.encode("cp1252"))
    assert rows[0]["first_name"] == "Ada"
    assert rows[0]["registered_on"] == "2026-11-02"


def test_reads_xlsx_with_dates_and_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(importing.COLUMNS))
    sheet.append(
        [200904029806, "Ada", "Bok", "", "", "", "other", datetime.datetime(2026, 11, 2), ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = importing.read_rows("fil.xlsx", buffer.getvalue())
    assert rows == [
        {
            "personnummer": "200904029806",
            "first_name": "Ada",
            "last_name": "Bok",
            "street": "",
            "postal_code": "",
            "city": "",
            "source": "other",
            "registered_on": "2026-11-02",
            "school": "",
        }
    ]


def test_the_template_and_the_upload_page_name_the_columns_in_swedish(coordinator_client):
    template = coordinator_client.get(reverse("registry:import_template"))
    assert template.content.decode("utf-8").splitlines()[0] == (
        "personnummer;förnamn;efternamn;gatuadress;postnummer;postort;orsak;"
        "registreringsdatum;skola"
    )
    page = coordinator_client.get(reverse("registry:import_upload")).content.decode()
    assert "personnummer, förnamn, efternamn, gatuadress, postnummer, postort, orsak" in page
    assert "first_name" not in page


def test_the_template_file_reads_back_and_english_headings_still_do():
    swedish = importing.write_rows([{"personnummer": "200904029806", "first_name": "Ada"}])
    assert importing.read_rows("mall.csv", swedish)[0]["first_name"] == "Ada"
    english = b"personnummer;first_name;last_name;source;registered_on\n1;Bo;Ek;other;2026-11-02\n"
    assert importing.read_rows("fil.csv", english)[0]["last_name"] == "Ek"


def test_a_missing_column_is_named_in_swedish(coordinator_client):
    content = b"personnummer;first_name\n1;2\n"
    html = upload(coordinator_client, [], name="fil.csv", content=content).content.decode()
    assert "Kolumner saknas i filens första rad: efternamn, orsak, registreringsdatum." in html
    assert "last_name" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fil.pdf", b"x", "CSV- eller XLSX"),
        ("fil.csv", b"", "tom"),
        ("fil.csv", b"personnummer;first_name\n1;2\n", "Kolumner saknas"),
        ("fil.xlsx", b"not a zip", "XLSX-filen kunde inte"),
    ],
)
def test_unreadable_files_are_refused_on_the_page(coordinator_client, name, content, message):
    response = upload(coordinator_client, [], name=name, content=content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


# --- Preview ---


def test_mixed_file_previews_each_error(coordinator_client, mixed_rows):
    rows, _people = mixed_rows
    batch = preview(coordinator_client, rows)
    found = problems_by_line(batch)
    assert found[2] == ""
    assert "Kontrollsiffran" in found[3]
    assert "Inte behörig" in found[4] and "fyllde 20" in found[4]
    assert "framtiden" in found[5]
    assert found[6] == ""
    assert "Dubblett i filen: samma personnummer som rad 6" in found[7]
    assert "Redan inskriven" in found[8]
    assert found[9] == ""
    assert "Okänd orsak" in found[10]
    assert "Att granska" in found[11] and "Lika Namnsson" in found[11]
    assert "ÅÅÅÅ-MM-DD" in found[12]
    assert "förnamn" in found[13]
    actions = dict(batch.rows.values_list("line", "action"))
    assert actions[2] == actions[6] == actions[11] == "create"
    assert actions[9] == "enrol_existing"
    page = coordinator_client.get(
        reverse("registry:import_batch", args=[batch.pk])
    ).content.decode()
    for line in (3, 4, 5, 7, 8, 10, 11, 12, 13):
        assert f'data-line="{line}"' in page
    assert "3 nya ungdomar" in page
    assert "1 befintliga" in page
    # Previewing wrote nothing to the register.
    assert Youth.objects.count() == 3
    assert Enrolment.objects.count() == 1


def test_preview_progresses_in_chunks(coordinator, municipality):
    content = importing.write_rows([row(n) for n in range(7)])
    batch = importing.import_batch_create(
        user=coordinator, municipality=municipality, filename="f.csv", content=content
    )
    batch = importing.import_batch_validate_step(batch=batch, chunk_size=3)
    assert (batch.validated_rows, batch.status, batch.progress_percent) == (3, "validating", 43)
    batch = importing.import_batch_validate_step(batch=batch, chunk_size=3)
    batch = importing.import_batch_validate_step(batch=batch, chunk_size=3)
    assert (batch.validated_rows, batch.status) == (7, "ready")


def test_duplicate_across_chunks_is_found(coordinator, municipality):
    content = importing.write_rows([row(1), row(2), row(3, personnummer=synthetic(BIRTH, 1))])
    batch = importing.import_batch_create(
        user=coordinator, municipality=municipality, filename="f.csv", content=content
    )
    while batch.status == "validating":
        batch = importing.import_batch_validate_step(batch=batch, chunk_size=1)
    assert "rad 2" in problems_by_line(batch)[4]


def test_the_page_polls_the_checks_progress_as_x_of_y(
    coordinator_client, coordinator, municipality, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 2)
    content = importing.write_rows([row(n) for n in range(5)])
    batch = importing.import_batch_create(
        user=coordinator, municipality=municipality, filename="f.csv", content=content
    )
    importing.import_batch_validate_step(batch=batch)  # the job has checked one chunk
    url = reverse("registry:import_batch", args=[batch.pk])

    page = coordinator_client.get(url).content.decode()
    assert "Granskar rader… 2 av 5." in page
    assert f'hx-get="{url}"' in page
    # Without JavaScript: a plain link reloads the page.
    assert f'<a href="{url}">Uppdatera sidan</a>' in page

    partial = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert "<progress" in partial.content.decode()
    assert "2 av 5" in partial.content.decode()
    assert "<html" not in partial.content.decode()

    import_jobs.import_batch_validate_job(batch_id=batch.pk)
    done = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == url
    assert "5 nya ungdomar skrivs in" in coordinator_client.get(url).content.decode()


def test_uploading_queues_the_check_and_the_preview_follows(coordinator_client, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 2)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = upload(coordinator_client, [row(n) for n in range(5)])
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.VALIDATING and batch.validated_rows == 0
    assert len(queued) == 1
    queued[0]()  # the task, run eagerly as without a broker
    batch.refresh_from_db()
    assert (batch.status, batch.validated_rows) == (ImportBatch.Status.READY, 5)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "5 nya ungdomar skrivs in" in page


def test_a_check_that_breaks_says_so_in_swedish_and_keeps_no_rows(
    coordinator, municipality, coordinator_client, monkeypatch
):
    batch = importing.import_batch_create(
        user=coordinator,
        municipality=municipality,
        filename="f.csv",
        content=importing.write_rows([row(1)]),
    )

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(importing, "import_batch_validate_step", broken)
    assert import_jobs.import_batch_validate_job(batch_id=batch.pk) == "failed"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not ImportRow.objects.filter(batch=batch).exists()
    page = coordinator_client.get(reverse("registry:import_batch", args=[batch.pk]))
    assert "Granskningen av filen avbröts av ett fel. Ingenting skrevs in." in page.content.decode()
    assert "database gone" not in page.content.decode()


def test_the_writing_shows_x_of_y_from_the_rows_to_write(
    coordinator_client, coordinator, municipality, mixed_rows
):
    rows, _people = mixed_rows
    batch = preview(coordinator_client, rows)
    assert importing.import_batch_request_commit(batch=batch)
    cache.set(importing.commit_progress_key(batch.pk), 3)
    try:
        page = coordinator_client.get(reverse("registry:import_batch", args=[batch.pk]))
    finally:
        cache.delete(importing.commit_progress_key(batch.pk))
    # 3 new young people and 4 enrolments (one of an existing young person): 7 writes.
    assert "Skriver in… 3 av 7 klara." in page.content.decode()


# --- Confirm, cancel, failure ---


def test_confirm_writes_only_valid_rows(coordinator_client, coordinator, mixed_rows, confirm):
    rows, people = mixed_rows
    batch = preview(coordinator_client, rows)
    response = confirm(batch)
    assert response.status_code == 302
    assert batch.status == "done", batch.error_message
    assert (batch.created_youths, batch.created_enrolments) == (3, 4)
    created = set(Youth.objects.filter(last_name="Importsson").values_list("first_name", flat=True))
    assert created == {"Ny1", "Ny5"}
    assert Youth.objects.count() == 3 + 3
    assert people["returning"].enrolments.get().registered_on == datetime.date(2026, 11, 2)
    new = Youth.objects.get(first_name="Ny1")
    assert new.street == "Filvägen 1"
    assert new.enrolments.get().school == "Provgymnasiet"
    assert new.history.get().history_user == coordinator
    # The staged copy of the file is gone once the register holds the data.
    assert not ImportRow.objects.filter(batch=batch).exists()
    # A second confirmation changes nothing.
    confirm(batch)
    assert Enrolment.objects.count() == 1 + 4


def test_cancel_writes_nothing(coordinator_client, mixed_rows, confirm):
    rows, _people = mixed_rows
    batch = preview(coordinator_client, rows)
    response = coordinator_client.post(reverse("registry:import_cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    assert not ImportRow.objects.filter(batch=batch).exists()
    assert Youth.objects.count() == 3
    assert Enrolment.objects.count() == 1
    confirm(batch)
    assert Youth.objects.count() == 3


def test_a_failure_mid_way_writes_nothing(coordinator_client, coordinator, mixed_rows, confirm):
    rows, people = mixed_rows
    batch = preview(coordinator_client, rows)
    # Between preview and confirmation someone enrols the returning young person (line 9),
    # after lines 2 and 6 would already have been written.
    EnrolmentFactory(youth=people["returning"], registered_on=datetime.date(2026, 11, 10))
    confirm(batch)
    assert batch.status == "failed"
    assert "Rad 9" in batch.error_message
    assert "Ingenting skrevs in" in batch.error_message
    assert not Youth.objects.filter(last_name="Importsson").exists()
    assert Enrolment.objects.count() == 2
    page = coordinator_client.get(
        reverse("registry:import_batch", args=[batch.pk])
    ).content.decode()
    assert "Ingenting skrevs in" in page


def test_another_municipality_cannot_see_the_batch(coordinator_client, other_municipality):
    from tests.conftest import logged_in_client
    from tests.factories import UserFactory

    batch = preview(coordinator_client, [row(1)])
    stranger = logged_in_client(UserFactory(username="annan", municipality=other_municipality))
    assert stranger.get(reverse("registry:import_batch", args=[batch.pk])).status_code == 404
    assert stranger.post(reverse("registry:import_confirm", args=[batch.pk])).status_code == 404


# --- The management command ---


def test_command_dry_run_writes_nothing(tmp_path, coordinator, municipality, mixed_rows):
    rows, _people = mixed_rows
    path = tmp_path / "register.csv"
    path.write_bytes(importing.write_rows(rows))
    out = io.StringIO()
    call_command(
        "import_register",
        str(path),
        municipality="0999",
        user="koordinator",
        dry_run=True,
        stdout=out,
    )
    text = out.getvalue()
    assert "Rad 3: Personnummer" in text
    assert "Rad 7: Dubblett" in text
    assert "3 nya ungdomar" in text
    assert "ingenting skrevs in" in text
    assert Youth.objects.count() == 3


def test_command_imports(tmp_path, coordinator, municipality, mixed_rows):
    rows, _people = mixed_rows
    path = tmp_path / "register.csv"
    path.write_bytes(importing.write_rows(rows))
    out = io.StringIO()
    call_command("import_register", str(path), municipality="0999", user="koordinator", stdout=out)
    assert "Klart: 3 nya ungdomar och 4 inskrivningar" in out.getvalue()
    assert Youth.objects.count() == 6


def test_command_refuses_a_user_of_another_municipality(tmp_path, coordinator, other_municipality):
    path = tmp_path / "register.csv"
    path.write_bytes(importing.write_rows([row(1)]))
    with pytest.raises(CommandError, match="Ingen användare"):
        call_command("import_register", str(path), municipality="0998", user="koordinator")


def test_too_long_values_are_shown_in_the_preview(coordinator_client):
    batch = preview(coordinator_client, [row(1, school="x" * 201)])
    assert "Kolumnen skola får ha högst 200 tecken" in problems_by_line(batch)[2]


def test_a_database_failure_while_writing_writes_nothing(
    coordinator_client, mixed_rows, confirm, monkeypatch
):
    """The young people are inserted first; the enrolments' insert then fails."""
    from django.db import DatabaseError

    real_bulk_create = importing.bulk_create_with_history

    def failing_for_enrolments(objs, model, **kwargs):
        if model is Enrolment:
            raise DatabaseError("disk full")
        return real_bulk_create(objs, model, **kwargs)

    rows, _people = mixed_rows
    batch = preview(coordinator_client, rows)
    monkeypatch.setattr(importing, "bulk_create_with_history", failing_for_enrolments)
    confirm(batch)
    assert batch.status == "failed"
    assert "disk full" in batch.error_message
    assert not Youth.objects.filter(last_name="Importsson").exists()
    assert Enrolment.objects.count() == 1


def test_stale_previews_are_purged(coordinator, municipality):
    content = importing.write_rows([row(1)])
    batch = importing.import_batch_create(
        user=coordinator, municipality=municipality, filename="f.csv", content=content
    )
    assert importing.import_batches_purge() == 0
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=8)
    assert importing.import_batches_purge(now=later) == 1
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    assert not ImportRow.objects.filter(batch=batch).exists()


def test_another_coordinators_batch_is_hidden_but_the_manager_sees_it(
    coordinator_client, other_coordinator, manager_client
):
    """The staged rows are a copy of the uploader's file: other coordinators never see them."""
    from tests.conftest import logged_in_client

    batch = preview(coordinator_client, [row(1)])
    colleague = logged_in_client(other_coordinator)
    page = reverse("registry:import_batch", args=[batch.pk])
    assert colleague.get(page).status_code == 404
    assert colleague.post(reverse("registry:import_cancel", args=[batch.pk])).status_code == 404
    assert "register.csv" not in colleague.get(reverse("registry:import_upload")).content.decode()
    assert manager_client.get(page).status_code == 200


def test_problem_rows_mask_a_valid_personnummer_and_show_an_invalid_one(coordinator_client):
    """Lists show personnummer masked; only a number that failed the check is shown as typed."""
    duplicate = synthetic(BIRTH, 1)
    batch = preview(
        coordinator_client, [row(1), row(2, personnummer=duplicate), row(3, personnummer="123")]
    )
    page = coordinator_client.get(
        reverse("registry:import_batch", args=[batch.pk])
    ).content.decode()
    assert 'data-line="3"' in page and "Dubblett" in page
    assert duplicate not in page
    assert f"{duplicate[:8]}-XXXX" in page
    assert "<td>123</td>" in page


def test_a_protected_look_alike_is_not_revealed_to_another_coordinator(
    coordinator_client, municipality, other_coordinator
):
    birth = datetime.date(2009, 6, 6)
    hidden = YouthFactory(
        municipality=municipality,
        birth_date=birth,
        personnummer=synthetic(birth, 0),
        first_name="Lika",
        last_name="Namnsson",
        protected_identity=True,
    )
    EnrolmentFactory(
        youth=hidden,
        coordinator=other_coordinator,
        ended_on=datetime.date(2026, 10, 1),
        end_reason="moved_away",
    )
    look_alike = row(1, personnummer=synthetic(birth, 1), first_name="Lika", last_name="Namnsson")
    batch = preview(coordinator_client, [look_alike])
    assert problems_by_line(batch)[2] == ""
    from tests.conftest import logged_in_client

    batch = preview(logged_in_client(other_coordinator), [look_alike])
    assert "Att granska" in problems_by_line(batch)[2]

"""The board report: suppression, the analysis with history, background generation, the PDF."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
import time_machine

from casework.models import Channel, Outcome
from reports.board_report import public_occupation_rows, public_row, public_rows
from reports.key_figures import KeyFigures, Period, PeriodFigures
from reports.models import BoardAnalysis, BoardReport, PopulationFigure, Target
from reports.suppression import suppress_count, suppress_derived, suppress_partition
from tests.factories import UserFactory

from .factories import attempt, enrolment

D = datetime.date
PERIOD = {"from_date": "2026-09-01", "to_date": "2026-10-31"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        yield


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (123, 123), (None, "–")]
)
def test_only_counts_of_1_to_4_are_shown_as_less_than_5(count, shown):
    # 0 points at nobody: "<5" for an empty month would read as if someone were there.
    assert suppress_count(count) == shown


@pytest.mark.parametrize(
    ("value", "base", "shown"), [(50.0, 4, "–"), (50.0, 5, 50.0), (None, 10, "–"), (3.5, None, "–")]
)
def test_a_share_of_fewer_than_5_is_not_shown(value, base, shown):
    assert suppress_derived(value, base=base) == shown


@pytest.mark.parametrize(
    ("counts", "total", "shown"),
    [
        # One hidden count would be the total minus the others: the smallest other hides too.
        ((6, 3, 5), 14, [6, "<5", "–"]),
        ((3, 9, 7), 19, ["<5", 9, "–"]),
        # Two hidden counts adding up to 5 cannot be told apart.
        ((6, 3, 2), 11, [6, "<5", "<5"]),
        # Two hidden counts adding up to 8 can only be 4 and 4.
        ((6, 4, 4), 14, ["–", "<5", "<5"]),
        # Zeros are shown: they point at nobody.
        ((10, 0, 0), 10, [10, 0, 0]),
        ((7, 0, 5), 12, [7, 0, 5]),
        # One hidden count beside a shown 0: the smallest count above 0 hides, not the 0.
        ((6, 3, 0, 9), 18, ["–", "<5", 0, 9]),
        ((9, 8), 17, [9, 8]),
        ((6, 3, 5), None, [6, "<5", 5]),
    ],
)
def test_counts_adding_up_to_a_shown_total_cannot_be_subtracted(counts, total, shown):
    assert suppress_partition(counts, total=total) == shown


def test_occupation_breakdown_adding_up_to_active_is_suppressed_together():
    period = Period(D(2026, 9, 1), D(2026, 10, 31))
    figures = KeyFigures(
        current=PeriodFigures(
            period, period.end, {"active": 20}, {"work": 12, "no_occupation": 6, "unknown": 2}
        ),
        previous=PeriodFigures(
            period.previous(), period.previous().end, {"active": 15}, {"work": 8, "unknown": 7}
        ),
    )
    rows = {row.code: row for row in public_occupation_rows(figures, {})}
    # 20 - 12 - 6 would give the hidden 2 away: the 6 is not shown either.
    assert (rows["unknown"].current, rows["no_occupation"].current, rows["work"].current) == (
        "<5",
        "–",
        12,
    )
    # Before: no_occupation 0 is shown as 0; 15 - 8 - 7 = 0 points at nobody.
    assert (rows["no_occupation"].previous, rows["work"].previous) == (0, 8)
    assert (rows["no_occupation"].change, rows["unknown"].change, rows["work"].change) == (
        "–",
        "–",
        4,
    )


def _figures(current: dict, previous: dict) -> KeyFigures:
    period = Period(D(2026, 9, 1), D(2026, 10, 31))
    return KeyFigures(
        current=PeriodFigures(period, period.end, current, {}),
        previous=PeriodFigures(period.previous(), period.previous().end, previous, {}),
    )


def test_a_change_next_to_a_hidden_count_is_hidden_too():
    figures = _figures({"active": 7, "new_registrations": 9}, {"active": 3, "new_registrations": 6})
    active = public_row(figures, "active")
    # 7 - 3 = +4 would give the hidden 3 away.
    assert (active.current, active.previous, active.change, active.change_percent) == (
        7,
        "<5",
        "–",
        "–",
    )
    registrations = public_row(figures, "new_registrations")
    assert (registrations.change, registrations.change_percent) == (3, 50.0)


def test_a_share_is_hidden_when_its_numerator_is_under_5():
    figures = _figures(
        {"judged_4_weeks": 9, "reached_within_4_weeks": 3, "reached_within_4_weeks_share": 33.3},
        {"judged_4_weeks": 8, "reached_within_4_weeks": 6, "reached_within_4_weeks_share": 75.0},
    )
    assert public_row(figures, "reached_within_4_weeks_share").current == "–"


def test_a_median_of_fewer_than_5_is_hidden():
    period = Period(D(2026, 9, 1), D(2026, 10, 31))
    values = {"new_registrations": 9, "median_days_to_contact": 12.0}
    figures = KeyFigures(
        current=PeriodFigures(period, period.end, values, {}, {"median_days_to_contact": 4}),
        previous=PeriodFigures(period.previous(), period.previous().end, values, {}, {}),
    )
    assert public_row(figures, "median_days_to_contact").current == "–"
    assert public_row(figures, "median_days_to_contact").previous == 12.0


def test_a_share_is_hidden_when_its_base_is_under_5():
    figures = _figures(
        {"judged_4_weeks": 4, "reached_within_4_weeks": 2, "reached_within_4_weeks_share": 50.0},
        {"judged_4_weeks": 8, "reached_within_4_weeks": 6, "reached_within_4_weeks_share": 75.0},
    )
    row = public_row(figures, "reached_within_4_weeks_share")
    assert (row.current, row.previous, row.change) == ("–", 75.0, "–")
    assert "judged_4_weeks" not in [row.code for row in public_rows(figures)]


@pytest.fixture
def six_registrations(municipality, other_municipality):
    # Ten registered 09-01..09-10, six reached five days later; none the period before.
    cases = []
    for day in range(1, 11):
        case = enrolment(
            municipality, D(2026, 9, day), first_name=f"Hemliga{day}", last_name="Personsson"
        )
        if day <= 6:
            attempt(case, D(2026, 9, day + 5), Outcome.REACHED, Channel.PHONE)
        cases.append(case)
    enrolment(other_municipality, D(2026, 9, 2), first_name="Grannbarn", last_name="Okänd")
    PopulationFigure.objects.create(municipality=municipality, as_of=D(2026, 1, 1), count=1234)
    Target.objects.create(
        municipality=municipality, school_year=2026, figure="reached_within_4_weeks_share", value=90
    )
    return cases


@pytest.mark.django_db
class TestAnalysis:
    def test_manager_saves_analysis_with_history(self, manager_client, manager):
        for text in ("Första versionen.", "Andra versionen."):
            response = manager_client.post(
                "/rapporter/analys/",
                PERIOD | {"analysis": text, "planned_actions": "Fler hembesök."},
            )
            assert response.status_code == 302
        analysis = BoardAnalysis.objects.get()
        assert analysis.analysis == "Andra versionen."
        assert analysis.updated_by == manager
        assert [h.analysis for h in analysis.history.order_by("history_date")] == [
            "Första versionen.",
            "Andra versionen.",
        ]
        assert {h.history_user for h in analysis.history.all()} == {manager}
        page = manager_client.get("/rapporter/", PERIOD)
        assert "Andra versionen." in page.content.decode()

    def test_board_secretary_reads_but_cannot_write_the_analysis(self, board_secretary_client):
        response = board_secretary_client.post(
            "/rapporter/analys/", PERIOD | {"analysis": "x", "planned_actions": ""}
        )
        assert response.status_code == 403
        assert board_secretary_client.get("/rapporter/", PERIOD).status_code == 200

    def test_coordinator_has_no_reports(self, coordinator_client):
        assert coordinator_client.get("/rapporter/").status_code == 403


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _pdf_pages(content: bytes) -> list[str]:
    """Each page's text with its whitespace made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.mark.django_db
class TestBoardReportPdf:
    def test_secretary_generates_and_downloads_a_pdf_without_personal_data(
        self,
        board_secretary_client,
        board_secretary,
        manager,
        municipality,
        six_registrations,
        django_capture_on_commit_callbacks,
    ):
        BoardAnalysis.objects.create(
            municipality=municipality,
            period_from=D(2026, 9, 1),
            period_to=D(2026, 10, 31),
            analysis="Kontakten tar för lång tid under hösten.",
            planned_actions="Två extra hembesöksdagar i september.",
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = board_secretary_client.post("/rapporter/namndrapport/", PERIOD)
        assert response.status_code == 302
        report = BoardReport.objects.get()
        assert (report.status, report.progress) == ("done", 100)
        assert report.created_by == board_secretary and report.finished_at

        download = board_secretary_client.get(f"/rapporter/namndrapport/{report.pk}/pdf/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        text = _pdf_text(download.content)
        flat = " ".join(text.split())
        assert "Provkommunen" in flat
        # The cover: the period, the periods compared with and the headline results.
        cover = _pdf_pages(download.content)[0]
        assert "Period: 1 september 2026 – 31 oktober 2026" in cover
        assert "1 september 2025 – 31 oktober 2025 (samma period ett år tidigare)" in cover
        assert "Nya inskrivningar 10 Föregående period: 0, samma period i fjol: 0" in cover
        assert "Andel kontakt inom 4 veckor (%) 60,0 %" in cover
        # Ten new registrations against none before and none a year earlier: 0 is shown as 0.
        assert "Nya inskrivningar 10 0 +10 0 +10" in flat
        # Four not reached (<5): the changes would give them away.
        assert "Ej fått kontakt <5 0 – 0 –" in flat
        assert "Kontakt etablerad inom 4 veckor 6 0 +6 0 +6" in flat
        assert "Andel kontakt inom 4 veckor (%) 60,0 – – – –" in flat
        # Nobody in activity: 0, and so 0 % of ten (a shown 0 points at nobody).
        assert "I aktivitet 0 0 0 0 0" in flat
        assert "Andel i aktivitet (%) 0,0 – – – –" in flat
        assert "Befolkning 16–19 år 1234 1234 0 – –" in flat
        assert "Okänd 10 0 +10 0 +10" in flat
        # Compliance of the ten: six reached in five days meet contact; four without an
        # attempt do not (<5), and as 10 - 0 would give the four away, the six is hidden.
        assert "Kontakt – 0 <5" in flat
        assert "Kartläggning 0 0 10" in flat
        assert "Bedömda inskrivningar: 10." in flat
        # ... and as shares of the ten rated.
        assert "Kartläggning 0,0 0,0 100,0" in flat
        # The share chart marks the board's target in words, not by colour alone.
        assert "Mål 90 %" in flat
        assert "Kontakten tar för lång tid under hösten." in text
        assert "Två extra hembesöksdagar i september." in text
        assert "Kontakt inom 4 veckor (%) 90,0 % 60,0 Ej uppnått" in flat
        for case in six_registrations:
            youth = case.youth
            assert youth.first_name not in text
            assert youth.personnummer not in text
            assert youth.formatted_personnummer not in text
            assert youth.personnummer[:8] not in text
        assert "Hemliga" not in text and "Personsson" not in text and "Grannbarn" not in text

    def test_status_row_polls_until_done(self, manager_client, manager, municipality):
        report = BoardReport.objects.create(
            municipality=municipality,
            period_from=D(2026, 9, 1),
            period_to=D(2026, 10, 31),
            created_by=manager,
            progress=60,
            status="running",
        )
        row = manager_client.get(f"/rapporter/namndrapport/{report.pk}/status/").content.decode()
        assert 'hx-trigger="every 2s"' in row and 'value="60"' in row
        BoardReport.objects.filter(pk=report.pk).update(status="done", progress=100, pdf=b"%PDF")
        row = manager_client.get(f"/rapporter/namndrapport/{report.pk}/status/").content.decode()
        assert "hx-trigger" not in row and "Ladda ner PDF" in row

    def test_another_municipalitys_report_is_not_found(self, manager_client, other_municipality):
        stranger = UserFactory(role="manager", municipality=other_municipality)
        report = BoardReport.objects.create(
            municipality=other_municipality,
            period_from=D(2026, 9, 1),
            period_to=D(2026, 10, 31),
            created_by=stranger,
            status="done",
            pdf=b"%PDF",
        )
        assert manager_client.get(f"/rapporter/namndrapport/{report.pk}/pdf/").status_code == 404
        assert manager_client.get(f"/rapporter/namndrapport/{report.pk}/status/").status_code == 404


@pytest.mark.django_db
def test_building_twice_changes_nothing(manager, municipality, six_registrations):
    from reports.board_report_build import board_report_build

    report = BoardReport.objects.create(
        municipality=municipality,
        period_from=D(2026, 9, 1),
        period_to=D(2026, 10, 31),
        created_by=manager,
    )
    assert board_report_build(report_id=report.pk) == "built"
    first_pdf = bytes(BoardReport.objects.get(pk=report.pk).pdf)
    assert first_pdf.startswith(b"%PDF")
    assert board_report_build(report_id=report.pk) == "already built"
    assert bytes(BoardReport.objects.get(pk=report.pk).pdf) == first_pdf


def test_each_chart_is_kept_with_its_table_in_the_pdf(manager, municipality, six_registrations):
    from reports.pdf import render_board_report_html
    from reports.selectors.board import board_report_content

    html = render_board_report_html(
        board_report_content(manager, Period(D(2026, 9, 1), D(2026, 10, 31)), today=D(2026, 11, 24))
    )
    assert "break-inside: avoid" in html
    sections = html.split('<section class="keep">')[1:]
    occupation = next(s for s in sections if "Sysselsättning vid periodens slut" in s)
    compliance = next(s for s in sections if "Rutinefterlevnad" in s)
    for section in (occupation, compliance):
        body = section.split("</section>")[0]
        assert "<table" in body and "<svg" in body


@pytest.mark.parametrize(
    ("period", "year_earlier"),
    [
        (Period(D(2026, 1, 1), D(2026, 6, 30)), Period(D(2025, 1, 1), D(2025, 6, 30))),
        (Period(D(2024, 2, 1), D(2024, 2, 29)), Period(D(2023, 2, 1), D(2023, 2, 28))),
        (Period(D(2024, 2, 10), D(2024, 2, 29)), Period(D(2023, 2, 10), D(2023, 2, 28))),
    ],
)
def test_the_same_period_a_year_earlier(period, year_earlier):
    assert period.year_earlier() == year_earlier


@pytest.mark.django_db
def test_secretary_sees_the_reports_figures_on_screen_before_downloading(
    board_secretary_client, six_registrations
):
    html = board_secretary_client.get("/rapporter/", PERIOD).content.decode()
    # The key figures as the PDF shows them, with both comparisons.
    assert (
        '<tr data-figure="new_registrations"><th scope="row">Nya inskrivningar</th>'
        '<td class="number">10</td><td class="number">0</td><td class="number">+10</td>'
        '<td class="number">0</td><td class="number">+10</td></tr>'
    ) in html
    assert '<tr data-figure="not_reached"><th scope="row">Ej fått kontakt</th>' in html
    assert "<strong>60,0 %</strong>" in html
    # Charts with their target in words, and the trend over four periods.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 5
    assert "Mål 90 %" in html
    assert "Utveckling över fyra perioder" in html
    # Compliance as shares of the ten rated.
    assert "Andel av 10 bedömda inskrivningar" in html
    assert (
        '<th scope="row">Kartläggning</th><td class="number">0,0</td>'
        '<td class="number">0,0</td><td class="number">100,0</td>'
    ) in html
    # No young person appears.
    assert "Hemliga" not in html and "Personsson" not in html

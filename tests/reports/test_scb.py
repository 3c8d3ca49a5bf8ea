"""The SCB half-year export: variables, pre-checks on constructed inconsistencies, the diff."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import Channel, Measure, Outcome, Plan
from registry.models import AccessLog, EndReason, OccupationKind, Source
from registry.models.youth import OCCUPATION_SCB_CATEGORY
from reports import services
from reports.models import ScbExport
from reports.scb import (
    HalfYear,
    LayoutError,
    MeasureFact,
    ScbFacts,
    build_file,
    check,
    diff_files,
    layout_path,
    load_layout,
    parse_layout,
    variables,
)
from reports.selectors.scb import scb_facts, scb_preview

from .factories import attempt, enrolment, occupation

D = datetime.date
H2 = HalfYear(2026, 2)
WORK = ((D(2026, 9, 1), "work"),)


def facts(**fields) -> ScbFacts:
    base = {
        "youth_id": 1,
        "enrolment_id": 1,
        "personnummer": "200805179801",
        "birth_date": D(2008, 5, 17),
        "is_im_student": False,
        "registered_on": D(2026, 9, 1),
        "source": Source.DROPOUT_NATIONAL_PROGRAMME,
    }
    return ScbFacts(**(base | fields))


class TestHalfYear:
    def test_bounds_and_codes(self):
        assert (H2.start, H2.end) == (D(2026, 7, 1), D(2026, 12, 31))
        assert (HalfYear(2026, 1).start, HalfYear(2026, 1).end) == (D(2026, 1, 1), D(2026, 6, 30))
        assert HalfYear.parse("2026-2") == H2
        assert HalfYear.containing(D(2026, 6, 30)) == HalfYear(2026, 1)
        assert H2.previous() == HalfYear(2026, 1)
        with pytest.raises(ValueError):
            HalfYear.parse("2026-3")


class TestVariables:
    def test_every_variable_from_the_facts(self):
        values = variables(
            facts(
                occupations=((D(2026, 8, 20), "none"), (D(2026, 10, 2), "work")),
                measures=(
                    MeasureFact("guidance", D(2026, 9, 15), D(2026, 9, 30)),
                    MeasureFact("internship", D(2026, 10, 1), None),
                ),
                declined_on=(D(2026, 9, 10),),
                contacts_on=(D(2026, 9, 10), D(2026, 11, 5)),
                ended_on=D(2026, 12, 1),
                end_reason=EndReason.STARTED_UPPER_SECONDARY,
            ),
            H2,
            municipality_code="0999",
            category_of=OCCUPATION_SCB_CATEGORY,
        )
        assert values == {
            "municipality_code": "0999",
            "personnummer": "200805179801",
            "registered_on": D(2026, 9, 1),
            "registration_reason": "dropout_national_programme",
            "occupation_at_registration": "no_occupation",
            "first_measure": "guidance",
            "first_measure_start": D(2026, 9, 15),
            "declined": "yes",
            # The day after the first measure ended (10-01) the occupation was still none.
            "occupation_after_measure": "no_occupation",
            "occupation_latest_contact": "work",
            "deregistered_on": D(2026, 12, 1),
            "deregistration_reason": "started_upper_secondary",
        }

    def test_without_occupation_measure_or_contact(self):
        values = variables(
            facts(), H2, municipality_code="0999", category_of=OCCUPATION_SCB_CATEGORY
        )
        assert values["occupation_at_registration"] == "unknown"
        assert values["occupation_latest_contact"] == "unknown"
        assert values["first_measure"] == values["occupation_after_measure"] == ""
        assert values["declined"] == "no"
        assert values["deregistered_on"] is None


class TestPreChecks:
    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            (
                {"ended_on": D(2026, 10, 1), "end_reason": "", "occupations": WORK},
                "end_reason_missing",
            ),
            (
                {
                    "ended_on": D(2026, 10, 1),
                    "end_reason": "other",
                    "end_reason_text": " ",
                    "occupations": WORK,
                },
                "end_reason_missing",
            ),
            (
                {
                    "ended_on": D(2026, 10, 1),
                    "end_reason": "moved_away",
                    "occupations": ((D(2026, 9, 1), "unknown"),),
                },
                "occupation_unknown_at_end",
            ),
            ({"ended_on": D(2026, 10, 1), "end_reason": "moved_away"}, "occupation_unknown_at_end"),
            ({"is_im_student": True}, "im_student"),
            # Turns 16 on 2010-09-02: 15 on the registration day.
            ({"birth_date": D(2010, 9, 2)}, "age_outside"),
            ({"birth_date": D(2006, 8, 31)}, "age_outside"),
            # 19 at registration, 20 on 12-01 and still enrolled at the half-year's end.
            ({"birth_date": D(2006, 12, 1)}, "turned_20_active"),
            ({"source": ""}, "registration_reason_missing"),
            ({"measures": (MeasureFact("guidance", None, None),)}, "measure_start_missing"),
        ],
    )
    def test_each_inconsistency_is_found(self, fields, code):
        problems = check(facts(**fields), H2)
        assert [problem.code for problem in problems] == [code]
        assert problems[0].youth_id == 1 and problems[0].message

    def test_a_consistent_case_has_no_problem(self):
        ended = facts(
            ended_on=D(2026, 10, 1),
            end_reason="other",
            end_reason_text="Flyttat till släkt",
            occupations=((D(2026, 9, 1), "work"),),
            birth_date=D(2010, 9, 1),  # 16 on the registration day itself
        )
        assert check(ended, H2) == []

    def test_an_end_after_the_half_year_is_not_judged(self):
        assert check(facts(ended_on=D(2027, 1, 10), end_reason=""), H2) == []


class TestLayout:
    def test_the_shipped_layout_loads(self):
        layout = load_layout()
        assert layout.header[:2] == ["KOMMUN", "PERSONNUMMER"]
        assert layout.key == "PERSONNUMMER"

    def test_a_layout_kept_outside_the_code_is_used(self, tmp_path, settings):
        own = tmp_path / "scb.toml"
        own.write_text(
            'key = "PNR"\n[[columns]]\nname = "PNR"\nvariable = "personnummer"\n',
            encoding="utf-8",
        )
        settings.SCB_LAYOUT_PATH = str(own)
        assert load_layout().header == ["PNR"]

    @pytest.mark.parametrize(
        ("text", "message"),
        [(None, "finns inte"), ("columns = [", "går inte att läsa")],
    )
    def test_an_unreadable_layout_file_is_a_layout_error(self, tmp_path, text, message):
        path = tmp_path / "scb.toml"
        if text is not None:
            path.write_text(text, encoding="utf-8")
        with pytest.raises(LayoutError, match=message):
            load_layout(path)

    @pytest.mark.parametrize(
        "data",
        [
            {"columns": []},
            {"columns": [{"name": "X", "variable": "shoe_size"}]},
            {"columns": [{"name": "X", "variable": "source", "codes": "nope"}]},
            {"columns": [{"name": "X", "variable": "personnummer"}], "key": "Y"},
        ],
    )
    def test_a_broken_layout_is_refused_with_a_reason(self, data):
        with pytest.raises(LayoutError):
            parse_layout(data)

    def test_layout_changes_the_file_without_code(self):
        layout = parse_layout(
            {
                "delimiter": ",",
                "key": "PNR",
                "columns": [
                    {"name": "PNR", "variable": "personnummer"},
                    {"name": "ORSAK", "variable": "registration_reason", "codes": "reason"},
                ],
                "codes": {"reason": {"dropout_national_programme": "A", "_default": "Z"}},
            }
        )
        built = build_file(
            [facts(), facts(youth_id=2, personnummer="200805179802", source="moved_in")],
            H2,
            layout=layout,
            municipality_code="0999",
            category_of=OCCUPATION_SCB_CATEGORY,
        )
        assert built.content == "PNR,ORSAK\r\n200805179801,A\r\n200805179802,Z\r\n"
        assert built.problems == []

    def test_a_value_without_code_is_a_problem(self):
        layout = parse_layout(
            {
                "columns": [
                    {"name": "PNR", "variable": "personnummer"},
                    {"name": "ORSAK", "variable": "registration_reason", "codes": "reason"},
                ],
                "codes": {"reason": {"dropout_national_programme": "1"}},
            }
        )
        built = build_file(
            [facts(source="moved_in")],
            H2,
            layout=layout,
            municipality_code="0999",
            category_of=OCCUPATION_SCB_CATEGORY,
        )
        assert [(p.youth_id, p.code) for p in built.problems] == [(None, "code_missing")]
        assert "moved_in" in built.problems[0].message


def test_diff_lists_added_removed_and_changed():
    layout = load_layout()
    header = ";".join(layout.header)
    before = f"{header}\r\n0999;A;20260901;1;9;;;0;;9;;\r\n0999;B;20260901;1;9;;;0;;9;;\r\n"
    after = f"{header}\r\n0999;A;20260901;1;1;;;0;;1;;\r\n0999;C;20261001;3;9;;;0;;9;;\r\n"
    diff = diff_files(before, after, layout=layout)
    assert diff.added == ["C"] and diff.removed == ["B"]
    assert [(c.key, c.changes) for c in diff.changed] == [
        ("A", [("SYSS_REG", "9", "1"), ("SYSS_SENASTE_KONTAKT", "9", "1")])
    ]
    assert diff_files(after, after, layout=layout).is_empty


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_facts_one_row_per_young_person_and_only_the_half_year(
        self, municipality, other_municipality, manager, django_assert_max_num_queries
    ):
        first = enrolment(
            municipality,
            D(2026, 2, 1),
            ended_on=D(2026, 7, 10),
            end_reason=EndReason.MOVED_AWAY,
        )
        # The same young person registered again in September: reported with that one.
        again = enrolment(municipality, D(2026, 9, 1))
        again.youth = first.youth
        again.save()
        occupation(again, D(2026, 9, 1), OccupationKind.WORK)
        attempt(again, D(2026, 9, 3), Outcome.DECLINED, Channel.PHONE)
        plan = Plan.objects.create(enrolment=again, goal="Mål", planning="Plan")
        Measure.objects.create(plan=plan, type="guidance", starts_on=D(2026, 9, 10))
        enrolment(municipality, D(2026, 1, 5), ended_on=D(2026, 6, 30), end_reason="turned_20")
        enrolment(other_municipality, D(2026, 9, 1))
        with django_assert_max_num_queries(6):
            all_facts = scb_facts(manager, H2)
        assert len(all_facts) == 1
        (only,) = all_facts
        assert only.enrolment_id == again.pk
        assert only.declined_on == (D(2026, 9, 3),)
        assert only.measures == (MeasureFact("guidance", D(2026, 9, 10), None),)

    def test_preview_lists_problems_and_the_diff_since_the_last_export(self, municipality, manager):
        kept = enrolment(municipality, D(2026, 9, 1), source=Source.NEVER_STARTED)
        occupation(kept, D(2026, 9, 1), OccupationKind.UNKNOWN)
        im_student = enrolment(municipality, D(2026, 9, 2), is_im_student=True)
        preview = scb_preview(manager, H2)
        assert preview.previous is None and preview.diff is None
        assert preview.file.row_count == 2
        assert [(p.youth_id, p.code) for p in preview.file.problems] == [
            (im_student.youth_id, "im_student")
        ]
        export = services.scb_export_create(user=manager, half_year=H2)
        assert export.row_count == 2 and export.created_by == manager
        logged = AccessLog.objects.filter(user=manager, action=AccessLog.Action.EXPORT)
        assert set(logged.values_list("youth_id", flat=True)) == {
            kept.youth_id,
            im_student.youth_id,
        }
        assert export.content.splitlines()[0].startswith("KOMMUN;PERSONNUMMER;")
        assert f";{kept.youth.personnummer};20260901;3;9;" in export.content

        # Afterwards: the occupation becomes work, one ends with a reason, one new registration.
        occupation(kept, D(2026, 10, 1), OccupationKind.WORK)
        attempt(kept, D(2026, 10, 2), Outcome.REACHED, Channel.PHONE)
        newcomer = enrolment(municipality, D(2026, 11, 1))
        preview = scb_preview(manager, H2)
        assert preview.previous == export
        assert preview.diff.added == [newcomer.youth.personnummer]
        assert preview.diff.removed == []
        assert [(c.key, c.changes) for c in preview.diff.changed] == [
            (kept.youth.personnummer, [("SYSS_SENASTE_KONTAKT", "9", "1")])
        ]


@pytest.mark.django_db
class TestPages:
    @pytest.fixture(autouse=True)
    def frozen(self):
        import time_machine

        with time_machine.travel(datetime.datetime(2027, 1, 10, 12, 0), tick=False):
            yield

    def test_precheck_links_export_download_and_diff(self, manager_client, manager, municipality):
        im_student = enrolment(municipality, D(2026, 9, 2), is_im_student=True)
        page = manager_client.get("/rapporter/scb/")
        assert page.status_code == 200
        # By default the last half-year that has ended.
        assert page.context["half_year"] == H2
        html = page.content.decode()
        assert 'data-problem="im_student"' in html
        youth = im_student.youth
        link = reverse("registry:youth_detail", args=[youth.pk])
        # The link names the young person, with the personnummer masked.
        assert f'<a href="{link}">{youth.full_name} ({youth.masked_personnummer})</a>' in html
        assert "Ingen fil har skapats för halvåret tidigare." in html

        response = manager_client.post("/rapporter/scb/export/", {"half_year": "2026-2"})
        assert response.status_code == 302
        export = ScbExport.objects.get()
        assert export.youth_ids == [im_student.youth_id]
        exported = AccessLog.objects.filter(youth=im_student.youth, action="export")
        assert exported.count() == 1
        download = manager_client.get(f"/rapporter/scb/{export.pk}/fil/")
        assert download.content.decode().startswith("KOMMUN;PERSONNUMMER;")
        assert im_student.youth.personnummer in download.content.decode()
        assert "attachment" in download["Content-Disposition"]
        # Downloading the file again is another read of the record it holds.
        assert exported.count() == 2
        assert exported.first().user == manager and exported.first().ip_address == "127.0.0.1"

        added = enrolment(municipality, D(2026, 12, 1))
        html = manager_client.get("/rapporter/scb/", {"half_year": "2026-2"}).content.decode()
        assert "Nya rader: 1" in html
        assert f"+ {added.youth.masked_personnummer}" in html
        assert added.youth.personnummer not in html

    def test_the_page_names_the_layout_file_but_not_its_path(self, manager_client):
        html = manager_client.get("/rapporter/scb/").content.decode()
        assert "scb_layout.toml" in html
        assert str(layout_path().parent) not in html

    def test_a_broken_layout_file_is_explained_on_the_page(self, manager_client, settings):
        settings.SCB_LAYOUT_PATH = "/nonexistent/scb.toml"
        page = manager_client.get("/rapporter/scb/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Filen scb.toml finns inte." in html
        # The page names the file, never the server's path to it.
        assert "/nonexistent" not in html
        response = manager_client.post("/rapporter/scb/export/", {"half_year": "2026-2"})
        assert response.status_code == 302 and not ScbExport.objects.exists()

    def test_only_managers(self, board_secretary_client, coordinator_client):
        assert board_secretary_client.get("/rapporter/scb/").status_code == 403
        assert coordinator_client.get("/rapporter/scb/").status_code == 403

    def test_another_municipalitys_file_is_not_found(self, manager_client, other_municipality):
        export = ScbExport.objects.create(
            municipality=other_municipality,
            period_from=H2.start,
            period_to=H2.end,
            content="x",
        )
        assert manager_client.get(f"/rapporter/scb/{export.pk}/fil/").status_code == 404

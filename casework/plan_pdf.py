"""The printable individual plan, for the meeting with the young person (WeasyPrint).

The plan carries the young person's name and personnummer but never an
address: a protected address must not leave the system on paper.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from weasyprint import HTML

from registry.models import Enrolment

from .completeness import checklist
from .selectors.plans import facts_from_plan, mapping_of, plan_of


def plan_pdf_render(*, enrolment: Enrolment, today: datetime.date, printed_by: str) -> bytes:
    plan = plan_of(enrolment)
    html = render_to_string(
        "casework/plan_pdf.html",
        {
            "enrolment": enrolment,
            "youth": enrolment.youth,
            "plan": plan,
            "mapping": mapping_of(enrolment),
            "measures": list(plan.measures.all()) if plan else [],
            "checklist": checklist(facts_from_plan(plan), today=today),
            "today": today,
            "printed_by": printed_by,
        },
    )
    return HTML(string=html).write_pdf()

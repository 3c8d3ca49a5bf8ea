"""The printable letter for a move to a municipality not on this installation (WeasyPrint).

It carries what a move notification would (docs/domain.md, "Regions and moves"):
personnummer, name, the address unless the identity is protected, the date of the
move and the sending municipality; nothing of the casework.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from weasyprint import HTML

from . import municipalities as national
from .models import Enrolment


def move_letter_render(*, enrolment: Enrolment, today: datetime.date, printed_by: str) -> bytes:
    youth = enrolment.youth
    html = render_to_string(
        "registry/move_letter_pdf.html",
        {
            "enrolment": enrolment,
            "youth": youth,
            "show_address": not youth.protected_identity,
            "to_name": national.name_of(enrolment.moved_to) or enrolment.moved_to,
            "to_code": enrolment.moved_to,
            "from_municipality": enrolment.municipality,
            "today": today,
            "printed_by": printed_by,
        },
    )
    return HTML(string=html).write_pdf()

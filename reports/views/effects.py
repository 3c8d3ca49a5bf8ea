"""The effects section (docs/domain.md, "Effects") of the dashboard and the reports page.

``reports.effects.effects_section`` builds what the partial templates show, so
the pages (``reports/partials/effects.html``) and the board report
(``reports/partials/effects_pdf.html``) show the same tables.
"""

from __future__ import annotations

import datetime
from typing import Any

from registry.models import User

from ..effects import effects_section
from ..key_figures import Period
from ..selectors.effects import effects_report


def effects_for_page(
    user: User, period: Period, *, today: datetime.date, public: bool = False
) -> dict[str, Any]:
    """The section for a page: managers also see it per coordinator (never in public form)."""
    report = effects_report(user=user, period=period, today=today)
    return effects_section(report, public=public, with_coordinators=user.is_manager and not public)

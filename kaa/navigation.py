"""The main navigation, by role (coordinator, manager, board secretary, admin).

Part of the site shell: it names pages of every app, so it lives in kaa/, above
them all (docs/architecture.md, "The apps and their imports").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: StrOrPromise
    url_name: str
    roles: tuple[str, ...]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = (
    NavItem("worklist", _("Arbetslista"), "casework:worklist", (Role.COORDINATOR, Role.MANAGER)),
    NavItem("youths", _("Ungdomar"), "registry:youth_list", (Role.COORDINATOR, Role.MANAGER)),
    NavItem("plans", _("Planer"), "casework:plans", (Role.COORDINATOR, Role.MANAGER)),
    NavItem(
        "letters",
        pgettext_lazy("navigation", "Brev"),
        "casework:letters_batch",
        (Role.COORDINATOR, Role.MANAGER),
    ),
    NavItem("dashboard", _("Översikt"), "reports:dashboard", (Role.MANAGER,)),
    NavItem("reports", _("Rapporter"), "reports:index", (Role.MANAGER, Role.BOARD_SECRETARY)),
    NavItem("settings", _("Inställningar"), "casework:settings", (Role.MANAGER,)),
    NavItem("regional", _("Regionen"), "reports:regional", (Role.REGIONAL_ANALYST,)),
    NavItem("admin", _("Administration"), "admin:index", (Role.ADMIN,)),
)


def items_for(role: str) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]


def home_url_name(role: str) -> str:
    """Where each role lands after logging in."""
    items = items_for(role)
    return items[0].url_name if items else "account"

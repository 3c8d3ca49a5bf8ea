"""The layers point one way (docs/architecture.md): checked on the source with ``ast``.

Every ``import`` statement of the project's own modules is read, wherever it
stands (module level, inside a function, under ``if TYPE_CHECKING``), and
resolved to the project module it names. Migrations are left out: they are
generated and frozen.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("kaa", "registry", "casework", "followup", "reports")

# Pure rule modules: plain Python the tests run without a database. They may
# build on one another, nothing else of the project.
PURE_MODULES = (
    "casework.routine",
    "casework.completeness",
    "casework.effects",
    "registry.eligibility",
    "registry.personnummer",
    "registry.municipalities",
    "reports.compliance",
    "reports.key_figures",
    "reports.suppression",
)

# The site shell: it names every app's pages and is imported by none of them.
SHELL_MODULES = (
    "kaa.urls",
    "kaa.views",
    "kaa.navigation",
    "kaa.context_processors",
    "kaa.api.urls",
    "kaa.management",
)

# kaa's infrastructure, used by every app: it imports no app (the API's
# token check reads the register's users and tokens).
INFRASTRUCTURE_MODULES = {
    "kaa.settings": (),
    "kaa.celery": (),
    "kaa.queue": (),
    "kaa.storage": (),
    "kaa.cache": (),
    "kaa.middleware": (),
    "kaa.api.errors": (),
    "kaa.api.pagination": (),
    "kaa.api.auth": ("registry.models",),
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported name, absolute ("registry.models", "django.db.models")
    line: int
    runtime: bool  # False under ``if TYPE_CHECKING``: never executed


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        is_package = MODULES[module].name == "__init__.py"
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, node.module] if node.module else parts)
    # ``from package import module`` imports the module; ``from module import name`` the module.
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
        for alias in node.names
    ]


def _imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"), filename=str(MODULES[module]))
    found: list[Import] = []

    def visit(node: ast.AST, runtime: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend(
                    Import(module, target, child.lineno, runtime)
                    for target in _targets(module, child)
                )
            elif isinstance(child, ast.If) and _is_type_checking(child):
                visit(child, False)
            else:
                visit(child, runtime)

    visit(tree, True)
    return found


IMPORTS = [found for module in MODULES for found in _imports_of(module)]


def _project_module(name: str) -> str | None:
    """The project module an imported name lives in (None outside the project)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def _show(imports: list[Import]) -> str:
    return "\n".join(
        f"{MODULES[found.source].relative_to(ROOT)}:{found.line} imports {found.target}"
        for found in imports
    )


def test_the_source_is_found():
    """A check that reads no file would pass whatever the code: make sure it reads them."""
    assert {"registry.models", "casework.routine", "reports.services", "kaa.urls"} <= set(MODULES)
    assert len(IMPORTS) > 500


def test_the_register_imports_no_app_above_it():
    wrong = [
        found
        for found in IMPORTS
        if _within(found.source, "registry")
        and _within(found.target, "casework", "followup", "reports")
    ]
    assert not wrong, _show(wrong)


def test_casework_imports_neither_followup_nor_reports():
    wrong = [
        found
        for found in IMPORTS
        if _within(found.source, "casework") and _within(found.target, "followup", "reports")
    ]
    assert not wrong, _show(wrong)


def test_followup_reaches_reports_only_through_its_services():
    wrong = [
        found
        for found in IMPORTS
        if _within(found.source, "followup")
        and _within(found.target, "reports")
        and not _within(found.target, "reports.services")
    ]
    assert not wrong, _show(wrong)


def test_no_app_imports_the_site_shell():
    wrong = [
        found
        for found in IMPORTS
        if _within(found.source, "registry", "casework", "followup", "reports")
        and _within(found.target, *SHELL_MODULES)
    ]
    assert not wrong, _show(wrong)


def test_kaa_infrastructure_imports_no_app():
    wrong = [
        found
        for found in IMPORTS
        for module, allowed in INFRASTRUCTURE_MODULES.items()
        if _within(found.source, module)
        and _within(found.target, "registry", "casework", "followup", "reports")
        and not _within(found.target, *allowed)
    ]
    assert not wrong, _show(wrong)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_rule_modules_import_no_orm_and_only_pure_modules(module):
    assert module in MODULES
    wrong = [
        found
        for found in IMPORTS
        if found.source == module
        and (
            _within(found.target, "django.db")
            or (_project_module(found.target) or "") not in ("", *PURE_MODULES)
        )
    ]
    assert not wrong, _show(wrong)


def _cycle() -> list[str]:
    """One import cycle among the project's modules (imports that run), or []."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in IMPORTS:
        target = _project_module(found.target)
        if found.runtime and target is not None and target != found.source:
            graph[found.source].add(target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (cycle := walk(module)):
            return cycle
    return []


def test_no_import_cycle_between_the_projects_modules():
    """Also through an import inside a function: such an import only hides the cycle."""
    cycle = _cycle()
    assert not cycle, " -> ".join(cycle)

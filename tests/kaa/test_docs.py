"""The documentation in docs/ stays in step with the code.

docs/api.md lists exactly the operations the OpenAPI document describes, and
every citation of a section (``docs/domain.md, "Steps"``) in the code names a
heading that exists.
"""

from __future__ import annotations

import re
from pathlib import Path

from kaa.api.urls import api

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `(/api/v1/[^`]*)` \|", re.MULTILINE)
CITATION = re.compile(r'docs/(domain|api|architecture)\.md,? "([^"]+)"')
SOURCES = ("kaa", "registry", "casework", "followup", "reports", "templates", "tests")


def _documented() -> set[tuple[str, str]]:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    section = text.split("\n## Paths\n", 1)[1].split("\n## ", 1)[0]
    return {(method, path) for method, path in ROW.findall(section)}


def _served() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_the_paths_table_is_the_openapi_document():
    documented, served = _documented(), _served()
    assert len(served) > 20
    assert sorted(served - documented) == [], "served but not in docs/api.md"
    assert sorted(documented - served) == [], "in docs/api.md but not served"


def _headings(name: str) -> set[str]:
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    return {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}


def test_every_cited_section_exists():
    headings = {name: _headings(name) for name in ("domain", "api", "architecture")}
    cited = 0
    wrong = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".toml") or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for name, section in CITATION.findall(text):
                cited += 1
                if section not in headings[name]:
                    wrong.append(f"{path.relative_to(ROOT)}: docs/{name}.md, {section!r}")
    assert cited > 30
    assert wrong == []


def test_the_code_cites_no_file_outside_the_repository():
    wrong = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".toml") or path == Path(__file__):
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"\b(DOMAIN|API|STYLE|CONTRACTS)\.md|shared/", text):
                wrong.append(str(path.relative_to(ROOT)))
    assert wrong == []

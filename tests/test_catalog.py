"""The catalog is the single source of truth: it must match the implementations and run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.catalog.docs import RULE_PAGES_DIR, rule_pages, update_readme
from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import Settings
from ddblint.rules import load_checks

CATALOG = load_catalog()
PROJECT = Path(__file__).resolve().parent.parent
README = PROJECT / "README.md"


def test_every_catalog_entry_has_a_check_and_every_check_an_entry() -> None:
    assert set(CATALOG) == set(load_checks())


@pytest.mark.parametrize("rule_id", sorted(CATALOG))
def test_catalog_entry_is_complete(rule_id: str) -> None:
    doc = CATALOG[rule_id]
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", doc.name), "names are kebab-case"
    for text in (doc.summary, doc.description, doc.rationale, doc.fix, doc.bad_example, doc.good_example):
        assert text.strip()
    assert doc.tags


def _rules_fired(example: str, tmp_path: Path) -> set[str]:
    (tmp_path / "main.tf").write_text(example + "\n", encoding="utf-8")
    result = lint([str(tmp_path)], Settings(cache=False))
    assert not result.internal_errors
    return {f.rule_id for f in result.findings if not f.suppressed}  # DDB09x examples suppress a finding


@pytest.mark.parametrize("rule_id", sorted(CATALOG))
def test_bad_example_fires_exactly_its_rule(rule_id: str, tmp_path: Path) -> None:
    assert _rules_fired(CATALOG[rule_id].bad_example, tmp_path) == {rule_id}


@pytest.mark.parametrize("rule_id", sorted(CATALOG))
def test_good_example_is_silent(rule_id: str, tmp_path: Path) -> None:
    assert _rules_fired(CATALOG[rule_id].good_example, tmp_path) == set()


def test_rule_pages_are_generated_from_the_current_catalog() -> None:
    """Regenerate with ``python -m ddblint.catalog.docs`` (from the repository root) after editing ``rules/``."""
    pages = rule_pages()
    on_disk = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / RULE_PAGES_DIR).glob("*.md")}
    assert on_disk == set(pages) == {f"{RULE_PAGES_DIR}/{rule_id}.md" for rule_id in CATALOG}
    for path, text in pages.items():
        assert (PROJECT / path).read_text(encoding="utf-8") == text, f"{path} is out of date"


def test_readme_rule_table_is_generated_from_the_catalog() -> None:
    """Regenerate with ``python -m ddblint.catalog.docs`` (from the repository root) after editing ``rules/``."""
    readme = README.read_text(encoding="utf-8")
    assert update_readme(readme) == readme
    for rule_id, doc in CATALOG.items():
        assert f"| {rule_id} | {doc.name} |" in readme

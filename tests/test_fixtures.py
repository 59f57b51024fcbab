"""Every fixture directory is linted; found findings must equal the annotated ones exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.report import message_and_callers, relative_to
from tests.annotations import read_expectations
from tests.conftest import fixture_dirs, relative_findings


@pytest.mark.parametrize("fixture", fixture_dirs(), ids=lambda p: p.name)
def test_fixture_findings_match_annotations(fixture: Path) -> None:
    expectations = read_expectations(fixture)
    result = lint([str(fixture)], Settings(cache=False))
    assert not result.internal_errors, result.internal_errors
    found = relative_findings(result, fixture)
    expected = {(e.path, e.line, e.rule) for e in expectations}
    missing = sorted(expected - found)
    extra = sorted(found - expected)
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"
    shown = relative_to(str(fixture))
    by_place = {
        (f.span.line, f.rule_id, Path(f.span.path).resolve()): message_and_callers(f, shown) for f in result.findings
    }
    for expectation in expectations:
        if not expectation.fragment:
            continue
        message = by_place[(expectation.line, expectation.rule, (fixture / expectation.path).resolve())]
        assert expectation.fragment in message, f"{expectation}: {message}"


def test_every_fixture_annotates_or_is_meant_to_be_silent() -> None:
    """A fixture with no expectations must say so in a README line, so emptiness is deliberate."""
    for fixture in fixture_dirs():
        if read_expectations(fixture):
            continue
        text = "\n".join(p.read_text(errors="replace") for p in fixture.rglob("*.tf"))
        assert "# ok:" in text or "Nothing here may be reported" in text, fixture.name

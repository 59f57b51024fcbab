"""Finding messages are one sentence with the values; why and how to fix live in the catalog.

The longest message of each rule over every fixture is measured: a message
that starts repeating its rule's rationale grows past the limit and fails here.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from ddblint.api import lint
from ddblint.catalog.entries import load_catalog
from ddblint.config.settings import Settings
from ddblint.findings import Finding
from tests.conftest import fixture_dirs

LIMIT = 160
# Rules whose fixtures hold deliberately extreme cases, and what makes them long: the
# values themselves (addresses, the expression chain), not advice.
ALLOWANCE = {
    "DDB001": 240,  # nested_modules: a module in a module, three fan-outs named one by one
    "DDB003": 230,  # app_owned: a module address, its for_each, and the variable a validation would bound
    "DDB010": 210,  # content_app_data: two kinds of evidence with their attributes
    "DDB012": 180,  # app_owned: a module address and the module's for_each
    "DDB020": 200,  # keys: a two-attribute key schema and two problems
    "DDB021": 215,  # item_json: the first problem, where it was seen, and how many more
    "DDB022": 180,  # keys: a table and an item key, each with its instance key
}


@lru_cache(maxsize=1)
def _fixture_findings() -> tuple[Finding, ...]:
    return tuple(f for d in fixture_dirs() for f in lint([str(d)], Settings(cache=False)).findings)


def _longest(rule_id: str) -> str:
    messages = [f.message for f in _fixture_findings() if f.rule_id == rule_id]
    assert messages, f"no fixture makes {rule_id} fire"
    return max(messages, key=len)


@pytest.mark.parametrize("rule_id", sorted(load_catalog()))
def test_the_longest_message_of_each_rule_is_short(rule_id: str) -> None:
    longest = _longest(rule_id)
    assert len(longest) <= ALLOWANCE.get(rule_id, LIMIT), f"{len(longest)} characters: {longest}"


def test_allowances_are_few_and_still_needed() -> None:
    """An allowance that its rule no longer needs is dropped, so the limit only tightens."""
    assert len(ALLOWANCE) <= len(load_catalog()) // 2
    for rule_id, allowed in ALLOWANCE.items():
        assert len(_longest(rule_id)) > LIMIT, f"{rule_id} fits in {LIMIT} now: drop its allowance"
        assert allowed - len(_longest(rule_id)) < 20, f"{rule_id}: tighten its allowance to the measured length"


@pytest.mark.parametrize("rule_id", sorted(load_catalog()))
def test_messages_are_one_sentence_without_the_rules_advice(rule_id: str) -> None:
    doc = load_catalog()[rule_id]
    advice = {sentence.strip() for sentence in f"{doc.rationale} {doc.fix}".split(". ") if len(sentence) > 30}
    for finding in (f for f in _fixture_findings() if f.rule_id == rule_id):
        body = finding.message.rstrip(".?")
        assert ". " not in body.replace("e.g. ", ""), f"more than one sentence: {finding.message}"
        assert not any(sentence in finding.message for sentence in advice), finding.message

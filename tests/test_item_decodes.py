"""Each item is decoded once at most: never when ``jsonencode`` made it, once when it was written as JSON text.

The value ``jsonencode`` was given travels beside its text, so rules see what
decoding the text would give without the text being decoded; DDB021 and DDB023
still judge that text, what Terraform would send.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.evaluate.analysis import ItemInstance
from ddblint.evaluate.values import TfSet, encode_json
from ddblint.result import Result
from ddblint.untrusted import safe_json
from tests.test_cache import TABLE

MAIN_TF = (
    TABLE
    + """
locals {
  encoded = { for name in ["f", "g"] : name => jsonencode({ id = { S = name }, tags = { SS = ["b", "a"] } }) }
}

resource "aws_dynamodb_table_item" "encoded" {
  for_each   = toset(["a", "b", "c"])
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = jsonencode({ id = { S = each.key }, size = { N = "1" }, flag = { BOOL = true } })
}

resource "aws_dynamodb_table_item" "from_local" {
  for_each   = local.encoded
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = each.value
}

resource "aws_dynamodb_table_item" "heredoc" {
  for_each   = toset(["d", "e"])
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = <<EOF
{"id": {"S": "${each.key}"}, "size": {"N": 2}}
EOF
}

resource "aws_dynamodb_table_item" "literal" {
  count      = 2
  table_name = aws_dynamodb_table.users.name
  hash_key   = "id"
  item       = <<EOF
{"id": {"S": "same"}, "token": {"S": "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}}
EOF
}
"""
)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each text is handed to a JSON decoder (ddblint's own, and the standard one)."""
    counts: Counter[str] = Counter()

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def decode(text: str, *args: Any, **kwargs: Any) -> Any:
            counts[text] += 1
            return real(text, *args, **kwargs)

        return decode

    monkeypatch.setattr(safe_json, "loads", counting(safe_json.loads))
    monkeypatch.setattr(json, "loads", counting(json.loads))
    return counts


def _lint(root: Path, settings: Settings) -> Result:
    result = lint([str(root)], settings, keep_analysis=True)
    assert not result.internal_errors, result.internal_errors
    return result


def _instances(result: Result) -> dict[str, list[ItemInstance]]:
    assert result.analysis is not None
    return {s.resource.name: list(s.instances) for s in result.analysis.item_sets}


def _findings(result: Result) -> list[tuple[str, int, str]]:
    return sorted((f.rule_id, f.span.line, f.message) for f in result.findings)


def _item_decodes(decodes: Counter[str], instances: dict[str, list[ItemInstance]]) -> dict[str, int]:
    """Decodes of each item set's texts, per item set."""
    texts = {name: {i.text for i in listed if i.text} for name, listed in instances.items()}
    return {name: sum(decodes[text] for text in written) for name, written in texts.items()}


def test_items_are_decoded_once_and_never_when_jsonencode_made_them(
    tmp_path: Path, decodes: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    settings = Settings(cache_dir=str(tmp_path / "cache"), jobs=1)

    cold = _lint(root, settings)
    instances = _instances(cold)
    assert {name: len(listed) for name, listed in instances.items()} == {
        "encoded": 3,
        "from_local": 2,
        "heredoc": 2,
        "literal": 2,
    }
    assert _item_decodes(decodes, instances) == {"encoded": 0, "from_local": 0, "heredoc": 2, "literal": 2}
    rules = {rule for rule, _, _ in _findings(cold)}
    assert {"DDB021", "DDB024"} <= rules, "the heredoc's bare number and the literal's token are still found"

    decodes.clear()
    warm = _lint(root, settings)
    assert _findings(warm) == _findings(cold)
    assert _item_decodes(decodes, _instances(warm)) == dict.fromkeys(instances, 0), "a warm run reads the analysis"

    monkeypatch.undo()
    for name, listed in instances.items():
        for instance in listed:
            assert instance.text is not None
            assert _same(instance.value, safe_json.loads(instance.text)), (name, instance)


def test_without_a_cache_items_are_decoded_as_often_as_on_a_cold_run(tmp_path: Path, decodes: Counter[str]) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    result = _lint(root, Settings(cache=False, jobs=1))
    decoded = _item_decodes(decodes, _instances(result))
    assert decoded == {"encoded": 0, "from_local": 0, "heredoc": 2, "literal": 2}


def _same(left: object, right: object) -> bool:
    """Equal, with the same types and the same key order all the way down (``1`` is not ``1.0``)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right))
    return left == right


_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)
_NUMBERS = st.one_of(
    st.integers(-(2**20), 2**20),
    st.integers(-(2**1000), 2**1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e16, 1e15, -0.0, 2.5, 10.0**300, 10**300, 10**301, -(10**301)]),
)
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT)
_KEYS = st.one_of(_TEXT, st.integers(-3, 3), st.booleans())
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.lists(inner, max_size=4).map(TfSet),
        st.dictionaries(_KEYS, inner, max_size=4),
    ),
    max_leaves=20,
)


@given(_VALUES)
def test_the_value_beside_jsonencodes_text_is_what_decoding_the_text_gives(value: Any) -> None:
    text, decoded = encode_json(value)
    assert _same(decoded, safe_json.loads(text))


def test_an_integer_too_long_to_decode_as_a_number_is_what_decoding_makes_of_it() -> None:
    text, decoded = encode_json({"n": 10**301, "m": -(10**301), "k": 10**299})
    assert text == json.dumps({"k": 10**299, "m": -(10**301), "n": 10**301}, separators=(",", ":"))
    assert decoded == {"k": 10**299, "m": -math.inf, "n": math.inf}

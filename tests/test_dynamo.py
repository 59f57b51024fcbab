"""Tests for ddblint.dynamodb.item_json: DynamoDB JSON validation, item size, plain values.

Boundaries come from the DynamoDB Developer Guide (data types, item sizes,
quotas); the number syntax cases are ones real DynamoDB accepts or rejects.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ddblint.dynamodb.item_json import (
    DYNAMODB_ITEM_LIMIT,
    MAX_NESTING_DEPTH,
    ItemProblem,
    attribute_type,
    item_size,
    plain_value,
    validate_item,
)

THIRTY_EIGHT_DIGITS = "12345678901234567890123456789012345678"
LARGEST = "9.9999999999999999999999999999999999999E+125"


def problems_at(item: object) -> dict[str, str]:
    """Problems keyed by path, so a test can assert where each one is."""
    return {problem.path: problem.message for problem in validate_item(item)}


def nested(levels: int, kind: str = "M") -> dict[str, Any]:
    """An attribute value whose scalar leaf sits at nesting level ``levels``.

    The attribute itself is level 1, so ``levels - 1`` maps (or lists) wrap
    the leaf. Built with a loop: the 2000-level case must not need recursion
    to construct.
    """
    value: dict[str, Any] = {"S": "leaf"}
    for _ in range(levels - 1):
        value = {"M": {"x": value}} if kind == "M" else {"L": [value]}
    return value


# ---------------------------------------------------------------------------
# Valid items


@pytest.mark.parametrize(
    "value",
    [
        {"S": "user#1"},
        {"S": ""},  # empty strings are allowed outside keys
        {"S": "héllo ✓ 日本"},
        {"N": "42"},
        {"N": "-7.25"},
        {"N": "0"},
        {"B": "QUJD"},
        {"B": ""},
        {"SS": ["a", "b", ""]},  # an empty string may sit inside a set
        {"NS": ["1", "2.5", "-3e10"]},
        {"BS": ["QUJD", "REVG", ""]},
        {"M": {}},
        {"M": {"inner": {"S": "x"}, "deeper": {"M": {"n": {"N": "1"}}}}},
        {"L": []},
        {"L": [{"S": "a"}, {"N": "1"}, {"L": [{"BOOL": True}]}]},
        {"NULL": True},
        {"BOOL": True},
        {"BOOL": False},
    ],
    ids=lambda value: next(iter(value)),
)
def test_every_type_accepts_a_valid_value(value: dict[str, Any]) -> None:
    assert validate_item({"pk": {"S": "k"}, "attr": value}) == []


def test_a_realistic_item_with_every_type_is_valid() -> None:
    item = {
        "pk": {"S": "user#1"},
        "n": {"N": "42"},
        "tags": {"SS": ["a", "b"]},
        "scores": {"NS": ["1", "2"]},
        "blobs": {"BS": ["AAE="]},
        "avatar": {"B": "iVBORw0KGgo="},
        "active": {"BOOL": False},
        "deleted_at": {"NULL": True},
        "profile": {"M": {"tags": {"SS": ["x"]}, "langs": {"L": [{"S": "en"}]}}},
    }
    assert validate_item(item) == []


# ---------------------------------------------------------------------------
# Item and descriptor shape


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ([], "an empty array"),
        ("pk", 'the string "pk"'),
        (None, "null"),
        (42, "the JSON number 42"),
    ],
)
def test_an_item_that_is_not_an_object_is_one_problem_at_the_top(item: object, fragment: str) -> None:
    [problem] = validate_item(item)
    assert problem.path == ""
    assert "JSON object" in problem.message
    assert fragment in problem.message


def test_an_empty_item_is_a_problem() -> None:
    assert list(problems_at({})) == [""]


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ({}, ["no type descriptor", "S, N, B, SS, NS, BS, M, L, NULL, BOOL"]),
        ({"S": "a", "N": "1"}, ["2 type descriptors", "S, N", "exactly one"]),
        ({"STRING": "a"}, ['"STRING" is not', "NULL, BOOL", 'did you mean "S"?']),
        ({"s": "a"}, ['"s" is not', 'did you mean "S"?']),
        ({"Bool": True}, ['did you mean "BOOL"?']),
        ({"NUL": True}, ['did you mean "NULL"?']),
        ({"number": "1"}, ['did you mean "N"?']),
        ({"S": "a", "s": "b"}, ['"s" is not', 'did you mean "S"?']),
        ("user#1", ['not the string "user#1"', 'write {"S": "user#1"}']),
        (42, ['write {"N": "42"}']),
        (True, ['write {"BOOL": true}']),
        (None, ['write {"NULL": true}']),
        ([1, 2], ["an array of 2 values"]),
    ],
)
def test_a_malformed_attribute_value_names_the_attribute(value: object, fragments: list[str]) -> None:
    message = problems_at({"pk": {"S": "k"}, "attr": value})["attr"]
    for fragment in fragments:
        assert fragment in message


def test_an_unrelated_descriptor_gets_no_suggestion() -> None:
    message = problems_at({"attr": {"QWERTY": "x"}})["attr"]
    assert "valid ones are" in message
    assert "did you mean" not in message


# ---------------------------------------------------------------------------
# Scalars


@pytest.mark.parametrize(
    ("value", "path", "fragment"),
    [
        ({"S": 5}, "a.S", "expected a string, not the JSON number 5"),
        ({"S": "bad \ud800"}, "a.S", "lone surrogate"),
        ({"N": 42}, "a.N", 'numbers are sent as strings: write "42"'),
        ({"N": 4.5}, "a.N", 'write "4.5"'),
        ({"N": True}, "a.N", 'e.g. "42", not true'),
        ({"NULL": False}, "a.NULL", "NULL must be true"),
        ({"NULL": "true"}, "a.NULL", 'not the string "true"'),
        ({"BOOL": "true"}, "a.BOOL", 'JSON boolean, true or false, not the string "true"'),
        ({"BOOL": 1}, "a.BOOL", "JSON boolean"),
        ({"B": 7}, "a.B", "expected base64 text"),
        ({"M": [1]}, "a.M", "M holds a JSON object"),
        ({"L": {"x": {"S": "y"}}}, "a.L", 'L holds a JSON array of attribute values, not an object with keys "x"'),
    ],
)
def test_a_wrong_payload_is_reported_at_its_descriptor(value: object, path: str, fragment: str) -> None:
    problems = problems_at({"a": value})
    assert list(problems) == [path]
    assert fragment in problems[path]


def test_a_long_value_is_quoted_but_truncated() -> None:
    message = problems_at({"n": {"N": "x" * 500}})["n.N"]
    assert '"xxxxxxxxxx' in message
    assert "…" in message
    assert len(message) < 120


def test_a_huge_json_integer_does_not_break_the_message() -> None:
    # int -> str refuses more than 4300 digits; the message must still be built
    message = problems_at({"n": {"N": 10**5000}})["n.N"]
    assert "put this one in quotes" in message


# ---------------------------------------------------------------------------
# Numbers: syntax, precision, magnitude


@pytest.mark.parametrize(
    "text",
    ["3", "-7.1234", "-17e5", "-17.4E37", "+3", ".123", "0001.23", "1e+5", "5.", "-0", "0.000", "0e1000"],
)
def test_number_syntax_dynamodb_accepts(text: str) -> None:
    assert validate_item({"n": {"N": text}}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("NaN", "no NaN or Infinity"),
        ("Infinity", "no NaN or Infinity"),
        ("-Infinity", "no NaN or Infinity"),
        ("inf", "no NaN or Infinity"),
        (" 1", "spaces around it"),
        ("1 ", "spaces around it"),
        ("dog", "is not a number"),
        ("", "is not a number"),
        (".", "is not a number"),
        ("e5", "is not a number"),
        ("1e", "is not a number"),
        ("1_000", "is not a number"),  # Python's Decimal would accept this
        ("0x10", "is not a number"),
        ("١٢", "is not a number"),  # Arabic-Indic digits: Decimal accepts, DynamoDB does not
        ("1,5", "is not a number"),
    ],
)
def test_number_syntax_dynamodb_rejects(text: str, fragment: str) -> None:
    assert fragment in problems_at({"n": {"N": text}})["n.N"]


@pytest.mark.parametrize(
    "text",
    [
        THIRTY_EIGHT_DIGITS,
        "-" + THIRTY_EIGHT_DIGITS,
        THIRTY_EIGHT_DIGITS[:19] + "." + THIRTY_EIGHT_DIGITS[19:],
        "0.000" + THIRTY_EIGHT_DIGITS,
        "000" + THIRTY_EIGHT_DIGITS,  # leading zeros are trimmed, so do not count
        THIRTY_EIGHT_DIGITS + "000",  # trailing zeros are trimmed too
        THIRTY_EIGHT_DIGITS + "e30",
        "1" + "0" * 100,  # 1E+100 written out: one significant digit
    ],
)
def test_up_to_38_significant_digits_is_fine(text: str) -> None:
    assert validate_item({"n": {"N": text}}) == []


@pytest.mark.parametrize(
    "text",
    [
        THIRTY_EIGHT_DIGITS + "9",
        THIRTY_EIGHT_DIGITS[:19] + "." + THIRTY_EIGHT_DIGITS[19:] + "9",
        "1" + THIRTY_EIGHT_DIGITS + "00",  # trailing zeros trimmed: still 39
    ],
)
def test_39_significant_digits_is_too_precise(text: str) -> None:
    message = problems_at({"n": {"N": text}})["n.N"]
    assert "39 significant digits" in message
    assert "at most 38" in message


@pytest.mark.parametrize("text", [LARGEST, "-" + LARGEST, "1E+125", "1E-130", "-1E-130", "10E-131"])
def test_magnitudes_at_the_documented_limits_are_fine(text: str) -> None:
    assert validate_item({"n": {"N": text}}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1E+126", "too large"),
        ("-1E+126", "too large"),
        ("99.9E+125", "too large"),
        ("1" + "0" * 126, "too large"),
        ("1e" + "9" * 5000, "too large"),  # an absurd exponent is cheap to reject
        ("1E-131", "too close to zero"),
        ("-0.9E-130", "too close to zero"),
        ("1e-" + "9" * 5000, "too close to zero"),
    ],
)
def test_magnitudes_beyond_the_limits_are_reported(text: str, fragment: str) -> None:
    assert fragment in problems_at({"n": {"N": text}})["n.N"]


def test_zero_is_fine_whatever_its_exponent() -> None:
    assert validate_item({"n": {"N": "0e" + "9" * 5000}}) == []


# ---------------------------------------------------------------------------
# Binary


@pytest.mark.parametrize("text", ["", "QQ==", "QUI=", "QUJD", "+/+/", base64.b64encode(bytes(range(256))).decode()])
def test_canonical_base64_is_accepted(text: str) -> None:
    assert validate_item({"b": {"B": text}}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("QUJ", "not a multiple of 4"),
        ("QQ", 'missing "=" padding'),
        ("QUJD\n", "spaces or line breaks"),
        ("QU JD", "spaces or line breaks"),
        ("a-b_", "URL-safe alphabet"),
        ("QUJD!", "outside the base64 alphabet"),
        ("QQ=A", "padding appears before the end"),
        ("====", "padding appears before the end"),
        ("QR==", "bits set"),  # decodes to "A" too, but no encoder writes it
    ],
)
def test_invalid_base64_says_why(text: str, fragment: str) -> None:
    message = problems_at({"b": {"B": text}})["b.B"]
    assert "not valid base64" in message
    assert fragment in message


# ---------------------------------------------------------------------------
# Sets


@pytest.mark.parametrize("kind", ["SS", "NS", "BS"])
def test_an_empty_set_is_a_problem(kind: str) -> None:
    assert "no empty sets" in problems_at({"s": {kind: []}})[f"s.{kind}"]


@pytest.mark.parametrize(
    ("kind", "elements", "path"),
    [
        ("SS", ["a", 1], "s.SS[1]"),
        ("NS", ["1", 2], "s.NS[1]"),
        ("NS", ["1", "two"], "s.NS[1]"),
        ("BS", ["QUJD", "QUJ"], "s.BS[1]"),
    ],
)
def test_a_bad_set_element_is_reported_at_its_index(kind: str, elements: list[object], path: str) -> None:
    assert list(problems_at({"s": {kind: elements}})) == [path]


@pytest.mark.parametrize(
    ("kind", "elements", "path"),
    [
        ("SS", ["a", "b", "a"], "s.SS[2]"),
        ("NS", ["1", "1.0"], "s.NS[1]"),  # the same number, written twice
        ("NS", ["10", "1e1"], "s.NS[1]"),
        ("NS", ["0.5", "+.50"], "s.NS[1]"),
        ("NS", ["0", "-0"], "s.NS[1]"),
        ("BS", ["QUJD", "QUJD"], "s.BS[1]"),
    ],
)
def test_duplicate_set_elements_are_reported(kind: str, elements: list[str], path: str) -> None:
    problems = problems_at({"s": {kind: elements}})
    assert list(problems) == [path]
    assert "must be unique" in problems[path]


def test_a_numeric_duplicate_quotes_both_spellings() -> None:
    message = problems_at({"s": {"NS": ["1", "1.0"]}})["s.NS[1]"]
    assert '"1.0"' in message
    assert '"1" at [0]' in message


@pytest.mark.parametrize(
    ("kind", "elements"),
    [("SS", ["a", "A", ""]), ("NS", ["1", "-1", "10", "0.1"]), ("BS", ["QQ==", "QUE=", ""])],
)
def test_distinct_set_elements_are_fine(kind: str, elements: list[str]) -> None:
    assert validate_item({"s": {kind: elements}}) == []


def test_set_that_is_not_an_array() -> None:
    assert "SS holds a JSON array of strings" in problems_at({"s": {"SS": "a"}})["s.SS"]


# ---------------------------------------------------------------------------
# Paths into maps and lists


def test_paths_follow_maps_and_lists() -> None:
    item = {
        "profile": {"M": {"tags": {"SS": ["x", "x"]}, "age": {"N": 30}}},
        "list": {"L": [{"S": "a"}, {"S": "b"}, {"S": 3}, {"s": "d"}]},
    }
    assert list(problems_at(item)) == [
        "profile.M.tags.SS[1]",
        "profile.M.age.N",
        "list.L[2].S",
        "list.L[3]",
    ]


def test_problems_come_in_document_order() -> None:
    item = {"b": {"N": 1}, "a": {"M": {"z": {"N": 2}, "y": {"N": 3}}}, "c": {"N": 4}}
    assert [p.path for p in validate_item(item)] == ["b.N", "a.M.z.N", "a.M.y.N", "c.N"]


# ---------------------------------------------------------------------------
# Names


def test_an_empty_top_level_name_is_a_problem() -> None:
    assert "name is empty" in problems_at({"": {"S": "x"}})['""']


def test_an_empty_map_key_is_a_problem() -> None:
    assert "name is empty" in problems_at({"m": {"M": {"": {"S": "x"}}}})['m.M.""']


def test_a_name_of_64_kb_is_too_long() -> None:
    longest = "n" * (64 * 1024 - 1)
    assert validate_item({longest: {"S": "x"}}) == []
    message = problems_at({longest + "n": {"S": "x"}})[longest + "n"]
    assert "65,536 bytes" in message


def test_a_name_with_a_lone_surrogate_is_a_problem() -> None:
    assert "lone surrogate" in problems_at({"a\udcff": {"S": "x"}})["a\udcff"]


def test_a_non_string_map_key_is_a_problem() -> None:
    assert "names are strings" in problems_at({"m": {"M": {1: {"S": "x"}}}})["m.M.1"]


# ---------------------------------------------------------------------------
# Nesting


@pytest.mark.parametrize("kind", ["M", "L"])
def test_32_levels_are_allowed(kind: str) -> None:
    assert validate_item({"deep": nested(MAX_NESTING_DEPTH, kind)}) == []


@pytest.mark.parametrize("kind", ["M", "L"])
def test_33_levels_are_one_problem(kind: str) -> None:
    [problem] = validate_item({"deep": nested(MAX_NESTING_DEPTH + 1, kind)})
    assert "nested 33 levels deep" in problem.message
    hop = ".M.x" if kind == "M" else ".L[0]"
    assert problem.path == "deep" + hop * MAX_NESTING_DEPTH


def test_40_levels_are_reported_not_crashed() -> None:
    [problem] = validate_item({"deep": nested(40)})
    assert "allows 32 levels" in problem.message


def test_2000_levels_are_reported_without_recursion_error() -> None:
    item = {"deep": nested(2000, "L"), "wide": nested(2000, "M")}
    assert [p.path.split(".")[0] for p in validate_item(item)] == ["deep", "wide"]


def test_a_cyclic_python_value_terminates() -> None:
    loop: dict[str, Any] = {"M": {}}
    loop["M"]["self"] = loop
    [problem] = validate_item({"loop": loop})
    assert "nested 33 levels deep" in problem.message


# ---------------------------------------------------------------------------
# attribute_type


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"S": "x"}, "S"),
        ({"NS": ["1"]}, "NS"),
        ({"N": 42}, "N"),  # shape only: the payload is not checked
        ({"NULL": True}, "NULL"),
        ({"s": "x"}, None),
        ({}, None),
        ({"S": "x", "N": "1"}, None),
        ("x", None),
        (None, None),
    ],
)
def test_attribute_type(value: object, expected: str | None) -> None:
    assert attribute_type(value) == expected


# ---------------------------------------------------------------------------
# plain_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"S": "x"}, "x"),
        ({"N": "42"}, 42),
        ({"N": "-1e3"}, -1000),
        ({"N": "1.50"}, Decimal("1.5")),
        ({"N": "0.1"}, Decimal("0.1")),
        ({"N": "-0"}, 0),
        ({"N": THIRTY_EIGHT_DIGITS + "e-19"}, Decimal(THIRTY_EIGHT_DIGITS + "e-19")),
        ({"B": "QUJD"}, b"ABC"),
        ({"SS": ["b", "a"]}, ["b", "a"]),
        ({"NS": ["1", "2.5"]}, [1, Decimal("2.5")]),
        ({"BS": ["QQ=="]}, [b"A"]),
        ({"NULL": True}, None),
        ({"BOOL": False}, False),
        ({"L": [{"S": "a"}, {"N": "1"}]}, ["a", 1]),
        ({"M": {"a": {"M": {"b": {"L": [{"NULL": True}]}}}}}, {"a": {"b": [None]}}),
    ],
)
def test_plain_value(value: dict[str, Any], expected: object) -> None:
    result = plain_value(value)
    assert result == expected
    assert type(result) is type(expected)


def test_plain_value_keeps_all_38_digits() -> None:
    # a float would keep about 17 of them
    assert str(plain_value({"N": "0." + THIRTY_EIGHT_DIGITS})) == "0." + THIRTY_EIGHT_DIGITS


@pytest.mark.parametrize("value", [{"N": 42}, {"s": "x"}, {"M": {"a": {"N": "x"}}}, nested(40)])
def test_plain_value_refuses_invalid_values(value: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="invalid"):
        plain_value(value)


# ---------------------------------------------------------------------------
# item_size


@pytest.mark.parametrize(
    ("item", "size"),
    [
        # name "id" (2) + "abc" (3)
        ({"id": {"S": "abc"}}, 5),
        # UTF-8 bytes, not characters: "é" is 2 bytes, "日" 3 -> name 2 + value 5
        ({"nm": {"S": "é日"}}, 7),
        # "n" (1) + 5 significant digits -> ceil(5/2) = 3 bytes + 1 = 4
        ({"n": {"N": "12345"}}, 5),
        # leading and trailing zeros are trimmed: "001200" has 2 significant
        # digits -> 1 + 1 = 2 bytes, "-0.0012e3" likewise; name 1 each
        ({"a": {"N": "001200"}, "b": {"N": "-0.0012e3"}}, 6),
        # zero has no significant digits: just the 1 byte; 38 digits: 19 + 1
        ({"z": {"N": "0"}, "w": {"N": THIRTY_EIGHT_DIGITS}}, 1 + 1 + 1 + 20),
        # binary counts raw bytes: "QUJD" is 3 bytes -> "b" 1 + 3
        ({"b": {"B": "QUJD"}}, 4),
        # NULL and BOOL are 1 byte: "null" 4 + 1, "flag" 4 + 1
        ({"null": {"NULL": True}, "flag": {"BOOL": True}}, 10),
        # sets sum their elements: "ss" 2 + (1 + 2) = 5; "ns" 2 + (2 + 2) = 6,
        # each number being 1 digit byte + 1; "bs" 2 + (1 + 0) = 3
        ({"ss": {"SS": ["a", "bc"]}, "ns": {"NS": ["1", "-25"]}, "bs": {"BS": ["QQ==", ""]}}, 14),
        # empty list: "l" 1 + 3 overhead
        ({"l": {"L": []}}, 4),
        # list: "l" 1 + 3 overhead + element ("xy" 2 + 1 per element)
        ({"l": {"L": [{"S": "xy"}]}}, 7),
        # map: "m" 1 + 3 overhead + element (name "k" 1 + value "v" 1 + 1 per element)
        ({"m": {"M": {"k": {"S": "v"}}}}, 7),
        # nested: "p" 1 + 3 = 4; entry "tags": 4 + 1 + SS "x" 1 = 6;
        # entry "ls": 2 + 1 + list (3 + 2 elements * 1 + N "7" 2 + BOOL 1 = 8) = 11
        ({"p": {"M": {"tags": {"SS": ["x"]}, "ls": {"L": [{"N": "7"}, {"BOOL": False}]}}}}, 21),
    ],
)
def test_item_size_by_hand(item: dict[str, Any], size: int) -> None:
    assert item_size(item) == size


def test_item_size_of_the_example_from_the_brief() -> None:
    item = {
        "pk": {"S": "user#1"},  # 2 + 6 = 8
        "n": {"N": "42"},  # 1 + (1 + 1) = 3
        "tags": {"SS": ["a", "b"]},  # 4 + 2 = 6
        "profile": {"M": {"tags": {"SS": ["x"]}}},  # 7 + 3 + (4 + 1 + 1) = 16
    }
    assert item_size(item) == 33


def test_an_item_just_under_and_just_over_400_kb() -> None:
    # "pk" 2 + "v" 1 + the padding string
    def item_of(total: int) -> dict[str, Any]:
        return {"pk": {"S": "k"}, "v": {"S": "x" * (total - 4)}}

    assert item_size(item_of(DYNAMODB_ITEM_LIMIT)) == 409_600
    assert item_size(item_of(DYNAMODB_ITEM_LIMIT - 1)) < DYNAMODB_ITEM_LIMIT
    assert item_size(item_of(DYNAMODB_ITEM_LIMIT + 1)) > DYNAMODB_ITEM_LIMIT


def test_binary_size_counts_raw_bytes_not_base64_text() -> None:
    raw = bytes(301 * 1024)
    encoded = base64.b64encode(raw).decode()
    assert len(encoded) > DYNAMODB_ITEM_LIMIT
    assert item_size({"b": {"B": encoded}}) == 1 + len(raw)


def test_item_size_refuses_an_invalid_item() -> None:
    with pytest.raises(ValueError, match="at n.N"):
        item_size({"n": {"N": 42}})


# ---------------------------------------------------------------------------
# Property: whatever valid item we build is valid, and sizes add up


def _number_text(mantissa: int, exponent: int) -> str:
    return f"{mantissa}e{exponent}"


names = st.text(min_size=1, max_size=8)
# up to 38 digits, and exponents that keep the first digit within -130..124
numbers = st.builds(_number_text, st.integers(-(10**38) + 1, 10**38 - 1), st.integers(-130, 87))
binaries = st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode())
scalars = st.one_of(
    st.builds(lambda text: {"S": text}, st.text(max_size=12)),
    st.builds(lambda text: {"N": text}, numbers),
    st.builds(lambda text: {"B": text}, binaries),
    st.just({"NULL": True}),
    st.builds(lambda flag: {"BOOL": flag}, st.booleans()),
    st.builds(lambda items: {"SS": items}, st.lists(st.text(max_size=6), min_size=1, max_size=4, unique=True)),
    st.builds(lambda items: {"NS": items}, st.lists(numbers, min_size=1, max_size=4, unique_by=Decimal)),
    st.builds(
        lambda items: {"BS": [base64.b64encode(raw).decode() for raw in items]},
        st.lists(st.binary(max_size=6), min_size=1, max_size=4, unique=True),
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.builds(lambda items: {"L": items}, st.lists(inner, max_size=3)),
        st.builds(lambda entries: {"M": entries}, st.dictionaries(names, inner, max_size=3)),
    ),
    max_leaves=12,
)
items = st.dictionaries(names, values, min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(item=items, name=names, value=values)
def test_generated_items_are_valid_and_sizes_add_up(item: dict[str, Any], name: str, value: dict[str, Any]) -> None:
    assert validate_item(item) == []
    size = item_size(item)
    assert size > 0
    for attribute in item.values():
        plain_value(attribute)  # converts without complaint
    if name in item:
        return
    grown = {**item, name: value}
    assert validate_item(grown) == []
    assert item_size(grown) == size + item_size({name: value})
    assert item_size(grown) > size


def test_item_problem_is_a_plain_value_object() -> None:
    assert ItemProblem("a.S", "x") == ItemProblem("a.S", "x")
    with pytest.raises(AttributeError):
        ItemProblem("a", "b").path = "c"  # type: ignore[misc]

"""The hand-written parser against Lark: the same tree, or it declines; never a file Lark rejects.

Trees are compared by ``repr``, which tells ``1`` from ``1.0`` and ``True``
and keeps the order of attributes, where dataclass equality would not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.parse.compat import hcl2_parser
from ddblint.parse.depth import room_for_deep_trees
from ddblint.parse.hcl import parse_body, parse_body_with_lark
from ddblint.parse.subset import (
    ESCAPED_DIRECTIVE,
    ESCAPED_INTERPOLATION,
    HEREDOC_TEMPLATE,
    HEREDOC_TEMPLATE_TRIM,
    IGNORED,
    INT_LITERAL,
    NAME,
    STRING_CHARS,
    parse_subset,
)
from tests.benchmarks.generate_repo import generate

ROOT = Path(__file__).resolve().parent.parent


def lark_tree(text: str) -> str | None:
    """The Lark path's tree as text, or None where it rejects the file."""
    try:
        with room_for_deep_trees():
            return repr(parse_body_with_lark(text))
    except Exception:  # noqa: BLE001 - any failure of the Lark path is a rejection
        return None


def agrees(text: str) -> bool:
    """Whether the fast path took the file; fails the test where it differs from Lark."""
    fast = parse_subset(text, strict=True)
    if fast is None:
        return False
    expected = lark_tree(text)
    assert expected is not None, f"the fast path accepted what Lark rejects: {text!r}"
    assert repr(fast) == expected, f"trees differ for {text!r}"
    return True


def test_token_patterns_are_the_grammars() -> None:
    # Lark keeps some escapes (\r, \n, \t) as the characters themselves, which mean the same in a regex
    terminals = {
        terminal.name: terminal.pattern.value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
        for terminal in hcl2_parser().terminals
    }
    assert terminals["NAME"] == NAME
    assert terminals["STRING_CHARS"] == STRING_CHARS
    assert terminals["ESCAPED_INTERPOLATION"] == ESCAPED_INTERPOLATION
    assert terminals["ESCAPED_DIRECTIVE"] == ESCAPED_DIRECTIVE
    assert terminals["HEREDOC_TEMPLATE"] == HEREDOC_TEMPLATE
    assert terminals["HEREDOC_TEMPLATE_TRIM"] == HEREDOC_TEMPLATE_TRIM
    assert terminals["INT_LITERAL"] == INT_LITERAL
    assert IGNORED in terminals.values()


def _repository_files() -> list[Path]:
    found = [
        p for top in ("fixtures", "tests") for p in sorted((ROOT / top).rglob("*")) if p.suffix in (".tf", ".tfvars")
    ]
    assert len(found) > 50
    return found


def test_every_fixture_parses_the_same() -> None:
    taken = 0
    for path in _repository_files():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (UnicodeDecodeError, OSError):
            continue
        taken += agrees(text)
    assert taken >= 80  # the fast path reads almost all of them


def test_benchmark_tree_parses_the_same(tmp_path: Path) -> None:
    generate(tmp_path / "repo", modules=20, seed=3, all_items=True)
    files = sorted(p for p in (tmp_path / "repo").rglob("*") if p.suffix in (".tf", ".tfvars"))
    taken = sum(agrees(path.read_text(encoding="utf-8")) for path in files)
    assert taken == len([p for p in files if lark_tree(p.read_text(encoding="utf-8")) is not None])


def test_findings_on_a_benchmark_tree_are_those_of_lark_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = generate(tmp_path / "repo", modules=60, seed=5)
    relevant = sorted(repo.relevant_dirs)[0]
    (tmp_path / "repo" / relevant / "broken.tf").write_text("locals {\n  a = [1 2]\n}\n")
    (tmp_path / "repo" / relevant / "splat.tf").write_text('output "ids" {\n  value = aws_x.y[*].id\n}\n')
    settings = Settings(cache=False, jobs=1)
    fast = lint([str(tmp_path / "repo")], settings)
    monkeypatch.setattr("ddblint.parse.file.parse_subset", lambda text, strict=False: None)
    lark = lint([str(tmp_path / "repo")], settings)
    assert len(fast.findings) >= 5 and {f.rule_id for f in fast.findings} >= {"DDB000", "DDB001"}
    assert repr(fast.findings) == repr(lark.findings)


ACCEPTED = [
    "",
    "\n\n",
    'a = 1\nb = -2\nc = 1.5e3\nd = -0.5\ne = 007\nf = "x"\n',
    'locals {\n  m = {\n    "k-1" = { a = 1, b = [true, false, null] }\n    k2    = { "x": "y" }\n  }\n}\n',
    'resource "aws_x" "y" {\n  for_each = local.m\n  name     = "${var.p}-${each.key}"\n'
    "  tags     = merge(var.t, { A = 1 })\n}\n",
    'a = "\\u00e9\\n\\t\\"\\\\ $${x} %%{y} $$$ %% \\q"\n',
    "a = <<EOT\nline ${var.x}\n  two\nEOT\nb = <<-EOT\n    one\n      two\n    EOT\n",
    "a = <<EOT\nno newline at the end\nEOT",
    "a = x ? 1 : 2\nb = !c && d || e == f\nc = 1 + 2 * 3 - 4 / 5 % 6\nd = a <= b\ne = -x.y\n",
    'a = [for k, v in m : v if k != "x"]\nb = { for r in l : r.id => r... if r.ok }\n',
    'a = f(x...)\nb = f(\n  1,\n  2,\n)\nc = g()\nd = x[0]["k"].y\n',
    'a = { (var.k) = 1, "${k}" = 2 }\nb = ((1))\n',
    "a = -true\nb = - 5\nc = -55\n",
    "# comment\n// another\n/* block\ncomment */\nx {\n  # inside\n  a = 1 # trailing\n}\n",
    "a = 1 /* c */ b = 2\n",
    'a = "x"\r\nb = {\r\n  c = 1\r\n}\r\n',
    'x "a" b {}\ny { a = 1 }\n',
    "a = x +\n  y\n",
    "a = <<EOT\r\nx\r\nEOT\r\nb = <<-EOT\r\n   x ${y}\r\n   EOT\r\n",
    "a = [<<EOT\nq\nEOT\n, 1]\nb = f(<<EOT\nq\nEOT\n)\nc = { d = <<EOT\nq\nEOT\n}\nx {\n  a = <<EOT\nq\nEOT\n}\n",
    "a = <<EOT\nq\nEOTX\n  EOT\nb = <<EOT\nEOT\n",
    "a = [for x in y :\n  x\n]\nb = {\n  for k, v in m :\n  k => v\n}\nc = f(\n  x...\n)\n",
    "a = x - -1\nb = 1e999\nc = -" + "9" * 400 + "\n",
    'a = { "" = 1, b: null, "c" = false, d = 10, e-f = "g" # h\n  i = "" }\n',
]

DECLINED_OR_SAME = [
    "a = x\n  + y\n",
    "a = x # c\n  * y\n",
    "a = x\n  ? 1\n  : 2\n",
    "a = b.*.c\nd = e[*].f\n",
    "a = b.0\n",
    'a = "%{ if x }y%{ endif }"\n',
    "a = provider::p::f(1)\n",
    "in = 1\n",
    "a = { in = 1 }\n",
    "a = { true = 1 }\n",
    "a = { for = 1, null = 2, if: 3 }\n",
    'a = { b := 1, c => 2, d == 3, e = 1x, f = "$", g = "%" }\n',
    "a = 1 b = 2\n",
    "a {} b {}\n",
    'a = "${~ x ~}"\n',
    'a = "line\nbreak"\n',
    'a = \\"x\\"\n',
    "a = <<EOT\nx\nEOT\n[0]\n",
    "a = <<EOT\nx\nEOT\n- 1\n",
    "a = f(1\n, 2)\n",
    "a = 1.\n",
    "a = 1.x\n",
    "a = -55[0]\n",
    'a = "\\U00110000"\n',
    "a = [" * 300 + "]" * 300 + "\n",
    "a = \u00b2\nb = [1, \u0663]\nc = x.\u00e9\n",
    'a = "x".y\nb = "x"[0]\nc = 1 ? "x" : 2\nd = f("x" , 2)\ne = "x" # c\n',
]

REJECTED = [
    "a = \n",
    "a = 1 +\n",
    "a = f(a\n,)\n",
    "a {\n",
    "a = [1 2]\n",
    'a = "unclosed\n',
    "a = { b = 1 c }\n",
    "a = ${x}\n",
    "a = 1 = 2\n",
    "a = b..c\n",
    "a = <<EOT\nnever closed\n",
    "a = /* c */ 1\n",
    "= 1\n",
    "a == 1\n",
    'a = "x" "y"\n',
    "a = x y\n",
    "}\n",
    "a = [for x in y]\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_common_forms_are_read_by_the_fast_path(text: str) -> None:
    assert agrees(text)


@pytest.mark.parametrize("text", DECLINED_OR_SAME)
def test_quirks_are_left_to_lark_or_agree(text: str) -> None:
    agrees(text)


@pytest.mark.parametrize("text", REJECTED)
def test_what_lark_rejects_is_declined(text: str) -> None:
    assert lark_tree(text) is None
    assert parse_subset(text) is None


def test_parse_body_falls_back_to_lark() -> None:
    blocks, attributes = parse_body("a = b.*.c\n")
    assert attributes["a"].source == "b.*.c"
    assert parse_subset("a = b.*.c\n") is None


# -- generated HCL, and the same with random damage ---------------------------

_NAMES = st.sampled_from(["a", "b_2", "x-y", "var", "local", "each", "k", "truthy", "format", "in", "null"])
_STRING_PIECES = st.sampled_from(
    [
        "abc",
        " ",
        "\\n",
        '\\"',
        "\\\\",
        "\\u00e9",
        "\\U0001F600",
        "$${x}",
        "%%{y}",
        "$",
        "%",
        "${var.a}",
        "${f(1)}",
        "#",
        "//",
    ]
)
_STRINGS = st.lists(_STRING_PIECES, max_size=4).map(lambda parts: '"' + "".join(parts) + '"')
_NUMBERS = st.sampled_from(["0", "1", "-1", "42", "-42", "007", "1.5", "-0.5", "1e3", "2.5E-2", "99999999999999999999"])


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    elements = st.tuples(st.one_of(_NAMES, _STRINGS, inner.map(lambda t: f"({t})")), inner)
    return st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(inner, max_size=3).map(lambda items: "[\n" + "".join(f"  {i},\n" for i in items) + "]"),
        st.lists(elements, max_size=3).map(lambda es: "{ " + ", ".join(f"{k} = {v}" for k, v in es) + " }"),
        st.lists(elements, max_size=3).map(lambda es: "{\n" + "".join(f"  {k}: {v}\n" for k, v in es) + "}"),
        st.tuples(_NAMES, st.lists(inner, max_size=2)).map(lambda c: f"{c[0]}({', '.join(c[1])})"),
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]), inner).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"
        ),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        st.tuples(st.sampled_from(["-", "!"]), inner).map(lambda t: t[0] + t[1]),
        st.tuples(inner, _NAMES).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(_NAMES, inner, inner).map(lambda t: f"[for {t[0]} in {t[1]} : {t[2]}]"),
        st.tuples(_NAMES, inner, inner).map(lambda t: f"{{ for k, {t[0]} in {t[1]} : k => {t[2]} if true }}"),
    )


_EXPRESSIONS = st.recursive(
    st.one_of(_NAMES, _STRINGS, _NUMBERS, st.sampled_from(["true", "false", "null", "<<EOT\nx ${a}\nEOT\n"])),
    _compound,
    max_leaves=8,
)
_ATTRIBUTES = st.tuples(_NAMES, _EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}\n")
_BLOCKS = st.tuples(_NAMES, st.lists(st.one_of(_NAMES, _STRINGS), max_size=2), st.lists(_ATTRIBUTES, max_size=3)).map(
    lambda t: " ".join([t[0], *t[1]]) + " {\n" + "".join("  " + a for a in t[2]) + "}\n"
)
_FILES = st.lists(st.one_of(_ATTRIBUTES, _BLOCKS, st.sampled_from(["# note\n", "\n", "/* c */\n"])), max_size=4).map(
    "".join
)
_DAMAGE = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from(["", *'"{}[]()=,.:?\n#/*-+!<>$%\\~ 0a']), st.booleans()),
    max_size=3,
)


def _damaged(text: str, damage: list[tuple[int, str, bool]]) -> str:
    for where, char, replace in damage:
        at = where % (len(text) + 1)
        text = text[:at] + char + text[at + (1 if replace else 0) :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FILES, _DAMAGE)
def test_generated_files_agree(text: str, damage: list[tuple[int, str, bool]]) -> None:
    agrees(text)
    agrees(_damaged(text, damage))

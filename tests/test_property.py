"""Whatever bytes a pull request holds, ddblint answers with findings or a clear error, never a crash.

Mutated fixtures (characters HCL gives meaning to, inserted, cut, doubled and
swapped) and random bytes go through the whole pipeline, via the library and
via the command line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddblint.api import lint
from ddblint.catalog.entries import load_catalog
from ddblint.cli import main
from ddblint.config.settings import Settings
from ddblint.evaluate.functions import ARITY, FUNCTIONS
from ddblint.result import Result
from tests.conftest import FIXTURES

SEEDS = sorted({p.read_text(encoding="utf-8") for p in FIXTURES.rglob("*.tf")})
FRAGMENTS = [
    *'{}[]()"=$%~\\\n#/*<>.,:?!-+ ',
    "${",
    "%{ if x }",
    "<<-EOT\n",
    "\nEOT\n",
    "aws_dynamodb_table_item",
    "for_each = ",
    "count = ",
    'module "m" { source = "./" }\n',
    'file("../../../etc/passwd")',
    "range(1e12)",
    "local.a",
    "each.value",
    "...",
    "\u00e9",
    "\ufeff",
]
MARKER = b'# resource "aws_dynamodb_table_item"\n'  # so the prefilter lets random bytes through to the parser

examples = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@st.composite
def mutated_hcl(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 120)))
        edit = draw(st.sampled_from(["cut", "insert", "double", "swap"]))
        if edit == "cut":
            text = text[:start] + text[end:]
        elif edit == "insert":
            text = text[:start] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=4)) + text[start:]
        elif edit == "double":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[end:] + text[start:end] + text[:start]
    return text


@contextlib.contextmanager
def module_holding(files: dict[str, bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "app"
        directory.mkdir()
        (directory / "users.json").write_text('[{"id": "a"}, {"id": "b"}]')
        for name, content in files.items():
            (directory / name).write_bytes(content)
        yield directory


def assert_clean(result: Result) -> None:
    rules = load_catalog()
    assert result.internal_errors == []
    for finding in result.findings:
        assert finding.rule_id in rules
        assert finding.message and "Traceback" not in finding.message
        assert finding.span.line >= 1 and finding.span.column >= 1


@examples
@given(text=mutated_hcl())
def test_mutated_hcl_gives_findings(text: str) -> None:
    with module_holding({"main.tf": text.encode("utf-8", "surrogatepass")}) as directory:
        assert_clean(lint([str(directory)], Settings(cache=False)))


@examples
@given(data=st.binary(max_size=3000), name=st.sampled_from(["main.tf", "main.tf.json", "terraform.tfvars"]))
def test_random_bytes_give_findings(data: bytes, name: str) -> None:
    with module_holding({name: MARKER + data, "items.tf": MARKER}) as directory:
        assert_clean(lint([str(directory)], Settings(cache=False)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_hcl(), report=st.sampled_from(["full", "concise", "json", "sarif", "github"]))
def test_the_command_line_exits_cleanly(text: str, report: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    files = {"main.tf": text.encode("utf-8", "surrogatepass")}
    with module_holding(files) as directory, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(directory), "--format", report, "--no-cache"])
        except SystemExit as stopped:
            code = stopped.code
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()


# -- expressions as rich as what a pull request can write ------------------------------------
# DDBLINT_PROPERTY_EXAMPLES sets how many generated modules test_generated_expressions_*
# tries (CI keeps the default; a long run: DDBLINT_PROPERTY_EXAMPLES=20000).
GENERATED_EXAMPLES = int(os.environ.get("DDBLINT_PROPERTY_EXAMPLES", "300"))
NUMBERS = ["0", "1", "-1", "2.5", "1e400", "-1e400", "9" * 400, "9" * 5000, "(1e308 * 10)", "(1e400 - 1e400)"]
STRINGS = [
    '""',
    '"a,b"',
    '"\\u0069"',
    '"\\ud800"',
    '"\\udfff"',
    '"\\U00110000"',
    '"\\n\\t\\"\\\\"',
    '"${var.unknown}"',
    '"x${1e400}"',
    '"%{ if true }x%{ endif }"',
    '"/(a|a)*$/"',
    '"/(?=x)/"',
    '"$1 $${x} $$"',
    '"[z-a]*"',
    '"%0000000000000000000000000000000000000005d"',
    '"%99999999999999999999d %s %v %q"',
    '"nan"',
    '"inf"',
    '"500"',
    '"a\\u0000b"',
]
ODD_DOCUMENTS = [  # text for yamldecode, jsondecode and csvdecode
    '"a: 2001-02-03"',
    '"a: !!binary aGk="',
    '"!!set {a, b}"',
    '"1: a\\ntrue: b"',
    '"? [1, 2]\\n: x"',
    '"a: 1\\na: 2"',
    f'"a: {"9" * 5000}"',
    '"[1e400, -0]"',
    '"{\\"a\\": 1, \\"a\\": 2}"',
    f'"{"[" * 3000}{"]" * 3000}"',
    '"\\"\\\\ud800\\""',
    f'"a\\n{"x" * 140_000}"',
]
LEAVES = [
    "var.unknown",
    "var.n",
    "var.list",
    "each.value",
    "each.key",
    "count.index",
    "local.l",
    "null",
    "true",
    "path.module",
    "aws_dynamodb_table.t.name",
    "data.x.y.z",
]
CALLABLE = sorted(FUNCTIONS) + ["timestamp", "uuid", "no_such_function"]


def _call(draw: st.DrawFn, arguments: st.SearchStrategy[str]) -> str:
    name = draw(st.sampled_from(CALLABLE))
    fewest, most = ARITY.get(FUNCTIONS.get(name, _no_function), (0, 2))
    count = draw(st.integers(max(0, fewest - 2), (most if most is not None else fewest) + 2))  # wrong arity too
    expand = "..." if count and draw(st.booleans()) else ""
    return f"{name}({', '.join(draw(arguments) for _ in range(count))}{expand})"


def _no_function(args: list[Any], files: Any) -> Any:  # stands for names ddblint does not evaluate
    return None


_SHAPES = (  # every way _compound combines expressions; {a}, {b}, {c} are smaller expressions
    "[{a}, {b}]",
    "{{ k = {a}, {key} = {b} }}",
    "({a} {operator} {b})",
    "({a} ? {b} : {c})",
    "{a}[{b}]",
    "[for x in {a} : {b}]",
    "{{ for k, v in {a} : k => {b} }}",
    "{a}[*].x",
    "!{a}",
    "-{a}",
    "{decoder}({b})",
    '"${{{a}}}-{text}"',
)


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        if draw(st.integers(0, len(_SHAPES))) == 0:
            return _call(draw, children)
        return draw(st.sampled_from(_SHAPES)).format(
            a=draw(children),
            b=draw(children),
            c=draw(children),
            key=draw(st.sampled_from(["k", "j", "1"])),
            operator=draw(st.sampled_from(["+", "-", "*", "/", "%", "==", "<", "&&"])),
            decoder=draw(st.sampled_from(["yamldecode", "jsondecode", "csvdecode"])),
            text=draw(st.sampled_from(STRINGS))[1:-1],
        )

    return build()


EXPRESSIONS = st.recursive(st.sampled_from(NUMBERS + STRINGS + ODD_DOCUMENTS + LEAVES), _compound, max_leaves=10)


@st.composite
def generated_module(draw: st.DrawFn) -> dict[str, bytes]:
    local, key, value = (draw(EXPRESSIONS) for _ in range(3))
    meta_name = draw(st.sampled_from(["count", "for_each"]))
    known = "2" if meta_name == "count" else 'toset(["a", "b"])'  # so the item itself is evaluated too
    meta = draw(st.sampled_from([known, known, f"length([{local}, local.l])" if meta_name == "count" else known]))
    if draw(st.booleans()):
        meta = draw(EXPRESSIONS)
    main = (
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  hash_key = "id"\n'
        '  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n'
        'variable "unknown" {}\nvariable "n" {\n  default = "3"\n}\n'
        'variable "list" {\n  default = [1, "a", null]\n}\n'
        f"locals {{\n  l = {local}\n}}\n"
        'resource "aws_dynamodb_table_item" "generated" {\n'
        f'  {meta_name} = {meta}\n  table_name = aws_dynamodb_table.t.name\n  hash_key = "id"\n'
        f"  item = jsonencode({{ id = {{ S = {key} }}, v = {{ S = tostring({value}) }} }})\n}}\n"
    )
    files = {"main.tf": main.encode("utf-8", "surrogatepass")}
    if draw(st.booleans()):
        document = {
            "resource": [
                {
                    "aws_dynamodb_table_item": {
                        "json": {
                            "count": draw(st.sampled_from([5, 1e308, -1, "500", None, [1]])),
                            "table_name": "t",
                            "hash_key": "id",
                            "item": "${" + value + "}",
                        }
                    }
                }
            ],
            "locals": draw(st.sampled_from([{"a": 1}, "x", None, [1], [{"b": "${" + local + "}"}]])),
        }
        files["extra.tf.json"] = json.dumps(document).encode()
    return files


def _render_everywhere(result: Result, cwd: str) -> None:
    """Every reporter on the result; the machine formats must also be UTF-8 JSON."""
    from ddblint.report import FORMATS, ReportOptions, get_reporter

    for name in FORMATS:
        stream = io.StringIO()
        get_reporter(name)(result, stream, ReportOptions(cwd=cwd, color=False))
        text = stream.getvalue()
        if name in ("json", "sarif", "gitlab"):
            json.loads(text.encode("utf-8").decode("utf-8"))


@settings(
    max_examples=GENERATED_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(files=generated_module())
def test_generated_expressions_never_crash_any_reporter(files: dict[str, bytes]) -> None:
    with module_holding(files) as directory:
        result = lint([str(directory)], Settings(cache=False, jobs=1))
        assert_clean(result)
        _render_everywhere(result, str(directory))

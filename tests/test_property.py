"""Whatever bytes a pull request holds, ddblint answers with findings or a clear error, never a crash.

Mutated fixtures (characters HCL gives meaning to, inserted, cut, doubled and
swapped) and random bytes go through the whole pipeline, via the library and
via the command line.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddblint.api import lint
from ddblint.catalog.entries import load_catalog
from ddblint.cli import main
from ddblint.config.settings import Settings
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

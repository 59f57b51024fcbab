"""Files and settings written to break a run: each is a DDB000 for its file or a one-line error, never a crash.

Point by point: what the file holds, and the one thing ddblint says about it.
Every other module's findings still come out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ddblint.cli import main
from ddblint.state.read import StateFileError, read_state
from tests.test_hostile import TABLE, item, messages, module, run

ITEMS = item("many", "count = 50")


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--no-cache"])
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize(
    ("escape", "problem"),
    [("\\U00110000", "invalid escape \\U00110000: not a Unicode character"), ("\\ud800", None)],
)
def test_bad_unicode_escapes_are_a_syntax_error_or_the_replacement_character(
    tmp_path: Path, escape: str, problem: str | None
) -> None:
    bad = item("odd", "count = 1").replace('{ S = "x" }', f'{{ S = "{escape}" }}')
    result = run(module(tmp_path, {"main.tf": TABLE + ITEMS, "odd.tf": bad}))
    assert len(messages(result, "DDB001")) == 1
    found = messages(result, "DDB000")
    assert found == ([f"syntax error: {problem}"] if problem else [])


@pytest.mark.parametrize("locals_value", ['"x"', "1", "null", "[1]", '[{"a": 1}, 2]'])
def test_tf_json_locals_of_the_wrong_type_are_a_finding_for_that_file(tmp_path: Path, locals_value: str) -> None:
    result = run(module(tmp_path, {"main.tf": TABLE + ITEMS, "odd.tf.json": f'{{"locals": {locals_value}}}'}))
    assert messages(result, "DDB000") == ['syntax error: "locals" must be a JSON object or an array of objects']
    assert len(messages(result, "DDB001")) == 1


@pytest.mark.parametrize("report", ["json", "sarif"])
def test_a_file_name_that_is_not_utf8_is_reported_in_json_and_sarif(
    tmp_path: Path, report: str, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS})
    with open(os.path.join(os.fsencode(directory), b"bad\xff.tf"), "wb") as handle:
        handle.write(b"}")
    code, out, err = cli([str(directory), "--format", report], capsys)
    assert code == 1, err
    if report == "sarif":
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]
        }
        assert "bad%FF.tf" in uris
    if report == "json":
        assert {f["rule"] for f in json.loads(out)["findings"]} == {"DDB000", "DDB001"}


def test_toml_nested_3000_deep_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS})
    (directory / "pyproject.toml").write_text("[tool.ddblint]\nx = " + "[" * 3000 + "]" * 3000 + "\n")
    code, _, err = cli([str(directory)], capsys)
    assert code == 2 and "pyproject.toml" in err and "invalid TOML" in err


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nests too deeply"),
        ('{"version": 1, "findings": [], "n": ' + "9" * 5000 + "}", None),
    ],
)
def test_a_baseline_nested_100000_deep_or_with_huge_numbers_is_handled(
    tmp_path: Path, document: str, expected: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS})
    (tmp_path / "baseline.json").write_text(document)
    code, _, err = cli([str(directory), "--baseline", str(tmp_path / "baseline.json")], capsys)
    if expected is None:
        assert code == 1 and "error" not in err
    else:
        assert code == 2 and expected in err and "internal error" not in err


@pytest.mark.parametrize("children", ['"x"', "5", '{"a": 1}', '["x"]', '[{"resources": 7}]'])
def test_malformed_child_modules_in_state_are_a_clear_error(tmp_path: Path, children: str) -> None:
    state = tmp_path / "show.json"
    state.write_text(f'{{"format_version": "1.0", "values": {{"root_module": {{"child_modules": {children}}}}}}}')
    with pytest.raises(StateFileError, match="show.json: root_module"):
        read_state(str(state))


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_parse_timeout_that_is_not_a_finite_number_is_a_usage_error(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli([str(module(tmp_path, {"main.tf": TABLE + ITEMS})), "--parse-timeout", value], capsys)
    assert code == 2 and "--parse-timeout must be a finite number" in err


def test_a_named_pipe_where_a_terraform_file_should_be_is_not_a_regular_file(tmp_path: Path) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS})
    os.mkfifo(directory / "pipe.tf")
    os.mkfifo(directory / "terraform.tfvars")
    result = run(directory)
    assert messages(result, "DDB000") == ["not a regular file (a named pipe, socket or device); not read"] * 2
    assert len(messages(result, "DDB001")) == 1


@pytest.mark.parametrize("until", ["20990101", "2099-W01-1", "2099-1-1", "tomorrow"])
def test_until_accepts_only_year_month_day(tmp_path: Path, until: str) -> None:
    suppressed = f"# ddblint:ignore DDB001 until={until} -- moving to the app\n" + ITEMS
    result = run(module(tmp_path, {"main.tf": TABLE + suppressed}))
    assert len(messages(result, "DDB001")) == 1  # not suppressed: the directive is reported instead
    assert any(f"until={until} is not a date" in f.message for f in result.findings)


@pytest.mark.parametrize("config", ["rules:\n  DDB001:\n    max-items: 0\n", "rules:\n  DDB001:\n    max-items: -5\n"])
def test_max_items_must_be_positive(tmp_path: Path, config: str, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS, ".ddblint.yaml": config})
    code, _, err = cli([str(directory)], capsys)
    assert code == 2 and "must be of type positive int" in err
    code, _, err = cli([str(directory), "--isolated", "--max-items", "0"], capsys)
    assert code == 2


def test_duplicate_keys_in_the_config_are_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS, ".ddblint.yaml": "fail-on: error\nfail-on: never\n"})
    code, _, err = cli([str(directory)], capsys)
    assert code == 2 and ".ddblint.yaml:2" in err and "given twice" in err


def test_a_bom_is_accepted_the_same_in_config_and_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS})
    (directory / ".ddblint.yaml").write_bytes(b"\xef\xbb\xbffail-on: error\n")
    (tmp_path / "baseline.json").write_bytes(b'\xef\xbb\xbf{"version": 1, "findings": []}')
    code, _, err = cli([str(directory), "--baseline", str(tmp_path / "baseline.json")], capsys)
    assert code == 0, err  # fail-on: error was read, so the warning does not fail the run


@pytest.mark.parametrize(
    "argv",
    [[""], ["-q", ""], ["--no-cache", ""], ["--show-suppressed", ".", ""], ["--format=json", ""], [".", "--", ""]],
    ids=lambda argv: " ".join(map(repr, argv)),
)
def test_an_empty_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """After a flag or ``--`` an empty argument is a path too, not an option's value."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2 and "empty path" in capsys.readouterr().err


def test_an_empty_option_value_is_left_to_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli([str(module(tmp_path, {"main.tf": TABLE})), "--cache-dir", ""], capsys)
    assert "empty path" not in err, err


def test_the_flags_the_empty_path_check_knows_are_check_s_own() -> None:
    import inspect

    import typer

    from ddblint.cli import CHECK_FLAGS
    from ddblint.cli import check as check_command

    signature = inspect.signature(check_command.check, eval_str=True, locals={"typer": typer})
    flags = set()
    for parameter in signature.parameters.values():
        if parameter.default is False:
            (info,) = [m for m in getattr(parameter.annotation, "__metadata__", ()) if hasattr(m, "param_decls")]
            flags |= {d for d in info.param_decls if d.startswith("-")} | (
                {info.default} if isinstance(info.default, str) and info.default.startswith("-") else set()
            )
    assert flags == CHECK_FLAGS


def test_ctrl_c_ends_the_run_with_130_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ddblint.cli as cli_module

    def interrupted(paths: list[str]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "_check_paths", interrupted)
    with pytest.raises(SystemExit) as stopped:
        main(["."])
    assert stopped.value.code == 130 and "Traceback" not in capsys.readouterr().err


def test_a_hostile_file_ddblint_cannot_handle_names_the_file_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a parser bug a file triggers, the finding is on that file and says what went wrong."""
    from ddblint.parse import file as parse_file_module

    directory = module(tmp_path, {"main.tf": TABLE + ITEMS, "odd.tf": "# aws_dynamodb_table_item\n"})
    real = parse_file_module.parse_subset

    def fails_on_odd(text: str) -> object:
        if text.startswith("# aws"):
            raise LookupError("what a grammar bug would raise")
        return real(text)

    monkeypatch.setattr(parse_file_module, "parse_subset", fails_on_odd)
    result = run(directory, jobs=1)
    odd = [f for f in result.findings if f.rule_id == "DDB000"]
    assert [(Path(f.span.path).name, f.message) for f in odd] == [
        ("odd.tf", "ddblint cannot analyse this file (LookupError: what a grammar bug would raise); skipped")
    ]
    assert len(messages(result, "DDB001")) == 1


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".ddblint.yaml", "rules:\n  DDB001:\n    max-items: " + "9" * 5000 + "\n", "not a number too large to hold"),
        ("pyproject.toml", "[tool.ddblint]\nfail-on = " + "9" * 5000 + "\n", "an integer too long to read"),
    ],
)
def test_integers_past_pythons_digit_limit_in_config_are_config_errors(
    tmp_path: Path, name: str, text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = module(tmp_path, {"main.tf": TABLE + ITEMS, name: text})
    code, _, err = cli([str(directory)], capsys)
    assert code == 2 and name in err and expected in err

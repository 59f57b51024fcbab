"""Configuration: discovery, precedence, per-rule and per-path settings, and precise errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.cli import main
from ddblint.config.effective import CommandLine, Effective, describe, effective_settings, rebase_glob
from ddblint.config.locate import find_config
from ddblint.config.settings import path_matches
from ddblint.findings import Severity
from ddblint.result import Result
from tests.plans_module import plans_tf, write_module

CONFIG = ".ddblint.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root and the current directory: the config search stops here, messages are relative to it."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _effective(target: Path, command_line: CommandLine | None = None) -> Effective:
    return effective_settings([str(target)], command_line or CommandLine(), cwd=str(target))


def _lint_with_config(target: Path, command_line: CommandLine | None = None) -> Result:
    return lint([str(target)], replace(_effective(target, command_line).settings, cache=False))


def _active(result: Result) -> list[tuple[str, str]]:
    return sorted((f.rule_id, f.address) for f in result.findings if not f.suppressed)


def _cli(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--no-cache"] if args and args[0] != "config" else args)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


# -- finding the file -------------------------------------------------------


def test_the_nearest_config_file_wins(repo: Path) -> None:
    _write(repo / CONFIG, "fail-on: error\n")
    nearer = _write(repo / "stacks" / ".ddblint.yml", "fail-on: note\n")
    (repo / "stacks" / "app").mkdir()
    assert find_config(str(repo / "stacks" / "app")) == str(nearer)
    assert find_config(str(repo / "other")) == str(repo / CONFIG)


def test_pyproject_counts_only_with_a_tool_ddblint_table(repo: Path) -> None:
    _write(repo / "pyproject.toml", '[tool.ddblint]\nfail-on = "error"\n')
    _write(repo / "svc" / "pyproject.toml", '[project]\nname = "svc"\n')
    assert find_config(str(repo / "svc")) == str(repo / "pyproject.toml")


def test_a_yaml_file_beats_pyproject_in_the_same_directory(repo: Path) -> None:
    _write(repo / "pyproject.toml", '[tool.ddblint]\nfail-on = "error"\n')
    _write(repo / CONFIG, "fail-on: note\n")
    assert find_config(str(repo)) == str(repo / CONFIG)


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    _write(tmp_path / CONFIG, "fail-on: error\n")
    (tmp_path / "checkout" / ".git").mkdir(parents=True)
    assert find_config(str(tmp_path / "checkout")) is None


# -- precedence and origins ------------------------------------------------


def test_flags_override_the_file_and_each_value_says_where_it_came_from(repo: Path) -> None:
    _write(repo / CONFIG, "ignore: [DDB003]\nfail-on: error\nrules:\n  DDB001:\n    max-items: 5\n")
    effective = _effective(repo, CommandLine(fail_on="note"))
    assert effective.settings.fail_on is Severity.NOTE
    text = describe(effective)
    assert "config file: .ddblint.yaml" in text
    assert _row(text, "ignore") == ("DDB003", ".ddblint.yaml:1")
    assert _row(text, "fail-on") == ("note", "command line (--fail-on)")
    assert _row(text, "rules.DDB001.max-items") == ("5", ".ddblint.yaml:5")
    assert _row(text, "max-file-size")[1] == "default"


def _row(text: str, name: str) -> tuple[str, str]:
    line = next(line for line in text.splitlines() if line.split("  ", 1)[0].strip() == name)
    value, origin = line[len(name) :].rsplit("# ", 1)
    return value.strip(), origin.strip()


def test_isolated_ignores_config_files(repo: Path) -> None:
    _write(repo / CONFIG, "fail-on: error\n")
    effective = _effective(repo, CommandLine(isolated=True))
    assert effective.config_file is None
    assert effective.settings.fail_on is Severity.WARNING


def test_an_explicit_config_file_replaces_the_search(repo: Path) -> None:
    _write(repo / CONFIG, "fail-on: error\n")
    chosen = _write(repo / "ci" / "strict.yaml", "fail-on: note\n")
    effective = _effective(repo, CommandLine(config=str(chosen)))
    assert effective.settings.fail_on is Severity.NOTE
    assert effective.config_file == str(chosen)


def test_pyproject_settings_and_their_lines(repo: Path) -> None:
    _write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.ddblint]\nfail-on = "error"\n\n'
           '[tool.ddblint.rules.DDB001]\nseverity = "error"\nmax-items = 3\n')  # fmt: skip
    effective = _effective(repo)
    assert effective.settings.fail_on is Severity.ERROR
    assert effective.settings.severities == {"DDB001": Severity.ERROR}
    assert _row(describe(effective), "rules.DDB001.max-items") == ("3", "pyproject.toml:9")


# -- what the settings do ----------------------------------------------------


def test_ignore_takes_prefixes_and_select_narrows(repo: Path) -> None:
    write_module(repo, plans_tf(above="# ddblint:ignore DDB001"))  # also a DDB091
    assert [r for r, _ in _active(_lint_with_config(repo))] == ["DDB091"]
    _write(repo / CONFIG, "ignore: [DDB09]\n")
    assert _active(_lint_with_config(repo)) == []
    _write(repo / CONFIG, "select: [DDB001]\n")
    assert _active(_lint_with_config(repo)) == []


def test_require_reason_false_turns_the_missing_reason_warning_off(repo: Path) -> None:
    write_module(repo, plans_tf(above="# ddblint:ignore DDB001"))
    _write(repo / CONFIG, "require-reason: false\n")
    assert _active(_lint_with_config(repo)) == []


def test_rule_severity_and_options(repo: Path) -> None:
    write_module(repo, plans_tf(count=12))
    _write(repo / CONFIG, "rules:\n  DDB001: {severity: error}\n")
    assert [f.severity for f in _lint_with_config(repo).findings] == [Severity.ERROR]
    _write(repo / CONFIG, "rules:\n  DDB001: {max-items: 12}\n")
    assert _lint_with_config(repo).findings == []


def test_overrides_make_some_paths_stricter(repo: Path) -> None:
    write_module(repo / "modules" / "prod", plans_tf(count=5))
    write_module(repo / "modules" / "dev", plans_tf(count=5))
    _write(
        repo / CONFIG,
        'overrides:\n  - paths: ["modules/prod/**"]\n    rules:\n      DDB001: {max-items: 3, severity: error}\n',
    )
    result = _lint_with_config(repo)
    assert [(Path(f.span.path).parent.name, f.severity) for f in result.findings] == [("prod", Severity.ERROR)]


def test_an_override_can_turn_a_rule_off_for_some_paths(repo: Path) -> None:
    write_module(repo / "legacy", plans_tf())
    write_module(repo / "app", plans_tf())
    _write(repo / CONFIG, "overrides:\n  - paths: [legacy]\n    ignore: [DDB001]\n")
    assert [Path(f.span.path).parent.name for f in _lint_with_config(repo).findings] == ["app"]


def test_command_line_select_wins_over_config_ignore(repo: Path) -> None:
    write_module(repo, plans_tf())
    _write(repo / CONFIG, "ignore: [DDB001]\n")
    assert _active(_lint_with_config(repo)) == []
    assert [r for r, _ in _active(_lint_with_config(repo, CommandLine(select=("DDB001",))))] == ["DDB001"]


def test_command_line_max_items_wins_over_every_config_layer(repo: Path) -> None:
    write_module(repo / "modules" / "prod", plans_tf(count=5))
    _write(repo / CONFIG, 'overrides:\n  - paths: ["modules/prod"]\n    rules: {DDB001: {max-items: 3}}\n')
    assert len(_lint_with_config(repo).findings) == 1
    assert _lint_with_config(repo, CommandLine(max_items=5)).findings == []


def test_exclude_is_relative_to_the_config_file_even_when_linting_a_subdirectory(repo: Path) -> None:
    write_module(repo / "stacks" / "legacy", plans_tf())
    write_module(repo / "stacks" / "app", plans_tf())
    _write(repo / CONFIG, "exclude: [stacks/legacy]\n")
    result = _lint_with_config(repo / "stacks")
    assert [Path(f.span.path).parent.name for f in result.findings] == ["app"]


@pytest.mark.parametrize(
    ("pattern", "from_dir", "to_dir", "expected"),
    [
        ("stacks/legacy", "r", "r/stacks", ("legacy",)),
        ("*/legacy/**", "r", "r/stacks", ("legacy/**",)),
        ("**/legacy", "r", "r/stacks", ("**/legacy", "legacy")),
        ("other/legacy", "r", "r/stacks", ()),
        ("legacy", "r", "r/stacks/app", ("legacy",)),
        ("app/old", "r/stacks", "r", ("stacks/app/old",)),
        ("./stacks/old/", "r", "r", ("stacks/old",)),
    ],
)
def test_rebase_glob(pattern: str, from_dir: str, to_dir: str, expected: tuple[str, ...], tmp_path: Path) -> None:
    assert rebase_glob(pattern, str(tmp_path / from_dir), str(tmp_path / to_dir)) == expected


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("modules/prod/**", "modules/prod/main.tf", True),
        ("modules/prod", "modules/prod/db/main.tf", True),
        ("modules/prod/*", "modules/prod/db/main.tf", True),
        ("**/*.tf.json", "gen.tf.json", True),
        ("*.tf.json", "a/gen.tf.json", True),
        ("modules/prod/**", "modules/production/main.tf", False),
        ("modules/prod", "other/modules/prod/main.tf", False),
    ],
)
def test_path_globs(pattern: str, path: str, matches: bool) -> None:
    assert path_matches(pattern, path) is matches


# -- errors: exit 2, file, line, key, suggestion ------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("select: [DDB]\nfail-on: [error\nignore: []\n", ".ddblint.yaml:3: invalid YAML"),
        ("select: [DDB]\nfial-on: error\n", ".ddblint.yaml:2: unknown key `fial-on`; did you mean `fail-on`?"),
        (
            "rules:\n  DDB0001: {severity: error}\n",
            ".ddblint.yaml:2: `DDB0001` in `rules` matches no rule; did you mean DDB001?",
        ),
        ("rules:\n  too-many-items: {}\n", "is a rule name, not an id; did you mean DDB001?"),
        (
            "rules:\n  DDB001:\n    max_items: 5\n",
            ".ddblint.yaml:3: unknown key `max_items` in `rules.DDB001`; did you mean `max-items`?",
        ),
        (
            "rules:\n  DDB001:\n    max-items: five\n",
            ".ddblint.yaml:3: `rules.DDB001.max-items` must be of type positive int, not string 'five'",
        ),
        (
            "rules:\n  DDB001:\n    severity: fatal\n",
            "`rules.DDB001.severity` must be one of error, warning, note, not 'fatal'",
        ),
        ("select: DDB001\n", ".ddblint.yaml:1: `select` must be a list of rule ids or prefixes"),
        ("ignore: [DDB7]\n", ".ddblint.yaml:1: `DDB7` in `ignore` matches no rule"),
        (
            "fail-on: warn\n",
            "`fail-on` must be one of error, warning, note, never, not 'warn'; did you mean `warning`?",
        ),
        ("max-file-size: -1\n", "`max-file-size` must be a positive integer"),
        ("require-reason: 'no'\n", "`require-reason` must be true or false"),
        ("DDB001:\n  max-items: 5\n", "unknown key `DDB001`: rule settings go under `rules:`"),
        ("overrides:\n  - select: [DDB001]\n", ".ddblint.yaml:2: `overrides[0]` needs `paths`"),
        (
            "overrides:\n  - paths: [a]\n    rules: {DDB001: {max-itemz: 2}}\n",
            "`overrides[0].rules.DDB001`; did you mean `max-items`?",
        ),
        (
            "suppress:\n  - paths: [a.tf.json]\n    rulez: [DDB001]\n",
            ".ddblint.yaml:3: unknown key `rulez` in `suppress[0]`; did you mean `rules`?",
        ),
        ("- just\n- a list\n", "expected a mapping of settings, not a list"),
    ],
)
def test_a_broken_config_exits_2_naming_file_line_and_key(
    text: str, message: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(repo, plans_tf(count=2))
    _write(repo / CONFIG, text)
    code, out, err = _cli(["."], repo, capsys, monkeypatch)
    assert code == 2
    assert err.startswith("ddblint: error: ") and message in err, err
    assert "Traceback" not in err and out == ""


def test_a_yaml_bomb_is_refused_with_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghijklmn", "bcdefghijklmno"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    _write(repo / CONFIG, "\n".join(lines) + "\n")
    code, _, err = _cli(["."], repo, capsys, monkeypatch)
    assert code == 2
    assert ".ddblint.yaml:6: too many aliases or nodes" in err  # where the expanded size passes the limit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.ddblint]\nselect = ["DDB"\n', "pyproject.toml:3: invalid TOML"),
        (
            '[project]\nname = "x"\n[tool.ddblint]\nfail_on = "error"\n',
            "pyproject.toml:4: unknown key `fail_on`; did you mean `fail-on`?",
        ),
        (
            '[tool.ddblint.rules.DDB001]\nseverity = "error"\nmax-items = "x"\n',
            "pyproject.toml:3: `rules.DDB001.max-items` must be of type positive int",
        ),
    ],
)
def test_a_broken_pyproject_table_exits_2_with_its_line(
    text: str, message: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo / "pyproject.toml", text)
    code, _, err = _cli(["."], repo, capsys, monkeypatch)
    assert code == 2
    assert message in err, err


def _severities(result: Result) -> dict[str, str]:
    """The relative directory of each unsuppressed finding's file, with its rule and severity."""
    return {
        Path(f.span.path).parent.name: f"{f.rule_id} {f.severity.label}" for f in result.findings if not f.suppressed
    }


def test_nested_config_files_apply_per_directory_the_closest_winning(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for team in ("plain", "quiet", "strict", "strict/deep"):
        write_module(repo / team, plans_tf(count=4))
    _write(repo / CONFIG, "rules:\n  DDB001: {max-items: 2}\n")
    _write(repo / "quiet" / CONFIG, "ignore: [DDB001]\n")
    _write(repo / "strict" / CONFIG, "rules:\n  DDB001: {severity: error, max-items: 3}\n")
    _write(repo / "strict" / "deep" / CONFIG, "select: [DDB0]\n")  # the default max-items again: 4 items pass
    expected = {"plain": "DDB001 warning", "strict": "DDB001 error"}
    assert _severities(_lint_with_config(repo)) == expected

    code, out, err = _cli(
        ["plain/main.tf", "quiet/main.tf", "strict/main.tf", "strict/deep/main.tf"], repo, capsys, monkeypatch
    )
    assert code == 1, err
    assert "different config files" not in err
    code, out, err = _cli([".", "--format", "json"], repo, capsys, monkeypatch)
    shown = {(f["file"].split("/main.tf")[0], f["severity"]) for f in json.loads(out)["findings"]}
    assert shown == {("plain", "warning"), ("strict", "error")}


def test_command_line_rule_flags_apply_over_nested_config_files(repo: Path) -> None:
    write_module(repo / "quiet", plans_tf(count=40))
    _write(repo / "quiet" / CONFIG, "ignore: [DDB001]\n")
    assert _severities(_lint_with_config(repo)) == {}
    flagged = _lint_with_config(repo, CommandLine(extend_select=("DDB001",)))
    assert _severities(flagged) == {"quiet": "DDB001 warning"}


def test_an_explicit_config_or_isolated_turns_nested_config_files_off(repo: Path) -> None:
    write_module(repo / "quiet", plans_tf(count=40))
    _write(repo / "quiet" / CONFIG, "ignore: [DDB001]\n")
    explicit = _write(repo / "ci.yaml", "select: [DDB]\n")
    assert _severities(_lint_with_config(repo, CommandLine(config=str(explicit)))) == {"quiet": "DDB001 warning"}
    assert _severities(_lint_with_config(repo, CommandLine(isolated=True))) == {"quiet": "DDB001 warning"}


def test_nested_overrides_and_suppressions_are_relative_to_their_file(repo: Path) -> None:
    write_module(repo / "team" / "prod", plans_tf(count=4))
    write_module(repo / "team" / "gen", plans_tf(count=40))
    _write(
        repo / "team" / CONFIG,
        "overrides:\n  - paths: [prod]\n    rules:\n      DDB001: {max-items: 2}\n"
        "suppress:\n  - paths: [gen]\n    rules: [DDB001]\n    reason: generated from the feed\n",
    )
    result = _lint_with_config(repo)
    assert _severities(result) == {"prod": "DDB001 warning"}
    (hidden,) = [f for f in result.findings if f.suppressed]
    assert Path(hidden.span.path).parent.name == "gen" and hidden.suppression is not None
    assert hidden.suppression.justification == "generated from the feed"


def test_a_run_level_key_in_a_nested_config_file_is_a_config_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(repo / "a", plans_tf(count=2))
    write_module(repo / "b", plans_tf(count=2))
    _write(repo / "a" / CONFIG, "ignore: [DDB090]\nfail-on: error\n")
    for args in (["a/main.tf", "b/main.tf"], ["."]):
        code, _, err = _cli(args, repo, capsys, monkeypatch)
        assert code == 2
        assert err.startswith("ddblint: error: a/.ddblint.yaml:2: `fail-on` applies to a whole run"), err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config", "missing.yaml", "."], "missing.yaml: config file not found"),
        (["--select", "DDB0001", "."], "--select: `DDB0001` matches no rule; did you mean DDB001?"),
        (["--baseline", "missing.json", "."], "missing.json: baseline file not found"),
    ],
)
def test_bad_flags_exit_2(
    args: list[str], message: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(repo, plans_tf(count=2))
    code, _, err = _cli(args, repo, capsys, monkeypatch)
    assert code == 2
    assert message in err, err


def test_config_command_and_show_settings_print_origins(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo / CONFIG, "fail-on: error\n")
    code, out, _ = _cli(["config"], repo, capsys, monkeypatch)
    assert code == 0
    assert _row(out, "fail-on") == ("error", ".ddblint.yaml:1")
    code, out, _ = _cli(
        ["check", ".", "--show-settings", "--fail-on", "note", "--ignore", "DDB003"], repo, capsys, monkeypatch
    )
    assert code == 0
    assert _row(out, "fail-on") == ("note", "command line (--fail-on)")
    assert _row(out, "command line flags") == ("**: ignore DDB003", "command line")


def test_show_settings_prints_the_limits_the_flags_set_and_the_run_uses_them(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo / CONFIG, "max-file-size: 4096\n")
    code, out, _ = _cli(["check", ".", "--show-settings"], repo, capsys, monkeypatch)
    assert code == 0 and _row(out, "max-file-size") == ("4096", ".ddblint.yaml:1")
    flags = ["--max-file-size", "100", "--parse-timeout", "2.5"]
    code, out, _ = _cli(["check", ".", "--show-settings", *flags], repo, capsys, monkeypatch)
    assert code == 0
    assert _row(out, "max-file-size") == ("100", "command line (--max-file-size)")
    assert _row(out, "parse-timeout") == ("2.5", "command line (--parse-timeout)")
    write_module(repo, plans_tf())
    code, out, _ = _cli(["--format", "concise", "--max-file-size", "100", "."], repo, capsys, monkeypatch)
    assert code == 1 and "DDB000" in out and "100-byte limit" in out, out


def test_the_config_file_decides_the_exit_code(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(repo, plans_tf())
    assert _cli(["."], repo, capsys, monkeypatch)[0] == 1
    _write(repo / CONFIG, "fail-on: error\n")
    assert _cli(["."], repo, capsys, monkeypatch)[0] == 0
    assert _cli([".", "--isolated"], repo, capsys, monkeypatch)[0] == 1

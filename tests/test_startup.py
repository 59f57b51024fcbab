"""What keeps the pre-commit run cheap, and the proof that each shortcut changes no result.

A command line of paths alone skips Typer; a run with nothing relevant skips
the parser, the checks and the filter; the catalog comes from the cache, not
YAML; the hcl2 check reads a directory listing. tests/benchmarks/startup.py
measures the time; these tests pin the behaviour.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
import typer

from ddblint import api
from ddblint.catalog import entries as catalog
from ddblint.cli import check, main
from ddblint.parse import compat
from tests.conftest import FIXTURES

IRRELEVANT = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'


def ddblint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "ddblint", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    return completed.returncode, completed.stdout, completed.stderr


def modules_loaded_by(args: list[str], cwd: Path, env: dict[str, str]) -> set[str]:
    """The modules a whole ``ddblint`` process imports for ``args``."""
    script = (
        "import sys\nfrom ddblint.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True)
    return set(completed.stderr.split())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "main.tf").write_text(IRRELEVANT)
    shutil.copytree(FIXTURES / "count_50", tmp_path / "app")
    return tmp_path


@pytest.mark.parametrize(
    "paths",
    [["app/main.tf"], ["network/main.tf"], ["app", "network"], ["missing.tf"], []],
    ids=["findings", "nothing-relevant", "directories", "missing-path", "no-path"],
)
def test_paths_alone_give_what_typer_gives_with_the_default_options(repo: Path, paths: list[str]) -> None:
    assert ddblint(*paths, cwd=repo) == ddblint("--format", "full", *paths, cwd=repo)


def test_paths_alone_never_load_typer_and_nothing_relevant_loads_no_later_stage(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("home-cache"))}  # outside the repository
    # A config file keeps the fast lane (tests/test_nothing.py) out of the way: the check itself runs.
    (repo / "pyproject.toml").write_text('[tool.ddblint]\nfail-on = "error"\n')
    modules_loaded_by(["network/main.tf"], repo, env)  # fills the catalog cache
    nothing_relevant = modules_loaded_by(["network/main.tf"], repo, env)
    heavy = {
        "typer",
        "rich",
        "yaml",
        "lark",
        "hcl2",
        "ddblint.rules.engine",
        "ddblint.filter.apply",
        "ddblint.model.module",
    }
    assert "ddblint.api" in nothing_relevant and not heavy & nothing_relevant

    with_items = modules_loaded_by(["app/main.tf"], repo, env)
    # the module is parsed and checked, by the fast parser alone: Lark loads only for what that leaves
    assert {"ddblint.parse.subset", "ddblint.rules.engine"} <= with_items
    assert "lark" not in with_items and "typer" not in with_items and "yaml" not in with_items
    assert "typer" not in modules_loaded_by(["--format", "concise", "-q", "app/main.tf"], repo, env)
    assert "typer" in modules_loaded_by(["--fail-on", "error", "app/main.tf"], repo, env)


# Command lines of paths and the options check() takes without Typer; ``--color auto`` (the default)
# sends the same command line through Typer.
SIMPLE_COMMAND_LINES = [
    ["--format", "concise", "-q", "app/main.tf"],
    ["--format=json", "--quiet", "--no-cache", "app"],
    ["-f", "sarif", "-j", "1", "--show-suppressed", "app", "network"],
    ["--format", "concise", "--", "app/main.tf"],
    ["--format", "nope", "app"],  # wrong: Typer says why
    ["--jobs", "0", "app"],
    ["--format"],
]


@pytest.mark.parametrize("options", SIMPLE_COMMAND_LINES, ids=lambda o: " ".join(o))
def test_simple_options_without_typer_give_what_typer_gives(repo: Path, options: list[str]) -> None:
    assert ddblint(*options, cwd=repo) == ddblint("--color", "auto", *options, cwd=repo)


def test_every_check_option_takes_its_value_from_the_command_line_alone() -> None:
    """Paths alone run check() with its Python defaults: no option may read the environment or prompt."""
    signature = inspect.signature(check.check, eval_str=True, locals={"typer": typer})
    for parameter in signature.parameters.values():
        (info,) = [m for m in get_args(parameter.annotation)[1:] if isinstance(m, typer.models.ParameterInfo)]
        assert parameter.default is not inspect.Parameter.empty, parameter.name
        elsewhere = (info.envvar, info.callback, info.default_factory, getattr(info, "prompt", False))
        assert not any(elsewhere), parameter.name


def test_skipping_the_stages_when_nothing_is_relevant_changes_no_result(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [str(repo / "network" / "main.tf"), str(repo / "network")]
    skipped = api.lint(targets)
    monkeypatch.setattr(api, "_reports_without_modules", lambda discovery, settings: True)
    full = api.lint(targets)
    assert skipped.analysis is None and full.analysis is None
    assert skipped == full


def test_a_configuration_with_entries_of_its_own_is_judged_even_when_nothing_is_relevant(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    (repo / ".ddblint.yaml").write_text("suppress:\n  - paths: ['network/*.tf']\n    rules: [DDB002]\n")
    with pytest.raises(SystemExit) as stopped:
        main(["--format", "concise", "network/main.tf"])
    assert stopped.value.code == 1 and "DDB091" in capsys.readouterr().out  # the entry gives no reason

    with pytest.raises(SystemExit) as stopped:
        main(["--baseline", "missing.json", "network/main.tf"])
    assert stopped.value.code == 2 and "missing.json" in capsys.readouterr().err


def test_the_cached_catalog_is_the_parsed_one_and_follows_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(catalog.catalog_dir(), rules)
    monkeypatch.setattr(catalog, "catalog_dir", lambda: rules)
    texts = {path: path.read_bytes() for path in sorted(rules.glob("DDB*.yaml"))}
    try:
        catalog.load_catalog.cache_clear()
        first = catalog.load_catalog()
        catalog.load_catalog.cache_clear()
        assert catalog.load_catalog() == first == catalog._parse_catalog(texts)

        entry = rules / "DDB001.yaml"
        entry.write_text(entry.read_text().replace("summary:", "summary: Edited.", 1))
        catalog.load_catalog.cache_clear()
        assert catalog.load_catalog()["DDB001"].summary.startswith("Edited.")
    finally:
        catalog.load_catalog.cache_clear()


def test_hcl2_distributions_are_read_beside_the_package(tmp_path: Path) -> None:
    for name in ("hcl2", "python_hcl2-8.1.4.dist-info", "bc_python_hcl2-0.4.3.dist-info", "lark-1.3.1.dist-info"):
        (tmp_path / name).mkdir()
    assert compat.distributions_in(str(tmp_path)) == {"python-hcl2": "8.1.4", "bc-python-hcl2": "0.4.3"}
    assert compat.distributions_in(str(tmp_path / "absent")) == {}
    assert compat._installed_distributions() == compat._distributions_from_metadata()


def test_a_clean_report_is_written_as_rich_would_write_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from io import StringIO

    from ddblint.report import ReportOptions, full

    (repo / "app" / "main.tf").write_text((FIXTURES / "count_50" / "main.tf").read_text().replace("50", "3"))
    result = api.lint([str(repo / "app")])
    assert result.item_sets and not result.findings
    plain, through_rich = StringIO(), StringIO()
    full.render(result, plain, ReportOptions(cwd=str(repo)))
    monkeypatch.setattr(full, "_unstyled", lambda stream, options: False)
    full.render(result, through_rich, ReportOptions(cwd=str(repo)))
    assert plain.getvalue() == through_rich.getvalue() == "No problems in 1 item sets (1 of 1 modules read).\n"

    monkeypatch.undo()
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich styles a pipe then, so Rich writes
    styled = StringIO()
    full.render(result, styled, ReportOptions(cwd=str(repo)))
    assert "\x1b[" in styled.getvalue()

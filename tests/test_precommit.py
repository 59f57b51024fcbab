"""The pre-commit hook, installed for real: the `pre-commit` tool builds its environment from this checkout.

pre-commit installs a hook repository by cloning a commit and pip-installing it
into a virtualenv of its own. The tests therefore commit a snapshot of the
working tree (tracked and untracked files, as the rest of the suite sees them)
into a temporary repository and point pre-commit at that: in CI, on a clean
clone, the snapshot is exactly the checked-out commit. The environments are
built once per session, in a shared ``PRE_COMMIT_HOME``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

HOOKS_FILE = PROJECT / ".pre-commit-hooks.yaml"

TABLE = """\
resource "aws_dynamodb_table" "catalogue" {
  name         = "catalogue"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}
"""

SEED_ITEM = """\
resource "aws_dynamodb_table_item" "settings" {
  table_name = aws_dynamodb_table.catalogue.name
  hash_key   = aws_dynamodb_table.catalogue.hash_key
  item       = jsonencode({ pk = { S = "settings" }, page_size = { N = "50" } })
}
"""

THREE_HUNDRED_ITEMS = """\
resource "aws_dynamodb_table_item" "products" {
  for_each   = toset([for n in range(300) : "product-${n}"])
  table_name = aws_dynamodb_table.catalogue.name
  hash_key   = aws_dynamodb_table.catalogue.hash_key
  item       = jsonencode({ pk = { S = each.key } })
}
"""


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )


@pytest.fixture(scope="session")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Git and pre-commit isolated from the developer's configuration; environments shared by the session."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path_factory.mktemp("pre-commit-home")
    empty_config = home / "gitconfig"
    empty_config.write_text("")
    identity = {
        f"GIT_{who}_{what}": value
        for who in ("AUTHOR", "COMMITTER")
        for what, value in (("NAME", "ddblint tests"), ("EMAIL", "tests@ddblint.invalid"))
    }
    return {
        **os.environ,
        **identity,
        "GIT_CONFIG_GLOBAL": str(empty_config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(home / "store"),
    }


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> tuple[Path, str]:
    """A committed snapshot of this checkout's working tree, and its commit."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("the project is not a git checkout")
    snapshot = tmp_path_factory.mktemp("ddblint-hook-repo")
    for name in filter(None, listed.stdout.split("\0")):
        source = PROJECT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git("init", "-q", cwd=snapshot, env=git_env)
    git("add", "-A", cwd=snapshot, env=git_env)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot, env=git_env)
    return snapshot, git("rev-parse", "HEAD", cwd=snapshot, env=git_env).strip()


def commit(message: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``git commit`` through the installed hooks; git shows a hook's output on stderr."""
    return subprocess.run(["git", "commit", "-m", message], cwd=repo, env=env, capture_output=True, text=True)


def terraform_repo(root: Path, env: dict[str, str]) -> Path:
    """A git repository with one module: a table and a seed item, committed."""
    root.mkdir()
    git("init", "-q", cwd=root, env=env)
    (root / "app").mkdir()
    (root / "app" / "main.tf").write_text(TABLE + "\n" + SEED_ITEM)
    git("add", "-A", cwd=root, env=env)
    git("commit", "-q", "-m", "a table and its seed item", cwd=root, env=env)
    return root


def test_the_manifest_declares_the_hook_the_readme_shows() -> None:
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text())
    assert hook["id"] == "ddblint" and hook["entry"] == "ddblint" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True
    assert "minimum_pre_commit_version" in hook and "args" in hook
    matches = re.compile(hook["files"]).search
    assert all(matches(n) for n in ("main.tf", "app/items.tf.json", "prod.tfvars", "terraform.tfvars.json"))
    data_files = ("data/regions.csv", "data/users.json", "seed/plans.yaml", "seed/plans.yml", "templates/user.tftpl")
    assert all(matches(n) for n in data_files)
    assert not any(matches(n) for n in ("main.tf.orig", "terraform.tfstate", "README.md", "modules/seed/variables.py"))
    readme = (PROJECT / "README.md").read_text()
    assert "- id: ddblint" in readme and ".pre-commit-config.yaml" in readme


def test_try_repo_passes_a_seed_item_and_blocks_three_hundred_items(
    tmp_path: Path, git_env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    repo = terraform_repo(tmp_path / "infra", git_env)
    clean = pre_commit("try-repo", str(hook_repo[0]), "ddblint", "--files", "app/main.tf", cwd=repo, env=git_env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    (repo / "app" / "products.tf").write_text(THREE_HUNDRED_ITEMS)
    git("add", "app/products.tf", cwd=repo, env=git_env)
    blocked = pre_commit("try-repo", str(hook_repo[0]), "ddblint", "--files", "app/products.tf", cwd=repo, env=git_env)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "DDB001" in blocked.stdout and "`aws_dynamodb_table_item.products` 300" in blocked.stdout


def test_an_installed_hook_blocks_the_bad_commit_and_lets_the_clean_one_through(
    tmp_path: Path, git_env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    repo = terraform_repo(tmp_path / "infra", git_env)
    snapshot, revision = hook_repo
    config = {"repos": [{"repo": str(snapshot), "rev": revision, "hooks": [{"id": "ddblint"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    installed = pre_commit("install", cwd=repo, env=git_env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    head = git("rev-parse", "HEAD", cwd=repo, env=git_env)

    (repo / "app" / "products.tf").write_text(THREE_HUNDRED_ITEMS)
    git("add", "-A", cwd=repo, env=git_env)
    blocked = commit("load the product catalogue", repo, git_env)
    assert blocked.returncode != 0
    assert "DDB001" in blocked.stderr and "`aws_dynamodb_table_item.products` 300" in blocked.stderr
    assert git("rev-parse", "HEAD", cwd=repo, env=git_env) == head

    (repo / "app" / "products.tf").unlink()
    (repo / "app" / "outputs.tf").write_text('output "table" {\n  value = aws_dynamodb_table.catalogue.name\n}\n')
    git("add", "-A", cwd=repo, env=git_env)
    passed = commit("export the table name", repo, git_env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "ddblint" in passed.stderr and "Passed" in passed.stderr
    assert git("rev-parse", "HEAD", cwd=repo, env=git_env) != head


# -- pre-commit sees what CI sees: the hook's verdict on a commit equals `ddblint .` on the same tree ----------

SEED_TABLE = TABLE.replace("catalogue", "entries")
SHARED_MODULE = (
    'variable "entries" {\n  type = map(string)\n}\n\n'
    + SEED_TABLE
    + """
resource "aws_dynamodb_table_item" "entries" {
  for_each   = var.entries
  table_name = aws_dynamodb_table.entries.name
  hash_key   = aws_dynamodb_table.entries.hash_key
  item       = jsonencode({ pk = { S = each.key } })
}
"""
)
PROD_CALLER = 'module "seed" {\n  source  = "../../modules/seed"\n  entries = { a = "1", b = "2" }\n}\n'
REGIONS_TABLE = TABLE.replace("catalogue", "regions")
REGIONS_FROM_CSV = (
    REGIONS_TABLE
    + """
resource "aws_dynamodb_table_item" "regions" {
  for_each   = { for row in csvdecode(file("${path.module}/data/regions.csv")) : row.code => row }
  table_name = aws_dynamodb_table.regions.name
  hash_key   = aws_dynamodb_table.regions.hash_key
  item       = jsonencode({ pk = { S = each.key }, name = { S = each.value.name } })
}
"""
)
EIGHT_ITEMS = THREE_HUNDRED_ITEMS.replace("range(300)", "range(8)")


def regions_csv(rows: int) -> str:
    return "code,name\n" + "".join(f"r{n},Region {n}\n" for n in range(rows))


def hook_config_repo(root: Path, files: dict[str, str], env: dict[str, str], hook_repo: tuple[Path, str]) -> Path:
    """A repository with ``files`` and the ddblint hook configured for one line per finding, committed."""
    snapshot, revision = hook_repo
    hook = {"id": "ddblint", "args": ["--format", "concise", "--no-cache"], "verbose": True}  # output on a pass too
    files = {
        **files,
        ".pre-commit-config.yaml": yaml.safe_dump(
            {"repos": [{"repo": str(snapshot), "rev": revision, "hooks": [hook]}]}
        ),
    }
    root.mkdir()
    git("init", "-q", cwd=root, env=env)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("add", "-A", cwd=root, env=env)
    git("commit", "-q", "-m", "the tree before the change", cwd=root, env=env)
    return root


CONCISE_LINE = re.compile(r"^(?P<file>[^:\s]+):\d+:\d+: (?P<rule>DDB\d{3}) ", re.MULTILINE)


def hook_verdict(repo: Path, changed: list[str], env: dict[str, str]) -> tuple[int, set[tuple[str, str]], str]:
    """What the installed hook says about a commit of ``changed``: exit code and (file, rule) of each finding."""
    git("add", "-A", cwd=repo, env=env)
    ran = pre_commit("run", "ddblint", "--files", *changed, cwd=repo, env=env)
    assert "ddblint" in ran.stdout, ran.stdout + ran.stderr
    found = {(m["file"], m["rule"]) for m in CONCISE_LINE.finditer(ran.stdout)}
    return ran.returncode, found, ran.stdout + ran.stderr


def full_verdict(repo: Path, env: dict[str, str]) -> tuple[int, set[tuple[str, str]]]:
    """What ``ddblint .`` (as CI runs it) says about the same tree."""
    ran = subprocess.run(
        [sys.executable, "-m", "ddblint", ".", "--format", "concise", "--no-cache"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode in (0, 1), ran.stdout + ran.stderr
    return ran.returncode, {(m["file"], m["rule"]) for m in CONCISE_LINE.finditer(ran.stdout)}


def test_a_comment_in_a_shared_module_called_from_elsewhere_passes_as_ddblint_dot_does(
    tmp_path: Path, git_env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    files = {"modules/seed/main.tf": SHARED_MODULE, "envs/prod/main.tf": PROD_CALLER}
    repo = hook_config_repo(tmp_path / "infra", files, git_env, hook_repo)
    (repo / "modules/seed/main.tf").write_text("# entries come from each environment\n" + SHARED_MODULE)
    code, found, output = hook_verdict(repo, ["modules/seed/main.tf"], git_env)
    assert (code, found) == full_verdict(repo, git_env) == (0, set()), output
    assert "var.entries, which has no default; callers were looked for only in modules/seed" in output


def test_a_grown_data_file_runs_the_hook_and_fails_as_ddblint_dot_does(
    tmp_path: Path, git_env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    files = {"stacks/regions/main.tf": REGIONS_FROM_CSV, "stacks/regions/data/regions.csv": regions_csv(3)}
    repo = hook_config_repo(tmp_path / "infra", files, git_env, hook_repo)
    (repo / "stacks/regions/data/regions.csv").write_text(regions_csv(25))
    code, found, output = hook_verdict(repo, ["stacks/regions/data/regions.csv"], git_env)
    expected = {("stacks/regions/main.tf", "DDB001"), ("stacks/regions/main.tf", "DDB002")}
    assert (code, found) == full_verdict(repo, git_env) == (1, expected), output


def test_a_commit_across_directories_with_their_own_configs_gets_the_verdict_of_ddblint_dot(
    tmp_path: Path, git_env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    files = {
        "a/.ddblint.yaml": "ignore: [DDB001]\n",
        "a/main.tf": TABLE,
        "b/.ddblint.yaml": "rules:\n  DDB001: {max-items: 5}\n",
        "b/main.tf": TABLE,
    }
    repo = hook_config_repo(tmp_path / "infra", files, git_env, hook_repo)
    (repo / "a/items.tf").write_text(EIGHT_ITEMS)
    (repo / "b/items.tf").write_text(EIGHT_ITEMS)
    code, found, output = hook_verdict(repo, ["a/items.tf", "b/items.tf"], git_env)
    assert "different config files" not in output
    assert (code, found) == full_verdict(repo, git_env) == (1, {("b/items.tf", "DDB001")}), output

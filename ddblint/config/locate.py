"""Which file configures a run: the nearest config file from the targets up to the repository root.

In each directory, in this order: ``.ddblint.yaml``, ``.ddblint.yml``, or
``pyproject.toml`` when it has a ``[tool.ddblint]`` table. Reading and checking
the file is :mod:`ddblint.config.source`'s; finding it is kept apart, and light,
so that the pre-commit fast lane (:mod:`ddblint.nothing`) can tell that no
config file applies without loading the rest of the configuration.
"""

from __future__ import annotations

import os
import re

from ddblint.repo_paths import directories_up
from ddblint.untrusted.reading import read_regular

CONFIG_NAMES = (".ddblint.yaml", ".ddblint.yml")
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024


def find_config(start: str) -> str | None:
    """The nearest config file from ``start`` (a file or directory) up to the repository root."""
    first = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    for directory in directories_up(first):
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(directory, PYPROJECT)
        if os.path.isfile(pyproject) and has_ddblint_table(pyproject):
            return pyproject
    return None


def has_ddblint_table(path: str) -> bool:
    """A cheap look before parsing: pyproject files without our table are skipped, not validated."""
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return re.search(r"^[ \t]*\[\[?[ \t]*tool\.ddblint\b", text, re.M) is not None


def is_config_file(path: str) -> bool:
    """Whether a candidate discovery met configures ddblint: a pyproject file only with our table."""
    return os.path.basename(path) != PYPROJECT or has_ddblint_table(path)

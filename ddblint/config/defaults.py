"""Defaults of settings that a run needs before its settings are made.

:class:`~ddblint.config.settings.Settings` takes them as its defaults; the
pre-commit fast lane (:mod:`ddblint.nothing`) reads files within the same limit
without loading the settings.
"""

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # max-file-size: larger files are neither parsed nor read by file()
DEFAULT_TIME_BUDGET = 10.0  # parse-timeout, seconds per file

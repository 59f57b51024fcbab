"""Configuration: ``.ddblint.yaml``, ``[tool.ddblint]`` in ``pyproject.toml`` and flags -> :class:`Settings`.

In: the paths being linted and the parsed command line. Out: one :class:`~ddblint.config.settings.Settings`
per run, each value with the origin it came from (``--show-settings`` prints them).
"""

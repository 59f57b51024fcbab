"""The rule catalog: ``rules/DDBnnn.yaml`` -> :class:`~ddblint.catalog.entries.RuleDoc`, and docs rendered from it.

The single source of each rule's id, name, severity, text, examples and fix: ``ddblint rule``,
``ddblint rules``, SARIF and the README table all read it here.
"""

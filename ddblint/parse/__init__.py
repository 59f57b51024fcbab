"""Parsing: bytes -> ddblint's syntax tree with positions, or DDB000 problems.

In: files' bytes (as the prefilter read them) or paths. Out: one
:class:`~ddblint.parse.syntax.ParsedFile` per file, holding blocks, attributes and typed expression
trees with line and column, plus the suppression comments; a file that cannot be read or parsed
yields a :class:`~ddblint.problems.ParseProblem`, never an exception.
"""

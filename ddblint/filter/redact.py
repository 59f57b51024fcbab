"""Keep secrets out of every output: one redactor, built from what the analysis found.

Rules compose their messages without secret values, but other text still
passes through a report: messages that quote a wrong value (``"hunter2" is
not a number``), and the source lines a code frame prints. The redactor is
built once per run from every secret the evaluation found in the item sets
(:mod:`ddblint.evaluate.secrets`), whatever rules are selected or suppressed, and masks each of them everywhere, in the
spellings it can take: as written, JSON/HCL-escaped, line by line (a private
key in a heredoc), and cut short as a message preview cuts it.

A secret is often assembled from pieces (``"${var.env}-R3allyS3cret-991"``,
``join("", ["tok_", "9f8e..."])``, ``format("%s%s", "AKIA", "Z7QW...")``), and
then no spelling of the whole value appears in the source. So every quoted
string in the text is also cut at its interpolations, and each literal piece
that is part of a secret is masked on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ddblint.findings import Finding

MASK = "****"
MIN_FORM_CHARS = 4  # shorter pieces are too common to mask without mangling the text
MIN_FREE_FORM_CHARS = 12  # shorter forms are masked only where they stand as a whole word
MIN_FRAGMENT_CHARS = 3  # a literal piece this long that is part of a secret is masked; shorter ones say too little
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_INTERPOLATION = re.compile(r"[$%]\{[^}]*\}")


def redaction_forms(secret: str) -> set[str]:
    """The spellings of ``secret`` that may show up in a message or a source line."""
    from ddblint.dynamodb.item_json import PREVIEW_CHARS

    forms = {secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]}
    forms.update(line.strip() for line in secret.splitlines())
    for form in list(forms):
        if len(form) >= PREVIEW_CHARS:
            forms.add(form[: PREVIEW_CHARS - 1])
    return {form for form in forms if len(form) >= MIN_FORM_CHARS and not form.startswith("-----")}


@dataclass(frozen=True)
class Redactor:
    """Masks a fixed set of secret spellings in any text."""

    forms: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()  # the whole values, which literal pieces are looked up in
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def for_secrets(cls, secrets: Iterable[str]) -> Redactor:
        forms: set[str] = set()
        wholes: set[str] = set()
        for secret in secrets:
            forms |= redaction_forms(secret)
            wholes |= {secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]}
        return cls(tuple(sorted(forms, key=lambda f: (-len(f), f))), tuple(sorted(wholes)))

    def __post_init__(self) -> None:
        if self.forms:
            alternatives = "|".join(_alternative(form) for form in self.forms)
            object.__setattr__(self, "_pattern", re.compile(alternatives))

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return _QUOTED.sub(self._quoted, self._pattern.sub(MASK, text))

    def _quoted(self, match: re.Match[str]) -> str:
        """A quoted string with each literal piece between interpolations masked if it is part of a secret."""
        quoted = match.group()
        pieces, last = [], 1
        for interpolation in _INTERPOLATION.finditer(quoted, 1, len(quoted) - 1):
            pieces += [self._piece(quoted[last : interpolation.start()]), interpolation.group()]
            last = interpolation.end()
        pieces.append(self._piece(quoted[last:-1]))
        return f'"{"".join(pieces)}"'

    def _piece(self, piece: str) -> str:
        if len(piece) >= MIN_FRAGMENT_CHARS and any(piece in secret for secret in self.secrets):
            return MASK
        return piece

    def finding(self, finding: Finding) -> Finding:
        """The finding with its message and evidence masked."""
        if self._pattern is None:
            return finding
        return replace(finding, message=self(finding.message), evidence=tuple(self(e) for e in finding.evidence))


def _alternative(form: str) -> str:
    """Long forms match anywhere; short ones only as a whole word (``admin`` not in ``initial_admin``)."""
    escaped = re.escape(form)
    if len(form) >= MIN_FREE_FORM_CHARS:
        return escaped
    return rf"(?<![A-Za-z0-9_]){escaped}(?![A-Za-z0-9_])"

"""Keep secrets out of every output: one redactor, built from what the analysis found.

Rules compose their messages without secret values, but other text still
passes through a report: messages that quote a wrong value (``"hunter2" is
not a number``), and the source lines a code frame prints. The redactor is
built once per run from every secret the evaluation found in the item sets
(:mod:`ddblint.evaluate.secrets`), whatever rules are selected or suppressed, and masks each of them everywhere, in the
spellings it can take: as written, JSON/HCL-escaped, line by line (a private
key in a heredoc), and cut short as a message preview cuts it.
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
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def for_secrets(cls, secrets: Iterable[str]) -> Redactor:
        forms: set[str] = set()
        for secret in secrets:
            forms |= redaction_forms(secret)
        return cls(tuple(sorted(forms, key=lambda f: (-len(f), f))))

    def __post_init__(self) -> None:
        if self.forms:
            alternatives = "|".join(_alternative(form) for form in self.forms)
            object.__setattr__(self, "_pattern", re.compile(alternatives))

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

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

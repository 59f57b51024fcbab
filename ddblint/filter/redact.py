"""Keep secrets out of every output: one redactor, built from what the analysis found.

Rules compose their messages without secret values, but other text still
passes through a report: messages that quote a wrong value (``"hunter2" is
not a number``), and the source lines a code frame prints. The redactor is
built once per run from every secret the evaluation found in the item sets
(:mod:`ddblint.evaluate.secrets`), whatever rules are selected or suppressed, and masks each of them everywhere, in the
spellings it can take: as written, JSON/HCL-escaped, line by line (a private
key in a heredoc), and cut short as a message preview cuts it.

A secret is often assembled from pieces (``"${var.env}-R3allyS3cret-991"``,
``join("", ["tok_", "9f8e..."])``, ``format("%s%s", "AKIA", "Z7QW...")``,
``"pass${"w0rd"}"``), or spelled so that no piece reads as it evaluates
(``"\u0070assw0rd"``, ``"$${x}"``, ``base64decode("cGFzc3cw...")``, a JSON
escape in ``.tf.json``). So every line is scanned as Terraform reads it: each
literal piece of a quoted string, at any depth of interpolation, and each run of
text between interpolations outside quotes (a heredoc's lines), is decoded
(escapes, then base64 where it is base64) and masked on its own if what it
stands for is part of a secret, whatever its case (``lower("S3CRET")``).

Text alone cannot tell every piece: a secret written two characters at a time
(``"${"ab"}${"cd"}..."``), or a transform over the whole item (``replace()``
over its JSON text, a for-expression, a computed key) writes literals that
spell nothing of it. So the places that write a flagged item set (its ``item``
attribute, the ``for_each``, the locals, variable defaults and ``.tfvars``
values it reads, the module arguments that set them; see
:mod:`ddblint.evaluate.secret_places`) are masked by position as well: on those
lines of a code frame every quoted literal with a letter or digit in it is
masked, and every line of a heredoc's text. So is every line of a file with a
parse problem, whose blocks no evaluation saw.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ddblint.evaluate.masking import MASKED_ANYWHERE, Place
from ddblint.findings import Finding

MASK = "****"
MIN_FORM_CHARS = 4  # shorter pieces are too common to mask without mangling the text
MIN_FREE_FORM_CHARS = MASKED_ANYWHERE  # shorter forms are masked only where they stand as a whole word
PIECES_PER_SECRET = 16  # a piece of a secret is at least this part of it: "begin" is not part of a private key
MIN_CUT_CHARS = 6  # a secret's start this long before a preview's cut is masked
CUT = "\u2026"  # the ellipsis a message preview ends with
MIN_FRAGMENT_CHARS = 3  # a literal piece this long that is part of a secret is masked; shorter ones say too little
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|([$%])\2\{", re.DOTALL)
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "/": "/", '"': '"', "\\": "\\"}
_BASE64 = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")


def redaction_forms(secret: str) -> set[str]:
    """The spellings of ``secret`` that may show up in a message or a source line."""
    from ddblint.dynamodb.item_json import PREVIEW_CHARS

    forms = set(_wholes(secret))
    forms.update(line.strip() for line in secret.splitlines())
    for form in list(forms):
        if len(form) >= PREVIEW_CHARS:
            forms.add(form[: PREVIEW_CHARS - 1])
    return {form for form in forms if len(form) >= MIN_FORM_CHARS and not form.startswith("-----")}


@dataclass(frozen=True)
class Redactor:
    """Masks a fixed set of secret spellings in any text."""

    forms: tuple[str, ...] = ()
    # The whole values, casefolded, which literal pieces are looked up in: lower(), upper() and
    # title() change a piece's case, not what it gives away.
    folded_secrets: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()  # where flagged item sets are written: masked by position in code frames
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    # Per file, the places merged into disjoint line ranges: their first lines, and their last lines.
    _places_in: dict[str, tuple[list[int], list[int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _heredoc_lines: dict[str, frozenset[int]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _pieces: _PieceIndex | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def for_secrets(cls, secrets: Iterable[str], places: Iterable[Place] = ()) -> Redactor:
        forms: set[str] = set()
        wholes: set[str] = set()
        for secret in secrets:
            forms |= redaction_forms(secret)
            wholes.update(_wholes(secret))
        folded = {whole.casefold() for whole in wholes}
        return cls(tuple(sorted(forms, key=lambda f: (-len(f), f))), tuple(sorted(folded)), tuple(sorted(set(places))))

    def __post_init__(self) -> None:
        if self.forms:
            alternatives = "|".join(_alternative(form) for form in self.forms)
            object.__setattr__(self, "_pattern", re.compile(alternatives))
        for path, first, last in sorted(self.places):  # each file's ranges in order of their first line
            firsts, lasts = self._places_in.setdefault(path, ([], []))
            if lasts and first <= lasts[-1] + 1:
                lasts[-1] = max(lasts[-1], last)
            else:
                firsts.append(first)
                lasts.append(last)

    def source_line(self, path: str, lines: Sequence[str], number: int) -> str:
        """Line ``number`` (1-based) of the file ``path`` whose lines are ``lines``, masked: by what it
        spells, and, in a place that writes a flagged item set, by position."""
        text = self(lines[number - 1])
        firsts, lasts = self._places_in.get(path, ([], []))
        at = bisect.bisect_right(firsts, number) - 1  # looked up: a file may hold thousands of flagged sets
        if at < 0 or number > lasts[at]:
            return text
        if path not in self._heredoc_lines:
            from ddblint.parse.comments import heredoc_lines

            self._heredoc_lines[path] = heredoc_lines("\n".join(lines))
        in_heredoc = number in self._heredoc_lines[path]
        return _Line(text, _any_piece if in_heredoc else _quoted_piece).masked()

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        masked = self._pattern.sub(MASK, text)
        if CUT in masked:
            masked = self._cut_short(masked)
        return "\n".join(_Line(line, self._is_piece).masked() for line in masked.split("\n"))

    def _cut_short(self, text: str) -> str:
        """Mask a secret's start where a preview cut the text short inside it (``"postgres://app:S3cr…"``)."""
        out, start = [], 0
        for cut in (found.start() for found in re.finditer(CUT, text)):
            before = text[start:cut]
            folded = before.casefold()
            longest = 0
            for secret in self.folded_secrets:
                longest = max(longest, _cut_prefix(folded, secret))
            out.append(before[: len(before) - longest] + (MASK if longest else ""))
            start = cut
        out.append(text[start:])
        return "".join(out)

    def _is_piece(self, literal: str, quoted: bool) -> bool:
        """Whether source text that stands for literal characters stands for part of a secret, or (quoted)
        holds a long one (a ``.tf.json`` item written as one string)."""
        if self._pieces is None:
            object.__setattr__(self, "_pieces", _PieceIndex(self.folded_secrets))
        assert self._pieces is not None
        for meant in _meanings(literal):
            if len(meant) < MIN_FRAGMENT_CHARS:
                continue
            folded = meant.casefold()
            if self._pieces.part_of_one(folded, len(meant)) or (quoted and self._pieces.holds_a_long_one(folded)):
                return True
        return False

    def finding(self, finding: Finding) -> Finding:
        """The finding with its message, evidence, identity and suppression reason masked: a
        fingerprint hashed from a secret would let anyone holding a report test guesses at it offline."""
        if self._pattern is None:
            return finding
        suppression = finding.suppression
        if suppression is not None:  # a reason may repeat what it excuses
            suppression = replace(suppression, justification=self(suppression.justification))
        return replace(
            finding,
            message=self(finding.message),
            evidence=tuple(self(e) for e in finding.evidence),
            identity=self(finding.identity),
            suppression=suppression,
        )


class _PieceIndex:
    """The casefolded secrets, arranged so a literal is looked up in all of them at once: a run with
    thousands of secrets asks of every literal on every line shown whether it is part of one.

    A piece counts as part of a secret at least :data:`PIECES_PER_SECRET` times its length at most:
    a long secret (a private key, a credentials document) holds many short words by chance. The
    secrets are joined shortest first, so those a piece may be part of are a prefix of the text.
    """

    def __init__(self, folded_secrets: Iterable[str]) -> None:
        by_length = sorted(folded_secrets, key=len)
        self._by_length = by_length
        self._lengths = [len(secret) for secret in by_length]
        self._joined = _SEPARATOR.join(by_length)
        self._ends = list(itertools.accumulate(length + 1 for length in self._lengths))  # each one's end, plus 1
        long_ones = [re.escape(secret) for secret in reversed(by_length) if len(secret) >= MIN_FREE_FORM_CHARS]
        self._long = re.compile("|".join(long_ones)) if long_ones else None

    def part_of_one(self, folded: str, length: int) -> bool:
        """Whether ``folded``, a piece ``length`` characters long as written, is part of a secret
        at most :data:`PIECES_PER_SECRET` times as long."""
        allowed = bisect.bisect_left(self._lengths, (length + 1) * PIECES_PER_SECRET)
        if _SEPARATOR in folded:  # it could span two joined secrets: ask each
            return any(folded in secret for secret in self._by_length[:allowed])
        return allowed > 0 and self._joined.find(folded, 0, self._ends[allowed - 1] - 1) != -1

    def holds_a_long_one(self, folded: str) -> bool:
        """Whether ``folded`` holds a whole secret long enough to be masked wherever it stands."""
        return self._long is not None and self._long.search(folded) is not None


_SEPARATOR = "\0"


def _wholes(secret: str) -> tuple[str, ...]:
    """A secret as written, JSON-escaped both ways, and as a message prints it: a lone surrogate
    (``"\\udc80"`` in a ``.tf.json`` string) is shown as ``?``."""
    printable = secret.encode("utf-8", "replace").decode("utf-8")
    return (secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1], printable)


def whole_file(path: str) -> Place:
    """Every line of ``path`` as a place masked by position."""
    return (path, 1, _LAST_LINE)


_LAST_LINE = 2**31


def _gives_something(piece: str) -> bool:
    """A literal with a letter or digit, other than a type descriptor (``"S"``), which says nothing."""
    from ddblint.dynamodb.item_json import TYPE_DESCRIPTORS

    return any(char.isalnum() for char in piece) and piece.strip() not in TYPE_DESCRIPTORS


def _quoted_piece(piece: str, quoted: bool) -> bool:
    """On a line of code, the quoted literals: what stands outside quotes is code."""
    return quoted and _gives_something(piece)


def _any_piece(piece: str, quoted: bool) -> bool:
    """On a line of a heredoc's text, every literal, quoted or not."""
    return _gives_something(piece)


def _cut_prefix(folded: str, secret: str) -> int:
    """How many characters at the end of ``folded`` begin ``secret`` (at least :data:`MIN_CUT_CHARS`; else 0)."""
    if len(secret) <= MIN_CUT_CHARS:
        return 0
    tail = folded[-(len(secret) - 1) :]
    at = tail.find(secret[:MIN_CUT_CHARS])
    while at != -1:
        if secret.startswith(tail[at:]):
            return len(tail) - at
        at = tail.find(secret[:MIN_CUT_CHARS], at + 1)
    return 0


def _alternative(form: str) -> str:
    """Long forms match anywhere; short ones only as a whole word (``admin`` not in ``initial_admin``)."""
    escaped = re.escape(form)
    if len(form) >= MIN_FREE_FORM_CHARS:
        return escaped
    return rf"(?<![A-Za-z0-9_]){escaped}(?![A-Za-z0-9_])"


def _meanings(literal: str) -> set[str]:
    """What a literal piece may stand for: as written, with its escapes decoded (twice: JSON text in a
    ``.tf.json`` string is escaped once more), and base64-decoded."""
    decoded = _ESCAPE.sub(_unescape, literal)
    twice = _ESCAPE.sub(_unescape, decoded)
    meanings = {literal, decoded, decoded.strip(), twice}
    for text in (literal, decoded):
        stripped = text.strip()
        if _BASE64.fullmatch(stripped) and len(stripped) % 4 == 0:
            with contextlib.suppress(ValueError):  # not base64 after all, or not text: a UnicodeDecodeError
                meanings.add(base64.b64decode(stripped, validate=True).decode("utf-8"))
    return meanings


def _unescape(match: re.Match[str]) -> str:
    if match.group(2):  # $${ and %%{ are a literal ${ and %{
        return match.group(2) + "{"
    escape = match.group(1)
    if escape[0] in "uU" and len(escape) > 1:
        code = int(escape[1:], 16)
        return chr(code) if code <= 0x10FFFF else ""
    return _ESCAPED.get(escape, escape)


class _Line:
    """One line of source or message text, scanned as Terraform reads strings and templates.

    Literal pieces are the text of quoted strings between interpolations, at
    any depth (``"a${"b"}c"`` has three), and the text between interpolations
    outside quotes (a heredoc's lines, where a template goes on unquoted). Each
    is replaced by the mask if ``is_piece`` says it stands for part of a secret;
    the code around them is kept. Interpolations nested deeper than
    ``MAX_NESTING`` mask the rest of the line: no input can exhaust the stack.
    """

    def __init__(self, text: str, is_piece: Callable[[str, bool], bool]) -> None:
        self.text = text
        self.is_piece = is_piece
        self.out: list[str] = []
        self.depth = 0

    def masked(self) -> str:
        try:
            self._code(0, nested=False)
        except _TooDeep as deep:
            self.out[deep.kept :] = [MASK]
        return "".join(self.out)

    def _emit_literal(self, piece: str, quoted: bool = True) -> None:
        if not piece.strip() or not self.is_piece(piece, quoted):
            self.out.append(piece)
            return
        lead, trail = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        self.out.append(piece[:lead] + MASK + piece[trail:])

    def _interpolation(self, at: int) -> int:
        """The code of an interpolation opening at ``at`` (``${`` or ``%{``), to its closing ``}``."""
        if self.depth >= MAX_NESTING:
            raise _TooDeep(len(self.out))
        self.out.append(self.text[at : at + 2])
        self.depth += 1
        end = self._code(at + 2, nested=True)
        self.depth -= 1
        return end

    def _code(self, at: int, nested: bool) -> int:
        """Code from ``at`` to the end, or (``nested``) to the ``}`` closing an interpolation; returns its end."""
        text, depth, start = self.text, 0, at
        for found in _CODE_MARK.finditer(text, at):
            if found.start() < at:
                continue  # inside a string or an interpolation already read
            mark = found.group()
            if mark == '"':
                self._emit_bare(text[start : found.start()], nested)
                at = start = self._string(found.start())
            elif len(mark) == 2 and not nested:  # ${ or %{ in text outside quotes: a heredoc's template
                self._emit_bare(text[start : found.start()], nested)
                at = start = self._interpolation(found.start())
            elif mark == "}" and nested and depth == 0:
                self.out.append(text[start : found.end()])
                return found.end()
            else:
                depth += 1 if mark.endswith("{") else -1
                at = found.end()
        self._emit_bare(text[start:], nested)
        return len(text)

    def _emit_bare(self, run: str, nested: bool) -> None:
        """Text outside quotes: inside an interpolation it is code; outside, it may be a heredoc's template text."""
        if nested:
            self.out.append(run)
        else:
            self._emit_literal(run, quoted=False)

    def _string(self, at: int) -> int:
        """A quoted string opening at ``at``; returns the position after its closing quote (or the line's end)."""
        text = self.text
        self.out.append('"')
        start = at = at + 1
        for found in _STRING_MARK.finditer(text, at):
            if found.start() < at:
                continue
            mark = found.group()
            if mark == '"':
                self._emit_literal(text[start : found.start()])
                self.out.append('"')
                return found.end()
            if mark in ("${", "%{"):
                self._emit_literal(text[start : found.start()])
                at = start = self._interpolation(found.start())
            else:  # an escape, $${ or %%{: part of the literal text
                at = found.end()
        self._emit_literal(text[start:])
        return len(text)


class _TooDeep(Exception):
    def __init__(self, kept: int) -> None:
        super().__init__()
        self.kept = kept  # how much of the output stays before the mask


MAX_NESTING = 64
_CODE_MARK = re.compile(r'"|[$%]\{|[{}]')
_STRING_MARK = re.compile(r'\\.?|\$\$\{|%%\{|[$%]\{|"', re.DOTALL)

"""Find secrets in items: passwords, tokens, access keys, private keys.

An item's content lands in Terraform state and plan output in plain text, so a
secret written into an item is readable by everyone who can read either. Two
sources are searched: the evaluated items (which see values that came from
locals, variables and files), and the literal strings of the ``item``
expression itself (which still see ``password = "..."`` when another part of
the item, a ``timestamp()`` say, makes the evaluated item unknown).

A :class:`Secret` keeps the secret text only so reporters can redact it; it
is left out of ``repr`` and no message may quote it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ddblint.dynamodb.item_json import TYPE_DESCRIPTORS
from ddblint.dynamodb.item_leaves import MAX_LEAVES, leaves, name_words
from ddblint.evaluate.masking import MASKED_ANYWHERE, Place
from ddblint.parse.syntax import (
    Call,
    Conditional,
    Directive,
    Expr,
    GetAttr,
    Literal,
    ObjectExpr,
    Reference,
    Template,
    TupleExpr,
    literal_string,
    nodes,
    referenced_names,
)
from ddblint.untrusted.safe_regex import compile_re2

if TYPE_CHECKING:
    from ddblint.model.module import Module, ModuleCall, Resource
    from ddblint.parse.syntax import Attribute

IN_SOURCE = "<source>"  # the key of secrets seen only in the item expression, in no evaluated instance

MIN_SECRET_CHARS = 4  # shorter literals under a secret-like name are placeholders, not secrets
MIN_ENTROPY_CHARS = 20  # a random token shorter than this is rare, a short word with digits common
MIN_HEX_CHARS = 32  # a 128-bit key written in hex; shorter hex strings are often ids or hashes cut short
MIN_ENTROPY_BITS = 3.5  # Shannon bits per character; random base64 or hex scores 3.7 and up
MAX_EXPR_DEPTH = 64
MIN_PIECE_CHARS = 12  # a piece of a built value this long may be part of a secret without a digit in it
MIN_SOURCE_CHARS = 3  # a shorter literal beside a secret (``"-"``, ``"%s"``) gives nothing away
_FORMAT_VERB = re.compile(r"%[-+# 0]*(?:\[\d+\])?\d*(?:\.\d+)?[a-zA-Z%]")  # format()'s %s, %05.2f, %[2]d
_PATH_STEP = re.compile(r"([^.\[\]]+)")  # ``profile.M.tokens.L[0].S``: profile, M, tokens, L, 0, S

_ACCESS_KEY_PREFIXES = ("AKIA", "ASIA", "ABIA", "ACCA")  # long-term, temporary and other AWS key ids
_AWS_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:" + "|".join(_ACCESS_KEY_PREFIXES) + r")[A-Z2-7]{16}(?![A-Z0-9])")
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Run on RE2: Python's engine retries the scheme from every letter, quadratic on a long value.
_URL_PASSWORD = r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:(?P<password>[^/\s@]+)@"
# Tokens a service issues in a shape of its own: GitHub, Slack, Stripe, Google; checked only where
# one of the prefixes is in the value.
_TOKEN_PREFIXES = (
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "_live_",
    "AIza",
    "ya29.",
    "hooks.slack",
)
_ISSUED_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|xox[abeprs]-[A-Za-z0-9-]{10,}"
    r"|[sr]k_live_[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,})"
    r"|hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"
)
_BEARER = re.compile(r"\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)")
_CONNECTION_PASSWORD = re.compile(r"(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]+)")

# Words that make an attribute name secret-like on their own, with the noun a message uses.
_SECRET_WORDS = {
    "password": "a password",
    "passwd": "a password",
    "pwd": "a password",
    "passphrase": "a passphrase",
    "secret": "a secret",
    "token": "a token",
    "apikey": "an API key",
    "credential": "a credential",
    "credentials": "a credential",
}
# Short words that make a name secret-like when the value also looks generated (``db_pass``).
_GENERATED_ONLY_WORDS = {"pass": "a password", "creds": "a credential"}
# Word pairs that do the same (``api_key``, ``privateKey``).
_SECRET_PAIRS = {
    ("api", "key"): "an API key",
    ("private", "key"): "a private key",
    ("access", "key"): "an access key",
    ("signing", "key"): "a signing key",
    ("encryption", "key"): "an encryption key",
    ("master", "key"): "a master key",
    ("auth", "key"): "an auth key",
}
# Words that make a name secret-like only when its value also looks random.
_WEAK_WORDS = {
    "key",
    "signature",
    "hmac",
    "salt",
    "nonce",
    "jwt",
    "bearer",
    "auth",
    "authorization",
    "cookie",
    "session",
    "webhook",
    "dsn",
}
# A name ending in one of these describes a secret rather than holding it:
# ``secret_arn``, ``token_ttl``, ``password_min_length``, ``api_key_id``.
_DESCRIBING_SUFFIXES = {
    "arn",
    "name",
    "id",
    "ids",
    "url",
    "uri",
    "path",
    "ttl",
    "length",
    "len",
    "type",
    "kind",
    "policy",
    "enabled",
    "required",
    "rotation",
    "version",
    "hint",
    "label",
    "field",
    "header",
    "location",
    "ref",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "age",
    "count",
    "min",
    "max",
    "limit",
    "prefix",
    "format",
    "algorithm",
    "hash",
    "digest",
    "source",
    "provider",
    "parameter",
    "param",
}
_PLACEHOLDER_WORDS = {
    "changeme",
    "replaceme",
    "todo",
    "tbd",
    "placeholder",
    "dummy",
    "example",
    "secret",
    "password",
    "redacted",
    "none",
    "null",
    "nil",
    "na",
    "test",
    "default",
    "notset",
    "unset",
    "empty",
}
# Values that name where a secret lives instead of holding it.
_REFERENCE_PREFIXES = (
    "arn:",
    "ssm:",
    "secretsmanager:",
    "vault:",
    "resolve:",
    "{{resolve:",
    "env:",
    "$",  # an environment variable ($DB_PASSWORD), or a salted hash ($2b$...), not the secret
    "/",
    "alias/",
    "projects/",
    "http://",
    "https://",
)
# Calls whose result still holds their literal arguments as they are; ``bcrypt("...")``
# and other transforms do not put the literal itself into the item.
_VALUE_PRESERVING_CALLS = {
    "jsonencode",
    "merge",
    "tomap",
    "tolist",
    "toset",
    "tostring",
    "concat",
    "coalesce",
    "try",
    "trimspace",
}

# Calls whose result does not give their argument back: the item holds a hash, not the secret.
_ONE_WAY_CALLS = {"bcrypt", "md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512", "uuidv5"}


@dataclass(frozen=True)
class Secret:
    """A secret found in an item: where (``path``, ``name``), what (``kind``), and its
    ``text`` for redaction only.
    """

    path: str
    name: str
    kind: str
    text: str = field(repr=False)
    # The literal strings written where the item expression spells this value, when a function
    # transforms them on the way (``replace("...", "Q", "W")``, ``base64encode("...")``): no piece
    # of the value reads as they do, and a code frame would print them in clear.
    sources: tuple[str, ...] = field(default=(), repr=False)

    def spellings(self) -> tuple[str, ...]:
        """Every text a report must mask for this secret: its value and the literals it is made from."""
        return (self.text, *self.sources)


def item_set_secrets(
    resource: Resource,
    values: Iterable[tuple[object, object, str | None]],
    local_exprs: Mapping[str, Expr] | None = None,
) -> tuple[tuple[object, Secret], ...]:
    """Every secret of an item set with the instance key it was seen in.

    ``values`` are the evaluated items, as (instance key, decoded item, the JSON
    text it was decoded from). Literals of the ``item`` expression that no
    evaluated instance shows (because the item as a whole is unknown, or not JSON) come last,
    keyed :data:`IN_SOURCE`. An item written as one literal text that an instance
    was decoded from shows all its secrets in that instance: it is not decoded again.
    ``local_exprs`` are the module's locals, whose literals a secret may be made from.
    """
    found: list[tuple[object, Secret]] = []
    decoded_from: set[str | None] = set()  # the texts of the instances that decoded to an item
    for key, value, text in values:
        if isinstance(value, dict):
            decoded_from.add(text)
        found.extend((key, secret) for secret in find_secrets(value))
    seen = {(secret.path, secret.text) for _, secret in found}
    item_attribute = resource.attribute("item")
    if item_attribute is None:
        return tuple(found)
    written = _literal_text(item_attribute.expr)
    if written is not None and written in decoded_from:
        return tuple(found)
    for secret in find_literal_secrets(item_attribute.expr, evaluated=bool(decoded_from)):
        if (secret.path, secret.text) not in seen:
            seen.add((secret.path, secret.text))
            found.append((IN_SOURCE, secret))
    for_each = resource.attribute("for_each")
    where = _Written(item_attribute.expr, for_each.expr if for_each is not None else None, local_exprs or {})
    return tuple((key, _with_sources(secret, where)) for key, secret in found)


@dataclass(frozen=True)
class _Written:
    """Where an item set's values are written: the item, its ``for_each``, and the module's locals."""

    item: Expr
    for_each: Expr | None
    local_exprs: Mapping[str, Expr]


def _with_sources(secret: Secret, written: _Written) -> Secret:
    """``secret`` with the literals it is made from that a report would not mask by what they spell.

    Those are the literals written where the item spells it, those of the locals that place reads
    (``local.password``, and the locals they read), and, when it reads ``each``, those of the ``for_each``
    expression (``for_each = { admin = "..." }`` with ``replace(each.value, ...)``). A literal that reads
    as part of the secret is masked by what it spells, and so is one that holds the whole of a secret
    long enough to be masked wherever it stands.
    """
    value = secret.text.casefold()
    places = _written_at(written.item, secret.path)
    found: set[str] = set()
    for expr in places + _locals_read(places, written.local_exprs):
        found |= _all_literals(expr)
    if written.for_each is not None and any("each" in referenced_names(expr) for expr in places):
        found |= _all_literals(written.for_each)
    sources = tuple(sorted(text for text in found if not _masked_as_spelled(text.casefold(), value)))
    return replace(secret, sources=sources) if sources else secret


def _masked_as_spelled(literal: str, value: str) -> bool:
    """Whether a report masks ``literal`` (casefolded) for what it spells of the secret ``value``: it is
    part of the secret, or holds it long enough to be masked anywhere, or as a whole word."""
    if literal in value:
        return True
    if len(value) >= MASKED_ANYWHERE:
        return value in literal
    return re.search(rf"(?<![a-z0-9_]){re.escape(value)}(?![a-z0-9_])", literal) is not None


def _locals_read(exprs: list[Expr], local_exprs: Mapping[str, Expr]) -> list[Expr]:
    """The expressions of the locals ``exprs`` read, and of the locals those read, each once."""
    found: dict[str, Expr] = {}
    pending = list(exprs)
    while pending and len(found) < MAX_EXPR_DEPTH:
        for name in _names_read(pending.pop(), "local"):
            if name in local_exprs and name not in found:
                found[name] = local_exprs[name]
                pending.append(local_exprs[name])
    return list(found.values())


def _names_read(expr: Expr, namespace: str) -> set[str]:
    """The names an expression reads in ``namespace`` (``local.password``, ``var.env``)."""
    return {
        node.name
        for node in nodes(expr)
        if isinstance(node, GetAttr) and isinstance(node.obj, Reference) and node.obj.name == namespace
    }


def written_places(
    resource: Resource, module: Module | None, calls_above: Sequence[tuple[Module, ModuleCall]] = ()
) -> tuple[Place, ...]:
    """The lines that write an item set's content, once it holds a secret: a report masks every
    literal there, so pieces too short or too transformed to be told by what they spell are masked
    by where they stand.

    They are its ``item`` attribute, the ``for_each`` it reads through ``each``, and the locals,
    variable defaults and ``.tfvars`` values of its module that either reads (locals transitively);
    then, up the module calls that lead to it (innermost first), the arguments that set those
    variables, with the call's ``for_each`` and what they read of the calling module in turn.
    """
    item = resource.attribute("item")
    if item is None:
        return ()
    written = _with_for_each([(resource.path, item)], resource.path, resource.attribute("for_each"))
    places, names = _what_it_reads(written, module)
    for calling_module, call in calls_above:
        given = call.block.attributes
        arguments = [(call.path, given[name]) for name in sorted(names) if name in given]
        if not arguments:
            break
        arguments = _with_for_each(arguments, call.path, call.block.attributes.get("for_each"))
        more, names = _what_it_reads(arguments, calling_module)
        places += more
    return tuple((path, a.position.line, a.position.end_line) for path, a in places)


def _with_for_each(
    written: list[tuple[str, Attribute]], path: str, for_each: Attribute | None
) -> list[tuple[str, Attribute]]:
    """``written``, and the block's ``for_each`` when any of it reads ``each``."""
    if for_each is not None and any("each" in referenced_names(a.expr) for _, a in written):
        return [*written, (path, for_each)]
    return written


def _what_it_reads(
    written: list[tuple[str, Attribute]], module: Module | None
) -> tuple[list[tuple[str, Attribute]], set[str]]:
    """``written`` with the locals (transitively) and variable defaults of ``module`` it reads, and the
    names of the variables read: a caller's arguments set them."""
    exprs = [attribute.expr for _, attribute in written]
    if module is None:
        return written, set().union(*(_names_read(expr, "var") for expr in exprs))
    local_exprs = {name: attribute.expr for name, (attribute, _) in module.locals.items()}
    read = _locals_read(exprs, local_exprs)
    read_ids = {id(expr) for expr in read}
    found = written + [(path, a) for a, path in module.locals.values() if id(a.expr) in read_ids]
    names: set[str] = set().union(*(_names_read(expr, "var") for expr in exprs + read))
    for name in sorted(names):
        variable = module.variables.get(name)
        if variable is not None and variable.default is not None:
            found.append((variable.path, variable.default))
    found += [
        (f.path, f.attributes[name]) for f in module.files if not f.blocks for name in names if name in f.attributes
    ]
    return found, names


def source_literals(item: Expr, path: str) -> set[str]:
    """The literal strings (at least :data:`MIN_SOURCE_CHARS` long) of the expression that writes
    the item attribute at ``path`` (``password.S``), followed through the object, tuple and
    value-preserving calls of the item expression; none when the path leads out of it (a
    reference, a data file) before naming an attribute.
    """
    found: set[str] = set()
    for expr in _written_at(item, path):
        found |= _all_literals(expr)
    return found


def _written_at(item: Expr, path: str) -> list[Expr]:
    """The expressions that write the attribute at ``path``, followed through the item expression's
    objects, tuples and value-preserving calls; where a function, a condition or a template builds the
    value, that expression. None when the path leads out of the item before naming an attribute."""
    steps = [step for step in _PATH_STEP.findall(path) if step]
    found: list[Expr] = []
    pending = [(item, 0, 0)]
    while pending:
        expr, taken, depth = pending.pop()
        if depth > MAX_EXPR_DEPTH:
            continue
        if taken == len(steps):
            found.append(expr)
        elif isinstance(expr, Call) and expr.name in _VALUE_PRESERVING_CALLS:
            pending.extend((argument, taken, depth + 1) for argument in expr.args)
        elif isinstance(expr, Conditional):  # either branch may write the item
            pending.extend(((expr.then, taken, depth + 1), (expr.otherwise, taken, depth + 1)))
        elif isinstance(expr, ObjectExpr):
            pending.extend((v, taken + 1, depth + 1) for k, v in expr.elements if literal_string(k) == steps[taken])
        elif isinstance(expr, TupleExpr) and steps[taken].isdigit() and int(steps[taken]) < len(expr.items):
            pending.append((expr.items[int(steps[taken])], taken + 1, depth + 1))
        elif taken > 0:
            found.append(expr)
    return found


def _gives_away(text: str) -> bool:
    """Whether a literal beside a secret holds text of its own: not a separator (``"-"``), not a
    format string's verbs (``"%s%s"``) and not punctuation (``"---"``)."""
    own = _FORMAT_VERB.sub("", text).strip()
    return len(own) >= MIN_SOURCE_CHARS and any(char.isalnum() for char in own)


def _all_literals(expr: Expr) -> set[str]:
    """Every literal string in ``expr`` (a string literal, a template's text), at any depth, long
    enough to give something away; names (``var.env``, ``replace``) are code, not literals."""
    found: set[str] = set()
    for node in nodes(expr):
        if isinstance(node, Literal):
            texts: tuple[object, ...] = (node.value,)
        elif isinstance(node, Template):
            texts = node.parts  # the interpolated parts are nodes of their own
        else:
            continue
        found.update(text for text in texts if isinstance(text, str) and _gives_away(text))
    return found


def find_secrets(item: object) -> list[Secret]:
    """Secrets among the string values of a decoded item (valid DynamoDB JSON or not), under any
    descriptor: ``password = { N = "hunter2" }`` is a wrong item, and still a password in state."""
    return list(_classified((leaf.path, leaf.name, leaf.value) for leaf in leaves(item)))


def find_literal_secrets(expr: Expr, evaluated: bool = True) -> list[Secret]:
    """Secrets among the literal strings written in an ``item`` expression; where the item was not
    ``evaluated``, also among the literal pieces of the values functions and templates build."""
    return list(_classified(_literal_strings(expr, "", "", 0, pieces=not evaluated)))


def _classified(candidates: Iterable[tuple[str, str, object]]) -> Iterator[Secret]:
    for path, name, value in candidates:
        if not isinstance(value, str):
            continue
        found = classify(name, value)
        if found is not None:
            kind, text = found
            yield Secret(path, name, kind, text)


def classify(name: str, value: str) -> tuple[str, str] | None:
    """What secret ``value`` under attribute ``name`` is, with the text to redact; None if none."""
    found = _secret_shape(value)
    if found is not None:
        return found
    noun, weak, only_generated = _secret_name(name)
    if (noun is None and not weak) or _is_placeholder(value) or _is_reference(value):
        return None
    if only_generated and not looks_generated(value):
        # ``secrets = ["db_password", "api_key_prod"]`` names secrets; ``boarding_pass`` may be no password
        return None
    if noun is not None and len(value) >= MIN_SECRET_CHARS:
        return noun, value
    if weak and looks_random(value):
        return "a random-looking key", value
    return None


@functools.lru_cache(maxsize=4096)
def _secret_name(name: str) -> tuple[str | None, bool, bool]:
    """What a name says about its value: the noun of a secret-like name, whether it is
    weakly secret-like (secret only if the value looks random), and whether it holds a secret
    only if the value looks generated (a plural, ``pass``, ``creds``). Words after the secret
    word may describe the secret instead of holding it (``token_ttl_seconds``, ``secret_arn``).
    """
    words = name_words(name)
    noun, position = _secret_noun(words)
    if _DESCRIBING_SUFFIXES.intersection(words[position + 1 :]):
        return None, False, False
    word = words[position] if noun is not None else ""
    only_generated = word in _GENERATED_ONLY_WORDS or _singular(word) != word
    return noun, bool(_WEAK_WORDS.intersection(words)), only_generated


def _secret_shape(value: str) -> tuple[str, str] | None:
    """Secrets recognisable by their text alone, under any name; substring checks first,
    as the regular expressions run over every string of every item.
    """
    if any(prefix in value for prefix in _ACCESS_KEY_PREFIXES) and "EXAMPLE" not in value:
        access_key = _AWS_ACCESS_KEY_ID.search(value)
        if access_key is not None:
            return "an AWS access key id", access_key.group(0)
    if "PRIVATE KEY" in value and _PRIVATE_KEY.search(value):
        return "a private key", value
    url = compile_re2(_URL_PASSWORD).search(value) if "://" in value else None
    if url is not None and not _is_placeholder(url.group("password")):
        return "a password inside a URL", url.group("password")
    if any(prefix in value for prefix in _TOKEN_PREFIXES):
        issued = _ISSUED_TOKEN.search(value)
        if issued is not None and "EXAMPLE" not in value:
            return "an issued API token", issued.group(0)
    bearer = _BEARER.search(value) if "Bearer" in value else None
    if bearer is not None and looks_random(bearer.group(1)):
        return "a bearer token", bearer.group(1)
    connection = _CONNECTION_PASSWORD.search(value) if "=" in value and ";" in value else None
    if connection is not None and not _is_placeholder(connection.group(1)) and not _is_reference(connection.group(1)):
        return "a password in a connection string", connection.group(1).strip()
    return None


def _secret_noun(words: tuple[str, ...]) -> tuple[str | None, int]:
    """What a secret-like name holds, and where its secret word is; (None, -1) for other names.
    A plural holds the same (``api_tokens``, ``passwords``, ``signing_keys``)."""
    singular = tuple(_singular(word) for word in words)
    for i, pair in enumerate(zip(words, singular[1:])):
        if pair in _SECRET_PAIRS:
            return _SECRET_PAIRS[pair], i + 1
    for i, word in enumerate(singular):
        if word in _SECRET_WORDS:
            return _SECRET_WORDS[word], i
        if word in _GENERATED_ONLY_WORDS:
            return _GENERATED_ONLY_WORDS[word], i
    return None, -1


def _singular(word: str) -> str:
    """``tokens`` -> ``token``; a word that is no plural of a secret word as it is."""
    if word.endswith("s") and word not in _SECRET_WORDS and (word[:-1] in _SECRET_WORDS or word == "keys"):
        return word[:-1]
    return word


def _is_placeholder(value: str) -> bool:
    """Empty, a stand-in word, a template marker or a run of one character (``xxxx``)."""
    stripped = value.strip()
    if not stripped or len(set(stripped)) == 1:
        return True
    folded = re.sub(r"[^a-z]", "", stripped.lower())
    if folded in _PLACEHOLDER_WORDS or (stripped.startswith(("<", "${", "{{")) and stripped.endswith((">", "}"))):
        return True
    return "EXAMPLE" in stripped or ("example" in folded and len(folded) < 24)


def _is_reference(value: str) -> bool:
    return value.startswith(_REFERENCE_PREFIXES) and _secret_shape(value) is None


def looks_generated(value: str) -> bool:
    """A value a generator made rather than a person named: upper- and lower-case letters mixed
    with digits (``Pl0ralPw2``), or random-looking (:func:`looks_random`)."""
    has = (any(c.isupper() for c in value), any(c.islower() for c in value), any(c.isdigit() for c in value))
    return all(has) or looks_random(value)


def looks_random(value: str) -> bool:
    """A generated token: long, no spaces, and either a long hex string or upper- and
    lower-case letters mixed with digits at high entropy. Paths, UUIDs and words with a
    date in them are not.
    """
    if len(value) < MIN_ENTROPY_CHARS or any(char.isspace() for char in value) or _UUID.match(value):
        return False
    if _HEX.match(value):
        return len(value) >= MIN_HEX_CHARS
    if not (any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)):
        return False
    counts = Counter(value)
    bits = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return bits >= MIN_ENTROPY_BITS


def _literal_strings(expr: Expr, path: str, name: str, depth: int, pieces: bool) -> Iterator[tuple[str, str, object]]:
    """(path, attribute name, text) of every literal string in an item expression.

    With ``pieces`` (the item could not be evaluated, so nothing else sees its values), a literal
    under an attribute's name counts wherever it is written: as an argument of any function but a
    one-way hash (``strrev("...")`` holds the secret as much as its result does) and as the text
    between a template's interpolations (``"${var.env}-S3cret..."``), when it looks like part of a
    secret rather than a word or a format (see :func:`_secret_piece`). A template that is JSON
    text but for its interpolations (a heredoc item with ``${timestamp()}`` in it) is read as JSON
    with each interpolation standing for an unknown value.
    """
    if depth > MAX_EXPR_DEPTH:
        return
    text = _literal_text(expr)
    if text is None and pieces and not name and isinstance(expr, Template):
        text = _template_text(expr)
    if text is not None:
        if name:
            yield path, name, text
        decoded = _json_object(text)
        if decoded is None and pieces and not name:
            yield from _loose_pairs(text)
        yield from ((leaf.path, leaf.name, leaf.value) for leaf in leaves(decoded))
    elif isinstance(expr, ObjectExpr):
        for key_expr, value_expr in expr.elements:
            key = literal_string(key_expr)
            if key is None:
                continue
            child_name = name if key in TYPE_DESCRIPTORS else key
            child_path = f"{path}.{key}" if path else key
            yield from _literal_strings(value_expr, child_path, child_name, depth + 1, pieces)
    elif isinstance(expr, TupleExpr):
        for index, element in enumerate(expr.items):
            yield from _literal_strings(element, f"{path}[{index}]", name, depth + 1, pieces)
    elif isinstance(expr, Call) and expr.name in _VALUE_PRESERVING_CALLS:
        for argument in expr.args:
            yield from _literal_strings(argument, path, name, depth + 1, pieces)
    elif isinstance(expr, Conditional):
        yield from _literal_strings(expr.then, path, name, depth + 1, pieces)
        yield from _literal_strings(expr.otherwise, path, name, depth + 1, pieces)
    elif pieces and name:
        yield from _pieces_under(expr, path, name, depth)
    elif pieces and isinstance(expr, Call) and expr.name not in _ONE_WAY_CALLS:
        # JSON text a function finishes: ``format("{...\"password\": ...}", var.env)``, ``replace(<<EOT ...)``
        for argument in expr.args:
            yield from _literal_strings(argument, path, name, depth + 1, pieces)


def _pieces_under(expr: Expr, path: str, name: str, depth: int) -> Iterator[tuple[str, str, object]]:
    """The literal pieces of a value written under ``name`` that a function or a template builds."""
    if isinstance(expr, Template):
        parts: tuple[str | Expr, ...] = expr.parts
        if parts and isinstance(parts[0], str) and parts[0].startswith(_REFERENCE_PREFIXES):
            return  # where a secret lives, built: ``"arn:aws:secretsmanager:${var.region}:..."``
    elif isinstance(expr, Call) and expr.name not in _ONE_WAY_CALLS:
        parts = expr.args
    else:
        return
    for part in parts:
        if isinstance(part, str):
            if _secret_piece(part):
                yield path, name, part
        elif isinstance(part, Literal) and isinstance(part.value, str):
            if _secret_piece(part.value):
                yield path, name, part.value
        elif not isinstance(part, Directive) and depth < MAX_EXPR_DEPTH:
            yield from _literal_strings(part, path, name, depth + 1, pieces=True)


def _secret_piece(text: str) -> bool:
    """Whether a literal piece of a built value may be part of a secret: not a format string, a
    phrase or a name (``"Bearer "``, ``"%s/%s"``, ``"-api-key-v1"``), but a run without spaces a
    generator made (``"-R3allyS3cret-991"``) or one with a secret's shape (an access key id)."""
    own = _FORMAT_VERB.sub("", text).strip().strip("-_:/.,;|")
    if len(own) < MIN_SECRET_CHARS or any(char.isspace() for char in own):
        return False
    return looks_generated(own) or _secret_shape(own) is not None


def _template_text(template: Template) -> str | None:
    """A template that starts as a JSON object, as text with each interpolation as ``0`` (valid in a
    JSON string and as a JSON value) and each directive as nothing; else None."""
    first = template.parts[0] if template.parts else None
    if not isinstance(first, str) or not first.lstrip().startswith("{"):
        return None
    return "".join(_json_stand_in(part) for part in template.parts)


# ``"name": "value"`` or ``"name": {"S": "value"}`` in JSON-like text; RE2 runs it in linear time.
_LOOSE_PAIR = r'"((?:[^"\\]|\\.)*)"\s*:\s*(?:\{\s*"([A-Z]{1,4})"\s*:\s*)?"((?:[^"\\]|\\.)*)"'


def _loose_pairs(text: str) -> Iterator[tuple[str, str, object]]:
    """(path, name, value) of each string pair in item text that is not JSON: a trailing comma, a
    directive's leftovers (``[%{ for r in var.regions }"${r}",%{ endfor }]``). Each is read as it stands."""
    for count, found in enumerate(compile_re2(_LOOSE_PAIR).finditer(text)):
        if count >= MAX_LEAVES:
            return
        name, descriptor, value = (_json_unescaped(group or "") for group in found.groups())
        yield (f"{name}.{descriptor}" if descriptor else name), name, value


def _json_unescaped(text: str) -> str:
    try:
        decoded = json.loads(f'"{text}"')
    except ValueError:
        return text
    return decoded if isinstance(decoded, str) else text


def _json_stand_in(part: str | Expr) -> str:
    """A template part as JSON text: literal text as it is, an interpolation as ``0``, a directive as nothing."""
    if isinstance(part, str):
        return part
    return "" if isinstance(part, Directive) else "0"


def _literal_text(expr: Expr) -> str | None:
    """The string a literal or an interpolation-free template spells, else None."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and all(isinstance(part, str) for part in expr.parts):
        return "".join(part for part in expr.parts if isinstance(part, str))
    return None


def _json_object(text: str) -> object:
    """A heredoc or string item written as JSON text, decoded; None when it is not JSON."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None

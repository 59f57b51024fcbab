"""Which text is a secret: secret-like names, the shapes secrets take, placeholders and randomness.

A value under ``password`` is a secret unless it is a placeholder or names where
the secret lives; an access key id, a private key or a token a service issued is
one under any name; under ``signing_key`` or ``session`` only a random-looking
value is. The evaluate stage asks this of every string in every item, so cheap
substring checks come before each regular expression.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from ddblint.dynamodb.item_leaves import name_words
from ddblint.untrusted.safe_regex import compile_re2

MIN_SECRET_CHARS = 4  # shorter literals under a secret-like name are placeholders, not secrets
MIN_ENTROPY_CHARS = 20  # a random token shorter than this is rare, a short word with digits common
MIN_HEX_CHARS = 32  # a 128-bit key written in hex; shorter hex strings are often ids or hashes cut short
MIN_ENTROPY_BITS = 3.5  # Shannon bits per character; random base64 or hex scores 3.7 and up
FORMAT_VERB = re.compile(r"%[-+# 0]*(?:\[\d+\])?\d*(?:\.\d+)?[a-zA-Z%]")  # format()'s %s, %05.2f, %[2]d

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
    r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}|xox[abeprs]-\d+-[A-Za-z0-9-]{10,}"
    r"|[sr]k_live_[A-Za-z0-9]{20,}|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,})"
    r"|hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"
)

_BEARER = re.compile(r"\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)")
# ``Password=...;`` in a connection string; a value in braces or quotes may hold a ``;`` of its own.
_CONNECTION_PASSWORD = re.compile(r"""(?i)(?:^|;)\s*(?:password|pwd)\s*=\s*(\{[^}]*\}?|"[^"]*"?|'[^']*'?|[^;]+)""")
_PLACEHOLDER_TOKEN = re.compile(
    r"(?i)x{4}|0{6}|(.)\1{7}|abcdefgh|your|not-a-real|goes-here|fake|dummy|sample|placeholder"
)
_LOWER_RUN = re.compile(r"[a-z]+")
MAX_GENERATED_LOWER_RUN = 4  # a generated value mixes cases; a run of five lower-case letters reads as a word

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
    "names",
    "rule",
    "rules",
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
REFERENCE_PREFIXES = (
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


def classify(name: str, value: str) -> tuple[str, str] | None:
    """What secret ``value`` under attribute ``name`` is, with the text to redact; None if none."""
    found = secret_shape(value)
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


def secret_shape(value: str) -> tuple[str, str] | None:
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
        if issued is not None and "EXAMPLE" not in value and not _PLACEHOLDER_TOKEN.search(issued.group(0)):
            return "an issued API token", issued.group(0)
    bearer = _BEARER.search(value) if "Bearer" in value else None
    if bearer is not None and looks_random(bearer.group(1)) and not _PLACEHOLDER_TOKEN.search(bearer.group(1)):
        return "a bearer token", bearer.group(1)
    connection = _CONNECTION_PASSWORD.search(value) if "=" in value and ";" in value else None
    if connection is not None and _connection_password(connection.group(1).strip()):
        return "a password in a connection string", connection.group(1).strip()
    return None


def _connection_password(value: str) -> bool:
    """A connection string's password, not a setting (``password=disabled``), a placeholder or an
    environment variable (``%DB_PASSWORD%``)."""
    bare = value.strip("{}\"'")
    if _is_placeholder(bare) or _is_reference(bare) or (bare.startswith("%") and bare.endswith("%")):
        return False
    return len(bare) >= MIN_SECRET_CHARS and not re.fullmatch(r"[a-z_]+", bare)


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
    return value.startswith(REFERENCE_PREFIXES) and secret_shape(value) is None


def looks_generated(value: str) -> bool:
    """A value a generator made rather than a person named: upper- and lower-case letters mixed
    with digits and no word in it (``Pl0ralPw2``, not ``Route53Updater``), or random-looking
    (:func:`looks_random`)."""
    has = (any(c.isupper() for c in value), any(c.islower() for c in value), any(c.isdigit() for c in value))
    if all(has) and max(len(run) for run in _LOWER_RUN.findall(value)) <= MAX_GENERATED_LOWER_RUN:
        return True
    return looks_random(value)


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

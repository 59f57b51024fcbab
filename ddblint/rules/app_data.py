"""Signals that items hold application data rather than seed configuration.

Seed items (a config entry, a feature flag, a counter, the first admin user, a
lookup table of a few rows) and application records can share attribute
names: an admin user has an email address too. What tells them apart is
evidence that accumulates: *many different* people, orders or sessions, and
record-keeping fields (``created_at``, balances, workflow statuses) side by
side. Each :class:`Signal` is one piece of evidence; :func:`judge` decides
when there is enough of it.

Attribute names are compared as words (``CustomerName``, ``customer-name`` and
``customer_name`` are one name). Six categories of evidence:

* personal data: email addresses (not role addresses like ``support@``),
  phone numbers, person names, birth dates, postal and payment details;
* record timestamps: ``created_at``, ``updated_at``, ``last_login`` ... holding
  ISO-8601 dates or epoch numbers;
* money and stock: balances, prices, amounts, quantities (not limits);
* transaction ids: order, session, cart, payment ... ids, as names or as key
  values like ``ORDER#1042``;
* workflow statuses: ``status`` holding ``pending``, ``shipped``, ``refunded`` ...;
* record ids: customer, user, account, client ... ids, which weigh only inside a set.

In a template (an item set whose instances cannot be listed), a value that
comes from the iterated collection is unknown but differs per instance: an
``email`` fed from ``each.value`` is as much evidence as forty listed addresses.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ddblint.dynamodb.item_leaves import Leaf, leaves, name_words
from ddblint.evaluate.values import is_iterated

PERSONAL = "personal data"
TIMESTAMPS = "record timestamps"
MONEY = "money and stock"
TRANSACTIONS = "transaction ids"
WORKFLOW = "workflow statuses"
RECORD_IDS = "record ids"

CATEGORIES = (PERSONAL, TRANSACTIONS, TIMESTAMPS, MONEY, WORKFLOW, RECORD_IDS)
# Evidence that differs between separate blocks writing one table: eight blocks of different
# people are a table of people. Timestamps differ between seed entries too (each has its date).
CROSS_BLOCK_CATEGORIES = (PERSONAL, TRANSACTIONS)
# Evidence that a collection holds records when it varies across its items: a lookup
# table of plans has prices, but no two different customers, orders or creation times.
VARYING_CATEGORIES = (PERSONAL, TRANSACTIONS, TIMESTAMPS)
SINGLE_ITEM_CATEGORIES = 3  # a lone item must look like a record on this many counts
SET_CATEGORIES = 2  # an item of a set, on this many

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_ROLE_MAILBOXES = {
    "admin",
    "administrator",
    "support",
    "help",
    "helpdesk",
    "info",
    "contact",
    "billing",
    "sales",
    "noreply",
    "no-reply",
    "donotreply",
    "security",
    "ops",
    "devops",
    "sre",
    "oncall",
    "team",
    "alerts",
    "alert",
    "notifications",
    "notify",
    "platform",
    "abuse",
    "postmaster",
    "webmaster",
    "hello",
    "feedback",
    "accounts",
    "finance",
    "hr",
    "legal",
    "privacy",
    "press",
    "jobs",
    "careers",
    "service",
    "root",
    "system",
}
_PHONE_WORDS = {"phone", "mobile", "telephone", "tel", "msisdn", "cellphone"}
_SHARED_LINE_WORDS = {"support", "helpdesk", "hotline", "office", "sales", "service", "emergency", "switchboard"}
_PERSON_FIELDS = (
    ("first", "name"),
    ("last", "name"),
    ("full", "name"),
    ("given", "name"),
    ("family", "name"),
    ("display", "name"),
    ("surname",),
    ("birthday",),
    ("birth", "date"),
    ("date", "of", "birth"),
    ("dob",),
    ("ssn",),
    ("passport",),
    ("national", "id"),
    ("street",),
    ("postal", "code"),
    ("zip", "code"),
    ("postcode",),
    ("iban",),
    ("card", "number"),
    ("credit", "card"),
    ("customer", "name"),
    ("contact", "name"),
)
_LIFECYCLE_WORDS = {
    "created",
    "updated",
    "modified",
    "deleted",
    "registered",
    "joined",
    "ordered",
    "purchased",
    "paid",
    "shipped",
    "delivered",
    "login",
    "signin",
    "signup",
    "abandoned",
    "placed",
    "requested",
    "submitted",
    "cancelled",
    "canceled",
    "completed",
    "verified",
    "confirmed",
}
# Last words that make an attribute holding a date a record timestamp: ``placedOn``, ``SignupDate``.
_TIME_SUFFIXES = {"at", "on", "date", "time", "timestamp"}
# Dates a configuration schedules rather than records: ``expires_at``, ``release_date``.
_SCHEDULE_WORDS = {
    "expires",
    "expiry",
    "expiration",
    "valid",
    "until",
    "effective",
    "start",
    "starts",
    "end",
    "ends",
    "scheduled",
    "release",
    "released",
    "due",
    "deadline",
    "cutoff",
    "launch",
    "available",
    "maintenance",
}
_LAST_ACTIVITY_WORDS = {"seen", "active", "activity", "access", "accessed", "visit", "visited", "purchase", "order"}
_ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_MONEY_WORDS = {"balance", "price", "amount", "subtotal", "total", "quantity", "qty", "stock", "credits", "cost"}
# Words that make a money or status attribute a setting (``max_amount``, ``initial_status``).
_SETTING_WORDS = {"max", "min", "limit", "threshold", "default", "initial", "fallback", "cap", "maximum", "minimum"}
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_TRANSACTION_WORDS = {
    "order",
    "session",
    "cart",
    "transaction",
    "txn",
    "invoice",
    "payment",
    "booking",
    "checkout",
    "receipt",
    "shipment",
}
_ID_WORDS = {"id", "number", "no", "ref", "reference"}
_RECORD_WORDS = {"customer", "user", "account", "client", "member", "subscriber", "patient", "employee", "buyer"}
_TRANSACTION_VALUE = re.compile(
    r"^(?P<entity>" + "|".join(sorted(_TRANSACTION_WORDS)) + r")s?[#:_-](?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]+$",
    re.IGNORECASE,
)
_STATUS_WORDS = {"status", "state", "stage", "phase"}
_WORKFLOW_VALUES = {
    "pending",
    "processing",
    "shipped",
    "delivered",
    "cancelled",
    "canceled",
    "refunded",
    "paid",
    "unpaid",
    "failed",
    "completed",
    "intransit",
    "returned",
    "awaitingpayment",
    "paymentpending",
    "onhold",
    "dispatched",
    "fulfilled",
    "backordered",
    "outfordelivery",
    "approved",
    "rejected",
    "submitted",
}


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: its category, the attribute that shows it, and a value-free detail.

    ``identity`` tells apart different records showing the same kind of evidence
    (two email addresses, two order ids); it is compared, never printed.
    """

    category: str
    attribute: str
    detail: str = ""
    identity: str = ""
    varies: bool = False  # fed from the iterated collection of a template: different in every instance


def signals(item: object) -> list[Signal]:
    """Every signal in one decoded item."""
    return [signal for leaf in leaves(item) for signal in _leaf_signals(leaf)]


def _leaf_signals(leaf: Leaf) -> tuple[Signal, ...]:
    value = leaf.value
    if is_iterated(value):
        return _iterated_signals(leaf.name)
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return ()
    return _scalar_signals(leaf.name, leaf.kind, str(value).strip())


@functools.lru_cache(maxsize=65536)
def _scalar_signals(name: str, kind: str, text: str) -> tuple[Signal, ...]:
    """What one attribute's value shows; a pure function of its name, type and text, so cached:
    a set's items repeat the same statuses, plans and flags thousands of times."""
    if not text:
        return ()
    words = name_words(name)
    found = (detector(name, words, text, kind) for detector in _DETECTORS)
    return tuple(signal for signal in found if signal is not None)


def _personal(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if _EMAIL.match(text):
        mailbox = text.split("@", 1)[0].lower()
        if any(part in _ROLE_MAILBOXES for part in re.split(r"[._+-]", mailbox)):
            return None
        return Signal(PERSONAL, name, "email addresses", text.lower())
    if _PHONE_WORDS.intersection(words) and not _SHARED_LINE_WORDS.intersection(words):
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 7:
            return Signal(PERSONAL, name, "phone numbers", digits)
    if kind in ("S", "") and _is_person_field(words):
        return Signal(PERSONAL, name, "", text)
    return None


@functools.lru_cache(maxsize=4096)
def _iterated_signals(name: str) -> tuple[Signal, ...]:
    """What a name says when its value comes from the iterated collection: only names that mark people
    or transactions, for their values cannot be read."""
    words = name_words(name)
    if "email" in words or _is_person_field(words):
        detail = "email addresses" if "email" in words else ""
        return (Signal(PERSONAL, name, detail, varies=True),)
    if _PHONE_WORDS.intersection(words) and not _SHARED_LINE_WORDS.intersection(words):
        return (Signal(PERSONAL, name, "phone numbers", varies=True),)
    if _TRANSACTION_WORDS.intersection(words) and words[-1] in _ID_WORDS:
        return (Signal(TRANSACTIONS, name, varies=True),)
    return ()


def _is_person_field(words: tuple[str, ...]) -> bool:
    return any(_contains(words, field) for field in _PERSON_FIELDS if field[0] in words)


def _timestamp(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    lifecycle = (
        bool(_LIFECYCLE_WORDS.intersection(words))
        or ("last" in words and bool(_LAST_ACTIVITY_WORDS.intersection(words)))
        or (len(words) > 1 and words[-1] in _TIME_SUFFIXES and not _SCHEDULE_WORDS.intersection(words))
    )
    if not lifecycle:
        return None
    if _ISO_8601.match(text):
        return Signal(TIMESTAMPS, name, "ISO-8601 values", text)
    if kind in ("N", "") and _EPOCH.match(text):
        return Signal(TIMESTAMPS, name, "epoch times", text)
    return None


def _money(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if not _MONEY_WORDS.intersection(words) or _SETTING_WORDS.intersection(words):
        return None
    return Signal(MONEY, name, identity=text) if _NUMBER.match(text) else None


def _transaction(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if _TRANSACTION_WORDS.intersection(words) and words[-1] in _ID_WORDS:
        return Signal(TRANSACTIONS, name, identity=text)
    prefixed = _TRANSACTION_VALUE.match(text) if kind in ("S", "") else None
    if prefixed is not None:
        return Signal(TRANSACTIONS, name, f"{prefixed.group('entity').upper()}#… keys", text)
    return None


def _record_id(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if len(words) > 1 and words[-1] in _ID_WORDS and _RECORD_WORDS.intersection(words[:-1]):
        return Signal(RECORD_IDS, name, identity=text)
    return None


def _workflow(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if not words or words[-1] not in _STATUS_WORDS or _SETTING_WORDS.intersection(words):
        return None
    folded = re.sub(r"[^a-z]", "", text.lower())
    return Signal(WORKFLOW, name, folded, folded) if folded in _WORKFLOW_VALUES else None


_DETECTORS = (_personal, _timestamp, _money, _transaction, _workflow, _record_id)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class Verdict:
    """Enough evidence of application data: the signals that make the case, by category."""

    evidence: dict[str, list[Signal]]


def judge(items: Sequence[object], template: bool = False) -> Verdict | None:
    """Whether ``items`` (the decoded items of one set) are application data.

    A lone item needs :data:`SINGLE_ITEM_CATEGORIES` kinds of evidence at once
    (record ids not counted): the first admin user with an email and a creation
    date is seed data; an order with an id, a status and an amount is not. In a
    set, one item with :data:`SET_CATEGORIES` kinds is enough, and so are
    personal data, transaction ids or record timestamps that differ from item
    to item: many different people or orders are records, whatever else the
    items hold. A ``template`` stands for every item of a set that cannot be
    listed: a set, whose iterated values differ by construction.
    """
    per_item = [signals(item) for item in items]
    if not any(per_item):
        return None
    alone = len(items) == 1 and not template
    if alone:
        widest = max(len({s.category for s in found if s.category != RECORD_IDS}) for found in per_item)
        return _verdict(per_item) if widest >= SINGLE_ITEM_CATEGORIES else None
    widest = max(len({s.category for s in found}) for found in per_item)
    if widest >= SET_CATEGORIES or _varying(per_item, VARYING_CATEGORIES):
        return _verdict(per_item)
    return None


def _varying(per_item: Sequence[Sequence[Signal]], categories: Sequence[str]) -> set[str]:
    """The categories whose values differ between items (or come from an iterated collection)."""
    found: set[str] = set()
    for category in categories:
        shown = [s for signals_ in per_item for s in signals_ if s.category == category]
        if any(s.varies for s in shown) or len({s.identity for s in shown}) >= 2:
            found.add(category)
    return found


def shared_by_blocks(sets: Sequence[Sequence[object]]) -> set[str]:
    """Categories of :data:`CROSS_BLOCK_CATEGORIES` whose values differ between separate item sets.

    The population of a table: eight blocks of one person each are eight people.
    One set's own variety is :func:`judge`'s; here the values must come from two sets at least.
    """
    owners: dict[str, dict[str, int]] = {}
    for index, items in enumerate(sets):
        for item in items:
            for signal in signals(item):
                if signal.category in CROSS_BLOCK_CATEGORIES:
                    owners.setdefault(signal.category, {}).setdefault(signal.identity, index)
    return {c for c, by_identity in owners.items() if len(by_identity) >= 2 and len(set(by_identity.values())) >= 2}


def evidence_of(items: Sequence[object], categories: set[str]) -> Verdict | None:
    """The signals of ``items`` in ``categories``, or None when they show none."""
    per_item = [[s for s in signals(item) if s.category in categories] for item in items]
    return _verdict(per_item) if any(per_item) else None


def _verdict(per_item: list[list[Signal]]) -> Verdict:
    evidence: dict[str, list[Signal]] = defaultdict(list)
    for found in per_item:
        for signal in found:
            known = evidence[signal.category]
            if all(s.attribute != signal.attribute or s.detail != signal.detail for s in known):
                known.append(signal)
    return Verdict({category: evidence[category] for category in CATEGORIES if category in evidence})

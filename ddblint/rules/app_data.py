"""Signals that items hold application data rather than seed configuration.

Seed items (a config entry, a feature flag, a counter, the first admin user, a
lookup table of a few rows) and application records can share attribute
names: an admin user has an email address too. What tells them apart is
evidence that accumulates: *many different* people, orders or sessions, and
record-keeping fields (``created_at``, balances, workflow statuses) side by
side. Each :class:`Signal` is one piece of evidence; :func:`judge` decides
when there is enough of it.

Five categories of evidence:

* personal data: email addresses (not role addresses like ``support@``),
  phone numbers, person names, birth dates, postal and payment details;
* record timestamps: ``created_at``, ``updated_at``, ``last_login`` ... holding
  ISO-8601 dates or epoch numbers;
* money and stock: balances, prices, amounts, quantities (not limits);
* transaction ids: order, session, cart, payment ... ids, as names or as key
  values like ``ORDER#1042``;
* workflow statuses: ``status`` holding ``pending``, ``shipped``, ``refunded`` ...
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ddblint.dynamodb.item_leaves import Leaf, leaves, name_words

PERSONAL = "personal data"
TIMESTAMPS = "record timestamps"
MONEY = "money and stock"
TRANSACTIONS = "transaction ids"
WORKFLOW = "workflow statuses"

CATEGORIES = (PERSONAL, TRANSACTIONS, TIMESTAMPS, MONEY, WORKFLOW)
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


def signals(item: object) -> list[Signal]:
    """Every signal in one decoded item."""
    return [signal for leaf in leaves(item) for signal in _leaf_signals(leaf)]


def _leaf_signals(leaf: Leaf) -> Iterator[Signal]:
    value = leaf.value
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return
    text = str(value).strip()
    if not text:
        return
    words = name_words(leaf.name)
    for detector in (_personal, _timestamp, _money, _transaction, _workflow):
        found = detector(leaf.name, words, text, leaf.kind)
        if found is not None:
            yield found


def _personal(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if _EMAIL.match(text):
        mailbox = text.split("@", 1)[0].lower()
        if any(part in _ROLE_MAILBOXES for part in re.split(r"[._+-]", mailbox)):
            return None
        return Signal(PERSONAL, name, "email addresses", text.lower())
    digits = re.sub(r"\D", "", text)
    if _PHONE_WORDS.intersection(words) and not _SHARED_LINE_WORDS.intersection(words) and len(digits) >= 7:
        return Signal(PERSONAL, name, "phone numbers", digits)
    if kind in ("S", "") and _is_person_field(words):
        return Signal(PERSONAL, name, "", text)
    return None


def _is_person_field(words: tuple[str, ...]) -> bool:
    return any(_contains(words, field) for field in _PERSON_FIELDS if field[0] in words)


def _timestamp(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    lifecycle = bool(_LIFECYCLE_WORDS.intersection(words)) or (
        "last" in words and bool(_LAST_ACTIVITY_WORDS.intersection(words))
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


def _workflow(name: str, words: tuple[str, ...], text: str, kind: str) -> Signal | None:
    if not words or words[-1] not in _STATUS_WORDS or _SETTING_WORDS.intersection(words):
        return None
    folded = re.sub(r"[^a-z]", "", text.lower())
    return Signal(WORKFLOW, name, folded, folded) if folded in _WORKFLOW_VALUES else None


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class Verdict:
    """Enough evidence of application data: the signals that make the case, by category."""

    evidence: dict[str, list[Signal]]


def judge(items: Sequence[object]) -> Verdict | None:
    """Whether ``items`` (the decoded items of one set) are application data.

    A lone item needs :data:`SINGLE_ITEM_CATEGORIES` kinds of evidence at once:
    the first admin user with an email and a creation date is seed data; an
    order with an id, a status and an amount is not. In a set, one item with
    :data:`SET_CATEGORIES` kinds is enough, and so are personal data,
    transaction ids or record timestamps that differ from item to item: many
    different people or orders are records, whatever else the items hold.
    """
    per_item = [signals(item) for item in items]
    if not any(per_item):
        return None
    widest = max(len({s.category for s in found}) for found in per_item)
    if len(items) == 1:
        return _verdict(per_item) if widest >= SINGLE_ITEM_CATEGORIES else None
    varying = {
        category
        for category in VARYING_CATEGORIES
        if len({s.identity for found in per_item for s in found if s.category == category}) >= 2
    }
    if widest >= SET_CATEGORIES or varying:
        return _verdict(per_item)
    return None


def _verdict(per_item: list[list[Signal]]) -> Verdict:
    evidence: dict[str, list[Signal]] = defaultdict(list)
    for found in per_item:
        for signal in found:
            known = evidence[signal.category]
            if all(s.attribute != signal.attribute or s.detail != signal.detail for s in known):
                known.append(signal)
    return Verdict({category: evidence[category] for category in CATEGORIES if category in evidence})

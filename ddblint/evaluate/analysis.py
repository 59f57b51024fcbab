"""What the files mean once evaluated: item sets, their tables and counts, per root module.

``ItemSet``, ``Table`` and ``TableLoad`` say how many items each
``aws_dynamodb_table_item`` writes, into which table, with which content, and
which secrets that content holds; ``Analysis`` is all of it for one run, the
input of the rules. Plain values, so a root's part can be cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ddblint.evaluate.masking import Place
from ddblint.evaluate.values import BUDGET_EXCEEDED
from ddblint.model.file_notes import FileNotes
from ddblint.model.module import Resource
from ddblint.problems import ParseProblem
from ddblint.span import Span

if TYPE_CHECKING:
    from ddblint.evaluate.secrets import Secret


@dataclass(frozen=True, slots=True)
class Count:
    """How many instances ``count``/``for_each`` (or a module fan-out) make.

    ``exact`` when known; otherwise ``upper`` when only a bound is known (a
    toggle ``var.on ? 1 : 0``); neither when unbounded, with ``unknown`` saying
    why and ``external`` telling whether only Terraform could know (a variable
    without a value, a data source) rather than ddblint declining to compute it;
    ``unknown_origin`` names what the unknown comes from (``var.users``), so a
    finding can say which declaration a ``validation`` would bound.
    """

    exact: int | None = 1
    upper: int | None = 1
    via: str = ""
    data_files: tuple[str, ...] = ()
    unknown: str = ""
    external: bool = False
    origin_span: Span | None = None
    unknown_origin: str = ""

    @property
    def bounded(self) -> bool:
        return self.upper is not None

    @property
    def largest(self) -> int | None:
        return self.exact if self.exact is not None else self.upper

    def times(self, other: Count) -> Count:
        """The count of ``self`` inside each of ``other``'s instances."""
        # an outer count too costly to evaluate says more than what it left the inner one to read
        why = other if BUDGET_EXCEEDED in other.unknown or not self.unknown else self
        exact = None if self.exact is None or other.exact is None else self.exact * other.exact
        upper = None if self.upper is None or other.upper is None else self.upper * other.upper
        return Count(
            exact=exact,
            upper=upper,
            via="; ".join(v for v in (other.via, self.via) if v),
            data_files=other.data_files + self.data_files,
            unknown=why.unknown,
            external=self.external or other.external,
            origin_span=self.origin_span or other.origin_span,
            unknown_origin=why.unknown_origin,
        )


ONE = Count()


@dataclass(frozen=True, slots=True)
class Table:
    """An ``aws_dynamodb_table`` with the key schema item rules check against."""

    address: str
    name: str | None
    hash_key: str | None
    range_key: str | None
    attribute_types: dict[str, str]
    span: Span


def key_literal(key: object) -> str:
    """An instance key as Terraform writes it in an address: ``3`` for ``count``, ``"user-7"`` for ``for_each``."""
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    return json.dumps(str(key), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class ItemInstance:
    """One evaluated item: ``value`` is the decoded item object, or an Unknown."""

    key: object  # each.key or count.index; None for a template
    value: Any  # rules index it once they know it is an object (see rules.item_sets.decoded)
    hash_key: object = None
    range_key: object = None
    nondeterministic: tuple[str, ...] = ()
    text: str | None = None  # the item's JSON text, when it evaluated to a string
    json_error: str = ""  # why ``text`` is not usable JSON, if it is not


@dataclass(frozen=True, slots=True)
class CallSite:
    """One module call on the way from a root module to an item: ``module.a.module.b`` written at ``span``."""

    address: str
    span: Span


@dataclass(frozen=True, slots=True)
class ItemSet:
    """One ``aws_dynamodb_table_item`` resource in one module instance path."""

    address: str
    resource: Resource
    module_address: str
    count: Count
    fanout: Count
    table: Table | None
    table_label: str
    instances: tuple[ItemInstance, ...]
    ignore_changes: tuple[str, ...]
    table_name_literal: str | None = None
    table_name: str | None = None  # ``table_name`` when it evaluates to a known string, literal or not
    # For a table not resolved: where its unknown name comes from (``data.aws_dynamodb_table.a.name``),
    # so copies of one module given different tables are not counted as one table's population.
    table_origin: str = ""
    nondeterministic: tuple[str, ...] = ()
    total: Count = ONE  # items over all module instances: what the table really receives
    # Every secret in the items (instance key, secret), found once: DDB024 reports them, the redactor masks them.
    secrets: tuple[tuple[object, Secret], ...] = ()
    secret_places: tuple[Place, ...] = ()  # where the set is written, when it holds a secret: masked by position
    root_dir: str = ""  # the root module this set is instantiated from
    callers: tuple[CallSite, ...] = ()  # the module calls from the root to the set, outermost first
    # The item as every instance writes it, when no instance can be listed (``count`` zero or
    # unknown): ``each``, ``count.index`` and what they select are unknown, the rest is certain.
    template: ItemInstance | None = None

    @property
    def span(self) -> Span:
        return self.resource.span

    @property
    def block_place(self) -> tuple[str, int, int]:
        """Where the resource block is written: copies of one module share it."""
        span = self.resource.span
        return span.path, span.line, span.column

    @property
    def path(self) -> str:
        return self.resource.path

    def secret_spellings(self) -> Iterator[str]:
        """Every text a report must mask for this set's secrets."""
        for _, secret in self.secrets:
            yield from secret.spellings()

    @property
    def is_set(self) -> bool:
        """More than one item: ``count``/``for_each`` or module fan-out can exceed 1."""
        total = self.total
        return total.upper is None or total.upper > 1


@dataclass(frozen=True, slots=True)
class TableLoad:
    """A table's population: every item set that writes into one table from one root module.

    Sibling blocks, copy-pasted module calls, ``for_each``ed and nested calls all
    add their sets here, each carrying its provenance (``root_dir``, ``callers``,
    the block, ``total.data_files``), so rules judge what the table receives.
    A table known by address or name is one population; one ddblint cannot
    resolve is one per place its name comes from (``table_origin``).
    """

    table_label: str
    table: Table | None
    root_dir: str
    item_sets: tuple[ItemSet, ...]

    @property
    def path(self) -> str:
        """The file of the first item set: where options and errors of a table's checks belong."""
        return self.item_sets[0].path if self.item_sets else self.root_dir


@dataclass(slots=True)
class Analysis:
    """Evaluated subjects handed to rules: one root's, or (for ``ddblint migrate``) the whole run's."""

    problems: list[ParseProblem] = field(default_factory=list)
    item_sets: list[ItemSet] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loads: list[TableLoad] = field(default_factory=list)
    # what could not be judged for want of context (see evaluate.roots), told to the user, never a finding
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RootPart:
    """One root module's item sets and table loads, checked and then let go of before the run ends.

    ``index`` is the root's place in the run's order, so what is merged at the end
    comes out in that order whichever root was finished first; ``key`` changes
    whenever the root's analysis can (set when a cache is in use). A root whose
    outcome an earlier run stored comes with no item sets and its ``checked``
    findings; a root that can have an outcome comes with ``remember``, which the
    check stage calls with the root's masked findings.
    """

    index: int
    root: str
    item_sets: list[ItemSet]
    loads: list[TableLoad]
    key: str | None = None
    checked: Any = None  # the checks' result (``rules.engine.Checked``), reused from an earlier run
    remember: Callable[[Any], None] | None = None  # given the root's findings, or None when it has no outcome


@dataclass(slots=True)
class RunFacts:
    """What a run keeps of every root once its part is checked: small values, not parse trees or items.

    Complete only when every :class:`RootPart` has been taken: the filter stage
    masks with ``secrets`` and reads ``files`` for suppression comments.
    ``analysis`` is every root's item sets and loads, kept only for a caller
    that asked for them (``ddblint migrate``, tests).
    """

    files: list[FileNotes] = field(default_factory=list)  # every file of the relevant modules
    modules: int = 0  # relevant modules parsed
    problems: list[ParseProblem] = field(default_factory=list)  # discovery's, the modules', the roots'; each once
    secrets: list[str] = field(default_factory=list)  # the text of every secret found in an item
    secret_places: list[Place] = field(default_factory=list)  # where the item sets that hold them are written
    item_sets: int = 0
    notes: list[str] = field(default_factory=list)
    analysis: Analysis | None = None

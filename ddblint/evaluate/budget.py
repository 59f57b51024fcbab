"""What one run may spend on evaluation, shared by every root module it analyses.

A budget per expression or per root stops one runaway expression, but not a
repository of a thousand roots each just under its limit: their sum has no
bound. So the run holds one :class:`Budget` of evaluation steps and of
characters built (a list element counts ``ELEMENT_WEIGHT``), every root draws
on it in the order roots are analysed, and past it every further expression is
unknown at once. Roots are analysed in a fixed order in the main process, and
a cached root is charged what it spent when it was evaluated, so what runs out
where does not depend on ``--jobs`` or on the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A 5 MB file copied ten times, over the whole run.
CHARACTER_BUDGET = 50_000_000
# Steps of the expression walk over the whole run, ten expressions at their own limit
# (ddblint.evaluate.expressions.STEP_BUDGET): about a minute of evaluation at most.
RUN_STEP_BUDGET = 20_000_000
ELEMENT_WEIGHT = 16


class BudgetExceeded(Exception):
    """Raised when an evaluation would take more steps or build more than is left."""


def _characters() -> int:
    return CHARACTER_BUDGET  # read when a run starts, so a test can lower it


def _steps() -> int:
    return RUN_STEP_BUDGET


@dataclass(frozen=True)
class Spent:
    """What an analysis drew from the budget, and whether it was refused any of it."""

    characters: int = 0
    steps: int = 0
    refused: bool = False  # the run's budget said no: with more left, the analysis would differ
    cut: int = 0  # expressions left unknown as too costly


@dataclass
class Budget:
    """What is left of the run's evaluation budget."""

    characters: int = field(default_factory=_characters)
    steps: int = field(default_factory=_steps)
    refusals: int = 0  # times the run's budget said no
    cut: int = 0  # expressions left unknown for it, or for taking more than STEP_BUDGET steps alone

    def spend_characters(self, count: int) -> None:
        self.characters -= count
        if self.characters < 0:
            self.refuse()

    def spend_steps(self, count: int) -> None:
        self.steps -= count
        if self.steps < 0:
            self.refuse()

    def refuse(self) -> None:
        self.refusals += 1
        raise BudgetExceeded

    def left(self) -> Budget:
        """A copy of what is left now, to tell later what an analysis spent (:meth:`spent_since`)."""
        return Budget(self.characters, self.steps, self.refusals, self.cut)

    def spent_since(self, before: Budget) -> Spent:
        return Spent(
            before.characters - self.characters,
            before.steps - self.steps,
            self.refusals > before.refusals,
            self.cut - before.cut,
        )

    def affords(self, spent: Spent) -> bool:
        """Whether an analysis that once spent ``spent``, never refused, would get as far again now."""
        return not spent.refused and spent.characters <= self.characters and spent.steps <= self.steps

    def charge(self, spent: Spent) -> None:
        """Charge a reused analysis what it spent when it ran (see :meth:`affords`)."""
        self.characters -= spent.characters
        self.steps -= spent.steps

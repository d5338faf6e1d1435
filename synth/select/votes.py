"""Self-consistency votes: distinct supporters per group of identical test outputs.

A verified program votes with its text, a grid answer (from a direct-output proposer) with its
proposer's name, so a program and a grid model that agree count as two supporters. Only
groups whose outputs pass `consistent_outputs` (the task's invariants) and that hold at least
one verified program count toward `best`: grid answers support programs, they do not end the
search on their own.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from dsl.values import value_key
from synth.data.task import Grid
from synth.proposers.base import GridCandidate, ProgramCandidate


class Votes:
    """Distinct supporters per test-output group (see the module docstring)."""

    def __init__(self, consistent_outputs: Callable[[Sequence[Grid]], bool]) -> None:
        self.consistent_outputs = consistent_outputs
        self.supporters: dict[object, set[str]] = {}
        self.with_program: set[object] = set()
        self.best = 0

    @property
    def solved(self) -> bool:
        """Some consistent verified program exists."""
        return self.best > 0

    def add(self, cand: ProgramCandidate | GridCandidate) -> int:
        """Count a verified program or a grid answer; return the best group's support."""
        outputs = tuple(cand.test_outputs)
        if not self.consistent_outputs(outputs):
            return self.best
        key = value_key(outputs)
        voter = cand.program if isinstance(cand, ProgramCandidate) else f"grid:{cand.proposer}"
        self.supporters.setdefault(key, set()).add(voter)
        if isinstance(cand, ProgramCandidate):
            self.with_program.add(key)
        if key in self.with_program:
            self.best = max(self.best, len(self.supporters[key]))
        return self.best

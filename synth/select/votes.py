"""Self-consistency votes: distinct supporters per group of identical test outputs.

A verified program votes with its text, a grid answer (from a direct-output proposer) with its
proposer's name, so a program and a grid model that agree count as two supporters. A program
whose proposer votes as one (`ProgramCandidate.votes_as_one`: the closure's colour-mapped and
composed variants of one search) votes with its proposer's name too, so a family of
near-identical programs from one proposer is one supporter and cannot end the search on its
own; a program text already counted in a group adds nothing, whoever found it again. Only
groups whose outputs pass `consistent_outputs` (the task's invariants) and that hold at least
one verified program count toward `best`: grid answers support programs, they do not end the
search on their own. Likewise `solved` (which makes the search loop give later stages a
smaller share) needs such a group whose only supporter is not one family: the closure's
colour-mapped fits of tiny outputs are often wrong, and must not starve the enumerator.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from dsl.values import value_key
from synth.data.task import Grid
from synth.proposers.base import GridCandidate, ProgramCandidate

FAMILY = "family:"  # prefix of a proposer voting as one (program texts start with `solve(`)


def program_voter(cand: ProgramCandidate) -> str:
    """Who a verified program votes as: its proposer when that proposer votes as one, else
    the program itself."""
    return f"{FAMILY}{cand.proposer}" if cand.votes_as_one else cand.program


class Votes:
    """Distinct supporters per test-output group (see the module docstring): `best` is the
    largest support of a consistent group holding a verified program, `solved` whether such
    a group has a supporter besides one family."""

    def __init__(self, consistent_outputs: Callable[[Sequence[Grid]], bool]) -> None:
        self.consistent_outputs = consistent_outputs
        self.supporters: dict[object, set[str]] = {}
        self.programs: dict[object, set[str]] = {}
        self.best = 0
        self.solved = False

    def add(self, cand: ProgramCandidate | GridCandidate) -> int:
        """Count a verified program or a grid answer; return the best group's support."""
        outputs = tuple(cand.test_outputs)
        if not self.consistent_outputs(outputs):
            return self.best
        key = value_key(outputs)
        supporters = self.supporters.setdefault(key, set())
        if isinstance(cand, ProgramCandidate):
            programs = self.programs.setdefault(key, set())
            if cand.program not in programs:
                programs.add(cand.program)
                supporters.add(program_voter(cand))
        else:
            supporters.add(f"grid:{cand.proposer}")
        if key in self.programs:
            self.best = max(self.best, len(supporters))
            self.solved = self.solved or not family_only(supporters)
        return self.best


def family_only(supporters: set[str]) -> bool:
    """Whether a group's support is one proposer's family of programs and nothing else."""
    return len(supporters) == 1 and next(iter(supporters)).startswith(FAMILY)

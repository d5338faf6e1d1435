"""Ranking: group program and grid answers by their test outputs and order the groups.

Answers come in three tiers. Groups holding a verified program come first; grid answers from
direct-output proposers (`GridCandidate`s) with outputs no verified program gave come next;
partial matches (unverified programs) and finally the identity fill what is left. A grid
answer whose outputs equal a verified program's joins that program's group: a program and a
grid model agreeing is agreement.

Within the verified tier a group's score is, in order: whether its test outputs obey the
task's invariants (when they were inferred, see `synth.analysis.invariants`), how many
distinct proposers support it, the summed ensemble weight of the model members among them
(each member's `weight` from the models file, once), how close its test outputs come to the
predicted shapes (`size_miss`: among groups that break a size law, typically a constant size
fitted to train outputs of one shape, the nearest shapes first), the shortest description
length (fewer is better), how many distinct programs, then the best prior. Description length
comes before the program count because many programs that differ only by trivial recolourings
are not independent support. Grid-only groups order by consistency, distinct proposers,
weight, `size_miss`, then summed confidence. A
`reorder` function (the meta-voter, `synth.select.voter`) may reorder the verified groups.

`Ranked.alternatives` describes every option considered (the verified groups in rank order,
capped at `MAX_RECORDED`, then grid answers and fallbacks) as JSON-able dicts, so that batch
runs can measure whether a correct answer was found but not chosen, and a meta-voter can learn
from it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dsl.values import value_key
from synth.analysis.invariants import Invariants, check_outputs, consistent, size_miss
from synth.data.task import Challenge, Grid, valid_grid
from synth.proposers.base import GridCandidate, ProgramCandidate
from synth.search.closeness import train_accuracy

MAX_RECORDED = 16
Reorder = Callable[[Challenge, Sequence[dict[str, Any]]], Sequence[int]]
Checks = tuple[tuple[str, bool | None], ...]


@dataclass(frozen=True)
class Group:
    """Answers with identical test outputs: verified programs and grid answers."""

    outputs: tuple[Grid, ...]
    members: tuple[ProgramCandidate, ...] = ()
    grids: tuple[GridCandidate, ...] = ()
    checks: Checks = ()
    size_miss: int = 0

    @property
    def consistent(self) -> bool:
        """No inferred invariant is violated by the test outputs."""
        return consistent(dict(self.checks))

    @property
    def proposers(self) -> frozenset[str]:
        """Every proposer that gave these outputs."""
        return frozenset(c.proposer for c in (*self.members, *self.grids))

    @property
    def weight(self) -> float:
        """The ensemble weight behind the group: each supporting member's weight, once."""
        weights: dict[str, float] = {}
        for cand in (*self.members, *self.grids):
            weights[cand.proposer] = max(weights.get(cand.proposer, 0.0), cand.weight)
        return sum(weights.values())

    @property
    def confidence(self) -> float:
        """Summed confidence of the grid answers."""
        return sum(g.confidence for g in self.grids)

    @property
    def best(self) -> ProgramCandidate | None:
        """The shortest program (then the highest prior), if any."""
        return min(self.members, key=lambda c: (c.cost, -c.prior)) if self.members else None

    @property
    def lead_proposer(self) -> str:
        """Who gets the credit: the best program's proposer, else the most confident grid's."""
        if self.best is not None:
            return self.best.proposer
        return max(self.grids, key=lambda g: g.confidence).proposer

    def score(self) -> tuple[bool, int, float, int, int, int, float]:
        """Sort key within a tier, larger is better."""
        best = self.best
        if best is None:
            return (self.consistent, len(self.proposers), self.weight, -self.size_miss, 0, 0,
                    self.confidence)
        return (self.consistent, len(self.proposers), self.weight, -self.size_miss, -best.cost,
                len({c.program for c in self.members}), max(c.prior for c in self.members))


def output_checks(task: Challenge, outputs: Sequence[Grid], invariants: Invariants | None
                  ) -> Checks:
    """The invariant checks of some test outputs (none when no invariants were inferred)."""
    if invariants is None:
        return ()
    return tuple(check_outputs(invariants, task, outputs).items())


def output_size_miss(outputs: Sequence[Grid], invariants: Invariants | None) -> int:
    """How far some test outputs are from the predicted shapes (0 without invariants)."""
    return size_miss(invariants, outputs) if invariants is not None else 0


def group_candidates(candidates: Sequence[ProgramCandidate], task: Challenge | None = None,
                     invariants: Invariants | None = None,
                     grids: Sequence[GridCandidate] = ()) -> list[Group]:
    """Groups of verified programs and grid answers by test outputs, best first: groups with
    a program, then grid-only groups (checked against the invariants when both the task and
    its invariants are given)."""
    programs: dict[object, list[ProgramCandidate]] = {}
    answers: dict[object, list[GridCandidate]] = {}
    first: dict[object, tuple[Grid, ...]] = {}
    for cand in candidates:
        key = value_key(tuple(cand.test_outputs))
        programs.setdefault(key, []).append(cand)
        first.setdefault(key, tuple(cand.test_outputs))
    for grid in grids:
        key = value_key(tuple(grid.test_outputs))
        answers.setdefault(key, []).append(grid)
        first.setdefault(key, tuple(grid.test_outputs))
    result = []
    for key, outputs in first.items():
        checks = output_checks(task, outputs, invariants) if task is not None else ()
        result.append(Group(outputs, tuple(programs.get(key, ())), tuple(answers.get(key, ())),
                            checks, output_size_miss(outputs, invariants)))
    return sorted(result, key=lambda g: (g.best is not None, g.score()), reverse=True)


@dataclass(frozen=True)
class Ranked:
    """Two attempts per test input, and who answered attempt 1 (None for a fallback)."""

    attempts: tuple[tuple[Grid, Grid], ...]
    program: str | None
    proposer: str | None
    n_groups: int
    alternatives: tuple[dict[str, Any], ...] = ()


def describe_group(group: Group, task: Challenge, verified: bool) -> dict[str, Any]:
    """A JSON-able summary of a group: its test outputs, support and best program."""
    best = group.best
    return {"outputs": [g.tolist() for g in group.outputs], "verified": verified,
            "proposers": sorted(group.proposers),
            "programs": len({c.program for c in group.members}),
            "members": len(group.members) + len(group.grids),
            "grids": len(group.grids), "confidence": round(group.confidence, 4),
            "weight": round(group.weight, 4),
            "cost": best.cost if best else 0,
            "prior": max(c.prior for c in group.members) if best else group.confidence,
            "train_accuracy": 1.0 if verified else round(
                train_accuracy(best.train_outputs, task), 4) if best else 0.0,
            "checks": dict(group.checks), "size_miss": group.size_miss,
            "program": best.program if best else None}


def _fallbacks(task: Challenge, partial: Sequence[ProgramCandidate],
               invariants: Invariants | None) -> list[Group]:
    """Partial matches with valid outputs, those obeying the invariants first, then by prior."""
    found = []
    for cand in partial:
        outputs = tuple(cand.test_outputs)
        if len(outputs) == len(task.test_inputs) and all(valid_grid(g) for g in outputs):
            found.append(Group(outputs, (cand,), (), output_checks(task, outputs, invariants),
                               output_size_miss(outputs, invariants)))
    return sorted(found, key=lambda g: (g.consistent, -g.size_miss, g.members[0].prior),
                  reverse=True)


def rank(task: Challenge, verified: Sequence[ProgramCandidate],
         partial: Sequence[ProgramCandidate], invariants: Invariants | None = None,
         reorder: Reorder | None = None, grids: Sequence[GridCandidate] = ()) -> Ranked:
    """Pick attempts 1 and 2: verified groups, then grid answers, then partial matches, then
    the identity."""
    all_groups = group_candidates(verified, task, invariants, grids)
    with_program = [g for g in all_groups if g.best is not None][:MAX_RECORDED]
    grid_only = [g for g in all_groups if g.best is None][:MAX_RECORDED]
    described = [describe_group(g, task, True) for g in with_program]
    if reorder is not None and len(with_program) > 1:
        order = list(reorder(task, described))
        with_program = [with_program[i] for i in order]
        described = [described[i] for i in order]
    ranked = with_program + grid_only
    described += [describe_group(g, task, False) for g in grid_only]
    choices = [g.outputs for g in ranked[:2]]
    for group in _fallbacks(task, partial, invariants):
        if len(choices) >= 2:
            break
        if value_key(group.outputs) not in {value_key(c) for c in choices}:
            choices.append(group.outputs)
            described.append(describe_group(group, task, False))
    while len(choices) < 2:
        choices.append(task.test_inputs)
    attempts = tuple((a, b) for a, b in zip(choices[0], choices[1]))
    top = ranked[0] if ranked else None
    return Ranked(attempts, top.best.program if top and top.best else None,
                  top.lead_proposer if top else None, len(all_groups), tuple(described))

"""Ranking: group verified candidates by their test outputs and order the groups.

A group's score is, in order: whether its test outputs obey the task's invariants (when they
were inferred, see `synth.analysis.invariants`), how many distinct proposers support it, the shortest
description length (fewer is better), how many distinct programs, then the best prior.
Description length comes before the program count because many programs that differ only by
trivial recolourings are not independent support. The
top two groups give attempts 1 and 2; missing attempts are filled from partial matches and
finally from the identity, and such fallbacks are marked as unverified. A `reorder` function
(the meta-voter, `synth.select.voter`) may then reorder the verified groups it is shown.

`Ranked.alternatives` describes every option considered (the verified groups in rank order,
capped at `MAX_RECORDED`, then the fallbacks) as JSON-able dicts, so that batch runs can
measure whether a correct answer was found but not chosen, and a meta-voter can learn from it.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dsl.values import value_key
from synth.analysis.invariants import Invariants, check_outputs, consistent
from synth.proposers.base import ProgramCandidate, train_accuracy
from synth.data.task import Grid, Task
from synth.select.verify import valid_grid

MAX_RECORDED = 16
Reorder = Callable[[Task, Sequence[dict[str, Any]]], Sequence[int]]


@dataclass(frozen=True)
class Group:
    """Candidates with identical test outputs."""

    outputs: tuple[Grid, ...]
    members: tuple[ProgramCandidate, ...]
    checks: tuple[tuple[str, bool | None], ...] = ()

    @property
    def consistent(self) -> bool:
        """No inferred invariant is violated by the test outputs."""
        return consistent(dict(self.checks))

    @property
    def best(self) -> ProgramCandidate:
        """The shortest member (then the highest prior)."""
        return min(self.members, key=lambda c: (c.cost, -c.prior))

    def score(self) -> tuple[bool, int, int, int, float]:
        """Sort key, larger is better: consistent, proposers, -length, programs, prior."""
        return (self.consistent, len({c.proposer for c in self.members}), -self.best.cost,
                len({c.program for c in self.members}), max(c.prior for c in self.members))


def output_checks(task: Task, outputs: Sequence[Grid], invariants: Invariants | None
                  ) -> tuple[tuple[str, bool | None], ...]:
    """The invariant checks of some test outputs (none when no invariants were inferred)."""
    if invariants is None:
        return ()
    return tuple(check_outputs(invariants, task, outputs).items())


def group_candidates(candidates: Sequence[ProgramCandidate], task: Task | None = None,
                     invariants: Invariants | None = None) -> list[Group]:
    """Groups of candidates by test outputs, best first (checked against the invariants when
    both the task and its invariants are given)."""
    groups: dict[object, list[ProgramCandidate]] = {}
    for cand in candidates:
        groups.setdefault(value_key(tuple(cand.test_outputs)), []).append(cand)
    result = []
    for members in groups.values():
        outputs = tuple(members[0].test_outputs)
        checks = output_checks(task, outputs, invariants) if task is not None else ()
        result.append(Group(outputs, tuple(members), checks))
    return sorted(result, key=Group.score, reverse=True)


@dataclass(frozen=True)
class Ranked:
    """Two attempts per test input, and the candidate behind attempt 1 (if verified)."""

    attempts: tuple[tuple[Grid, Grid], ...]
    winner: ProgramCandidate | None
    n_groups: int
    alternatives: tuple[dict[str, Any], ...] = ()


def describe_group(group: Group, task: Task, verified: bool) -> dict[str, Any]:
    """A JSON-able summary of a group: its test outputs, support and best program."""
    members = group.members
    return {"outputs": [g.tolist() for g in group.outputs], "verified": verified,
            "proposers": sorted({c.proposer for c in members}),
            "programs": len({c.program for c in members}), "members": len(members),
            "cost": group.best.cost, "prior": max(c.prior for c in members),
            "train_accuracy": 1.0 if verified else round(
                train_accuracy(group.best.train_outputs, task), 4),
            "checks": dict(group.checks), "program": group.best.program}


def rank(task: Task, verified: Sequence[ProgramCandidate],
         partial: Sequence[ProgramCandidate], invariants: Invariants | None = None,
         reorder: Reorder | None = None) -> Ranked:
    """Pick attempts 1 and 2 from verified groups, then partial matches, then the identity.

    Partial matches whose test outputs obey the invariants are preferred, then by prior."""
    all_groups = group_candidates(verified, task, invariants)
    groups = all_groups[:MAX_RECORDED]
    described = [describe_group(g, task, True) for g in groups]
    if reorder is not None and len(groups) > 1:
        order = list(reorder(task, described))
        groups, described = [groups[i] for i in order], [described[i] for i in order]
    choices = [g.outputs for g in groups[:2]]
    fallbacks = []
    for cand in partial:
        outputs = tuple(cand.test_outputs)
        if len(outputs) == len(task.test) and all(valid_grid(g) for g in outputs):
            fallbacks.append(Group(outputs, (cand,), output_checks(task, outputs, invariants)))
    for group in sorted(fallbacks, key=lambda g: (g.consistent, g.members[0].prior),
                        reverse=True):
        if len(choices) >= 2:
            break
        if value_key(group.outputs) not in {value_key(c) for c in choices}:
            choices.append(group.outputs)
            described.append(describe_group(group, task, False))
    identity = tuple(ex.input for ex in task.test)
    while len(choices) < 2:
        choices.append(identity)
    attempts = tuple((a, b) for a, b in zip(choices[0], choices[1]))
    return Ranked(attempts, groups[0].best if groups else None, len(all_groups),
                  tuple(described))

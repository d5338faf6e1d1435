"""Ranking: group verified candidates by their test outputs and order the groups.

A group's score is, in order: how many distinct proposers support it, the shortest
description length (fewer is better), how many distinct programs, then the best prior.
Description length comes before the program count because many programs that differ only by
trivial recolourings are not independent support. The
top two groups give attempts 1 and 2; missing attempts are filled from partial matches and
finally from the identity, and such fallbacks are marked as unverified.

`Ranked.alternatives` describes every option considered (the verified groups in rank order,
capped at `MAX_RECORDED`, then the fallbacks) as JSON-able dicts, so that batch runs can
measure whether a correct answer was found but not chosen, and a meta-voter can learn from it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dsl.values import value_key
from synth.proposers.base import ProgramCandidate, train_accuracy
from synth.task import Grid, Task
from synth.verify import valid_grid

MAX_RECORDED = 16


@dataclass(frozen=True)
class Group:
    """Candidates with identical test outputs."""

    outputs: tuple[Grid, ...]
    members: tuple[ProgramCandidate, ...]

    @property
    def best(self) -> ProgramCandidate:
        """The shortest member (then the highest prior)."""
        return min(self.members, key=lambda c: (c.cost, -c.prior))

    def score(self) -> tuple[int, int, int, float]:
        """Sort key, larger is better: proposers, -length, programs, prior."""
        return (len({c.proposer for c in self.members}), -self.best.cost,
                len({c.program for c in self.members}), max(c.prior for c in self.members))


def group_candidates(candidates: Sequence[ProgramCandidate]) -> list[Group]:
    """Groups of candidates by test outputs, best first."""
    groups: dict[object, list[ProgramCandidate]] = {}
    for cand in candidates:
        groups.setdefault(value_key(tuple(cand.test_outputs)), []).append(cand)
    result = [Group(tuple(members[0].test_outputs), tuple(members)) for members in groups.values()]
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
            "program": group.best.program}


def rank(task: Task, verified: Sequence[ProgramCandidate],
         partial: Sequence[ProgramCandidate]) -> Ranked:
    """Pick attempts 1 and 2 from verified groups, then partial matches, then the identity."""
    groups = group_candidates(verified)
    choices = [g.outputs for g in groups[:2]]
    described = [describe_group(g, task, True) for g in groups[:MAX_RECORDED]]
    for cand in sorted(partial, key=lambda c: -c.prior):
        if len(choices) >= 2:
            break
        outputs = tuple(cand.test_outputs)
        if all(valid_grid(g) for g in outputs) and value_key(outputs) not in \
                {value_key(c) for c in choices}:
            choices.append(outputs)
            described.append(describe_group(Group(outputs, (cand,)), task, False))
    identity = tuple(ex.input for ex in task.test)
    while len(choices) < 2:
        choices.append(identity)
    attempts = tuple((a, b) for a, b in zip(choices[0], choices[1]))
    return Ranked(attempts, groups[0].best if groups else None, len(groups), tuple(described))

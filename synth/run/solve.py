"""The search loop: run proposers under one wall-clock budget, verify, rank, answer.

Proposers run cheapest first (library, enumeration, beam), each with a share of the remaining
time, over one shared pool. With `config.z3`, laws and invariants are inferred first
(`synth.analysis.invariants`); a verified candidate whose test outputs violate them is kept but ranked
after the consistent ones and does not count as solving the task. The loop stops early once
`config.agreement` distinct consistent verified programs agree on the test outputs
(self-consistency), never drops a verified candidate, and always returns two attempts per
test input (falling back to the best partial matches, then the identity, marked as
unverified). Proposers with a `warm_up()` (e.g. parsing the library) get it before the clock
starts. Once a consistent verified candidate exists, later stages get a quarter of their usual
share: they can still add votes or a second attempt, but a solved task does not use the whole
budget. With `config.voter`, the meta-voter reorders the verified groups.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Any

from dsl.values import value_key
from synth.analysis.features import analyse
from synth.analysis.invariants import infer_invariants, obeys
from synth.proposers.base import Budget, Pool, ProgramCandidate, Proposer
from synth.proposers.beam import BeamProposer
from synth.proposers.enumerative import EnumerativeProposer
from synth.proposers.library import LibraryProposer
from synth.proposers.sketch import SketchProposer
from synth.select.rank import rank
from synth.run.config import SolveConfig, Solution
from synth.data.task import Grid, Task
from synth.select.verify import verified

SAFETY_MARGIN_S = 0.5
SHARE_WHEN_SOLVED = 0.25


@dataclass(frozen=True)
class Stage:
    """A proposer and the share of the remaining budget it may use."""

    proposer: Proposer
    share: float


def default_stages(config: SolveConfig) -> list[Stage]:
    """Library (a tenth of the time), enumeration (two thirds of the rest), sketch hole
    filling of the near misses found so far (at most a fifth of the rest; Z3 only with
    `config.z3`), then beam search of width `config.beam` with whatever remains."""
    return [Stage(LibraryProposer(), 0.1), Stage(EnumerativeProposer(), 0.67),
            Stage(SketchProposer(z3_timeout_ms=config.z3_timeout_ms, enabled_z3=config.z3),
                  0.2),
            Stage(BeamProposer(width=config.beam), 1.0)]


def solve_task(task: Task, config: SolveConfig, stages: Sequence[Stage] | None = None
               ) -> Solution:
    """Solve one task within `config.time_limit` seconds."""
    start = time.monotonic()
    stages = list(stages) if stages is not None else default_stages(config)
    for stage in stages:
        warm_up = getattr(stage.proposer, "warm_up", None)
        if callable(warm_up):
            warm_up()
    budget = Budget.from_seconds(max(0.1, config.time_limit - SAFETY_MARGIN_S
                                     - (time.monotonic() - start)))
    analysis = analyse(task)
    invariants = infer_invariants(task, config.z3_timeout_ms) if config.z3 else None
    if invariants is not None:
        analysis = replace(analysis, consistent_outputs=partial(obeys, invariants, task))
    pool = Pool()
    accepted: list[ProgramCandidate] = []
    unverified: list[ProgramCandidate] = []
    votes = Votes(analysis.consistent_outputs)
    stage_stats: dict[str, dict] = {}
    for stage in stages:
        stage_start = time.monotonic()
        found = 0
        share = stage.share * (SHARE_WHEN_SOLVED if votes.solved else 1.0)
        for cand in stage.proposer.propose(task, analysis, budget.share(share), pool):
            pool.add(cand)
            if not isinstance(cand, ProgramCandidate):
                continue
            if verified(cand, task):
                accepted.append(cand)
                found += 1
                if votes.add(cand) >= config.agreement:
                    break
            else:
                unverified.append(cand)
        stage_stats[stage.proposer.name] = _stage_stats(stage.proposer, found, stage_start)
        if votes.best >= config.agreement or budget.expired():
            break
    reorder = load_voter(config.voter).order if config.voter else None
    ranked = rank(task, accepted, unverified, invariants, reorder)
    winner = ranked.winner
    stats = {"seconds": round(time.monotonic() - start, 3), "verified": len(accepted),
             "groups": ranked.n_groups, "agreement": votes.best, "stages": stage_stats}
    if invariants is not None:
        stats["laws"] = invariants.laws.describe()
        stats["z3_s"] = invariants.laws.seconds
    return Solution(ranked.attempts, program=winner.program if winner else None,
                    proposer=winner.proposer if winner else None,
                    candidates=len(pool.candidates), stats=stats,
                    alternatives=ranked.alternatives)


@cache
def load_voter(path: str) -> Any:
    """The meta-voter in `path`, loaded once per process (xgboost is imported only here)."""
    from synth.select.voter import Voter

    return Voter.load(path)


class Votes:
    """Distinct verified programs per test-output group, counting only groups whose outputs
    pass `consistent_outputs` (the task's invariants, see `TaskAnalysis`)."""

    def __init__(self, consistent_outputs: Callable[[Sequence[Grid]], bool]) -> None:
        self.consistent_outputs = consistent_outputs
        self.programs: dict[object, set[str]] = {}
        self.best = 0

    @property
    def solved(self) -> bool:
        """Some consistent verified program exists."""
        return self.best > 0

    def add(self, cand: ProgramCandidate) -> int:
        """Count a verified candidate; return the support of the best group so far."""
        outputs = tuple(cand.test_outputs)
        if self.consistent_outputs(outputs):
            key = value_key(outputs)
            self.programs.setdefault(key, set()).add(cand.program)
            self.best = max(self.best, len(self.programs[key]))
        return self.best


def _stage_stats(proposer: Proposer, found: int, started: float) -> dict:
    stats = {"verified": found, "seconds": round(time.monotonic() - started, 3)}
    enum_stats = getattr(proposer, "stats", None)
    if enum_stats is not None and hasattr(enum_stats, "as_dict"):
        stats.update(enum_stats.as_dict())
    elif isinstance(enum_stats, dict):
        stats.update(enum_stats)
    if hasattr(proposer, "tried"):
        stats["tried"] = proposer.tried
    return stats

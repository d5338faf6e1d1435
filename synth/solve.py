"""The search loop: run proposers under one wall-clock budget, verify, rank, answer.

Proposers run cheapest first (library, enumeration, beam), each with a share of the remaining
time, over one shared pool. The loop stops early once `config.enough` verified candidates
exist, never drops a verified candidate, and always returns two attempts per test input
(falling back to the best partial matches, then the identity, marked as unverified).
Proposers with a `warm_up()` (e.g. parsing the library) get it before the clock starts.
Once a verified candidate exists, later stages get a quarter of their usual share: they can
still add votes or a second attempt, but a solved task does not use the whole budget.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from synth.analysis import analyse
from synth.proposers.base import Budget, Pool, ProgramCandidate, Proposer
from synth.proposers.beam import BeamProposer
from synth.proposers.enumerative import EnumerativeProposer
from synth.proposers.library import LibraryProposer
from synth.rank import rank
from synth.solution import SolveConfig, Solution
from synth.task import Task
from synth.verify import verified

SAFETY_MARGIN_S = 0.5
SHARE_WHEN_SOLVED = 0.25


@dataclass(frozen=True)
class Stage:
    """A proposer and the share of the remaining budget it may use."""

    proposer: Proposer
    share: float


def default_stages(config: SolveConfig) -> list[Stage]:
    """Library (a tenth of the time), enumeration (two thirds of the rest), then beam search
    of width `config.beam` with whatever remains."""
    return [Stage(LibraryProposer(), 0.1), Stage(EnumerativeProposer(), 0.67),
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
    pool = Pool()
    accepted: list[ProgramCandidate] = []
    partial: list[ProgramCandidate] = []
    stage_stats: dict[str, dict] = {}
    for stage in stages:
        stage_start = time.monotonic()
        found = 0
        share = stage.share * (SHARE_WHEN_SOLVED if accepted else 1.0)
        for cand in stage.proposer.propose(task, analysis, budget.share(share), pool):
            pool.add(cand)
            if not isinstance(cand, ProgramCandidate):
                continue
            if verified(cand, task):
                accepted.append(cand)
                found += 1
                if len(accepted) >= config.enough:
                    break
            else:
                partial.append(cand)
        stage_stats[stage.proposer.name] = _stage_stats(stage.proposer, found, stage_start)
        if len(accepted) >= config.enough or budget.expired():
            break
    ranked = rank(task, accepted, partial)
    winner = ranked.winner
    stats = {"seconds": round(time.monotonic() - start, 3), "verified": len(accepted),
             "groups": ranked.n_groups, "stages": stage_stats}
    return Solution(ranked.attempts, program=winner.program if winner else None,
                    proposer=winner.proposer if winner else None,
                    candidates=len(pool.candidates), stats=stats,
                    alternatives=ranked.alternatives)


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

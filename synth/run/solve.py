"""The search loop: run the stage plan's proposers under one budget, verify, rank, answer.

Proposers run in plan order (`SolveConfig.proposers`, by default
`synth.proposers.registry.DEFAULT_PLAN`), each with its share of the remaining budget, over one
shared pool. With `z3` on, laws and invariants are inferred first
(`synth.analysis.invariants`); a verified candidate whose test outputs violate them is kept
but ranked after the consistent ones and does not count as solving the task. Program
candidates are verified on every train pair; grid candidates (direct-output answers) go
straight to the ranking, below verified programs and above partial matches, and add their
support to a program that gives the same outputs. The loop stops early
once `agreement` distinct supporters agree on consistent outputs that a verified program gave
(self-consistency; the programs of a proposer that votes as one, the closure's, are one
supporter, see `synth.select.votes`), never drops a verified candidate, and always returns two
attempts per test input. Proposers are warmed up first (that time counts against the limit).
Once a consistent verified candidate exists (`Votes.solved`: not one family's programs
alone), later stages get a quarter of their usual share. After the search, the best programs
of the verified groups get their colour-role variants (`synth.search.role_variants`: a literal
colour read from the input instead), each a new answer of the proposer `roles`, a little
longer than its original, never support for an answer already given. With `voter`, the
meta-voter reorders the verified groups. After each stage the freed memory goes back to the
OS (`release_memory`), so one stage's peak does not stack on another's.

The budget is wall-clock time, or, with `work_limit` (reproducible mode), a count of
evaluations, which makes the result independent of the machine's speed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import replace
from functools import cache, partial
from typing import Any

from dsl.values import value_key
from synth.analysis.features import analyse
from synth.analysis.invariants import Invariants, infer_invariants, obeys
from synth.data.task import Challenge
from synth.proposers.base import Budget, GridCandidate, Pool, ProgramCandidate
from synth.proposers.registry import Stage, build_stages
from synth.search.role_variants import verified_variants
from synth.select.rank import MAX_RECORDED, group_candidates, rank
from synth.select.verify import valid_answer, verified
from synth.select.votes import Votes
from synth.run.config import SolveConfig, Solution

SAFETY_MARGIN_S = 0.5
SHARE_WHEN_SOLVED = 0.25
ROLE_PROPOSER = "roles"
ROLE_EXTRA_COST = 2  # a variant reads its colour in one more statement


@cache
def _malloc_trim() -> Any:
    """glibc's `malloc_trim`, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_memory() -> bool:
    """Collect garbage and hand the C heap's free pages back to the OS (glibc's
    `malloc_trim`); whether the trim ran. A stage's values are freed when it ends, but the
    many small arrays they lived in leave the heap in pieces that later stages, which allocate
    large buffers, do not reuse, so without this the stages' peaks add up."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def default_stages(config: SolveConfig) -> list[Stage]:
    """Fresh proposers of the configured stage plan."""
    options = replace(config.search, deterministic=config.reproducible)
    return build_stages(config.proposers, options)


def _stage_stats(stage: Stage, found: int, started: float) -> dict[str, Any]:
    return {"verified": found, "seconds": round(time.monotonic() - started, 3),
            **stage.proposer.stats()}


def role_candidates(task: Challenge, accepted: Sequence[ProgramCandidate], background: int,
                    invariants: Invariants | None, answers: Sequence[GridCandidate] = ()
                    ) -> list[ProgramCandidate]:
    """Colour-role variants of the best programs of the top verified groups, as candidates
    of their own, none giving the outputs of a program or grid answer already found (see the
    module docstring)."""
    groups = group_candidates(accepted, task, invariants, answers)
    best = [g.best for g in groups[:MAX_RECORDED] if g.best is not None]
    variants = verified_variants(task, [c.program for c in best], background,
                                 {value_key(g.outputs) for g in groups})
    return [ProgramCandidate(v.program, ROLE_PROPOSER, v.train_outputs, v.test_outputs,
                             prior=best[v.source].prior,
                             cost=best[v.source].cost + ROLE_EXTRA_COST, votes_as_one=True)
            for v in variants]


def solve_task(task: Challenge, config: SolveConfig, stages: Sequence[Stage] | None = None
               ) -> Solution:
    """Solve one task within `config.time_limit` seconds (or `config.work_limit` evaluations)."""
    start = time.monotonic()
    stages = list(stages) if stages is not None else default_stages(config)
    for stage in stages:
        stage.proposer.warm_up()
    budget = Budget.from_seconds(max(0.1, config.time_limit - SAFETY_MARGIN_S
                                     - (time.monotonic() - start)), config.work_limit)
    analysis = analyse(task)
    invariants = infer_invariants(task, config.search.z3_timeout_ms,
                                  deterministic=config.reproducible) if config.search.z3 else None
    if invariants is not None:
        analysis = replace(analysis, consistent_outputs=partial(obeys, invariants, task),
                           laws=invariants.laws)
    pool = Pool()
    accepted: list[ProgramCandidate] = []
    unverified: list[ProgramCandidate] = []
    answers: list[GridCandidate] = []
    votes = Votes(analysis.consistent_outputs)
    stage_stats: dict[str, dict] = {}
    rejected = 0
    for stage in stages:
        stage_start = time.monotonic()
        found = 0
        share = stage.share * (SHARE_WHEN_SOLVED if votes.solved else 1.0)
        with closing(stage.proposer.propose(task, analysis, budget.share(share), pool)) as cands:
            for cand in cands:
                pool.add(cand)
                if isinstance(cand, GridCandidate):
                    if not valid_answer(cand, task):
                        rejected += 1
                        continue
                    answers.append(cand)
                elif verified(cand, task):
                    accepted.append(cand)
                    found += 1
                else:
                    unverified.append(cand)
                    continue
                if votes.add(cand) >= config.agreement:
                    break
        stage_stats[stage.proposer.name] = _stage_stats(stage, found, stage_start)
        release_memory()
        if votes.best >= config.agreement or budget.expired():
            break
    roles = [c for c in role_candidates(task, accepted, analysis.background, invariants,
                                            answers) if verified(c, task)]
    accepted += roles
    reorder = load_voter(config.voter).order if config.voter else None
    ranked = rank(task, accepted, unverified, invariants, reorder, answers)
    stats = {"seconds": round(time.monotonic() - start, 3), "verified": len(accepted),
             "grid_answers": len(answers), "rejected_grid_answers": rejected, "groups": ranked.n_groups, "agreement": votes.best,
             "role_variants": len(roles),
             "mode": config.mode(), "stages": stage_stats}
    if config.reproducible:
        stats["work"] = budget.meter.spent
        stats["cut_by_time_limit"] = budget.wall_limited()
    if invariants is not None:
        stats["laws"] = invariants.laws.describe()
        stats["z3_s"] = invariants.laws.seconds
    return Solution(ranked.attempts, program=ranked.program, proposer=ranked.proposer,
                    candidates=len(pool.candidates), stats=stats,
                    alternatives=ranked.alternatives)


@cache
def load_voter(path: str) -> Any:
    """The meta-voter in `path`, loaded once per process (xgboost is imported only here)."""
    from synth.select.voter import Voter

    return Voter.load(path)

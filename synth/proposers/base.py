"""The proposer protocol and the candidates proposers yield.

A proposer gets the task, its analysis, a budget and the pool so far, and yields candidates:
`ProgramCandidate`s (canonical DSL text plus the outputs it produced on every train and test
input) or `GridCandidate`s (direct test outputs from a fallback). Provenance (`proposer`),
`prior` (higher is better) and `cost` (description length) travel with each candidate.
"""
from __future__ import annotations

import heapq
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from dsl import ast
from dsl.errors import DSLError
from dsl.interp import run_program
from synth.analysis.features import TaskAnalysis
from synth.data.options import (Flag, checked, choice, integer, non_negative_int, option,
                                positive_float, positive_int)
from synth.search.costs import DEFAULT_GUIDE_COSTS, DEFAULT_GUIDE_WEIGHT, parse_cost_levels
from synth.search.options import Node
from synth.search.program import expr_size, program_text
from synth.data.task import Grid, Challenge


@dataclass
class WorkMeter:
    """Evaluations spent so far in one solve (shared by every share of its budget)."""

    spent: int = 0


@dataclass(frozen=True)
class Budget:
    """A wall-clock deadline (time.monotonic seconds) and, in reproducible mode, a work limit.

    Work is counted in evaluations (a primitive applied to every example, a program run on
    every input); proposers report theirs with `spend`. With a work limit, shares split the
    work and keep the overall deadline, so where a search stops does not depend on the
    machine's speed: the deadline is then only a safety net (`wall_limited` says it struck).
    """

    deadline: float
    work_limit: int | None = None
    meter: WorkMeter = field(default_factory=WorkMeter, compare=False)

    @classmethod
    def from_seconds(cls, seconds: float, work_limit: int | None = None) -> Budget:
        """A budget ending `seconds` from now (or after `work_limit` evaluations)."""
        return cls(time.monotonic() + seconds, work_limit, WorkMeter())

    def remaining(self) -> float:
        """Seconds left (may be negative)."""
        return self.deadline - time.monotonic()

    def spend(self, evaluations: int = 1) -> None:
        """Count work done."""
        self.meter.spent += evaluations

    def work_left(self, pending: int = 0) -> bool:
        """Whether the work limit (if any) still allows `pending` more uncounted evaluations."""
        return self.work_limit is None or self.meter.spent + pending < self.work_limit

    def expired(self, pending: int = 0) -> bool:
        """True once the deadline has passed or the work is spent (`pending`: evaluations
        done but not yet counted with `spend`)."""
        return not self.work_left(pending) or time.monotonic() >= self.deadline

    def wall_limited(self) -> bool:
        """In reproducible mode: the deadline struck before the work was spent."""
        return self.work_limit is not None and self.work_left() and \
            time.monotonic() >= self.deadline

    def share(self, fraction: float) -> Budget:
        """A budget for `fraction` of what remains: of the work in reproducible mode (same
        deadline), else of the time."""
        if self.work_limit is not None:
            left = max(0, self.work_limit - self.meter.spent)
            return Budget(self.deadline, self.meter.spent + int(left * fraction), self.meter)
        return Budget(time.monotonic() + max(0.0, self.remaining()) * fraction, None,
                      self.meter)


@dataclass(frozen=True)
class SearchOptions:
    """The settings proposers read (their flags are part of `synth solve` and `synth eval`)."""

    beam: int = option(100, Flag("--beam", "beam width of the beam proposer", positive_int,
                                 "N"))
    z3: bool = option(True, Flag("--z3", "Z3 laws, invariant checks and sketch hole filling",
                                 None))
    z3_timeout_ms: int = option(300, Flag("--z3-timeout", "time box of each Z3 query in "
                                          "milliseconds (a deterministic resource limit of the "
                                          "same size with --work-limit)", positive_int, "MS"))
    library: str = option("arc1-train", Flag(
        "--library", "golden-program folders the library proposer reads, comma-separated: "
        "names under library/ or paths; evaluation-set folders are refused", str, "DIRS"))
    models: str | None = option(None, Flag(
        "--models", "models file (TOML): the ensemble of language models the llm proposer "
        "samples programs from (see models/seed-ensemble.toml)", str, "FILE"))
    samples: int | None = option(None, Flag(
        "--samples", "program samples per model member and task (default: the models file's "
        "`samples`)", positive_int, "N"))
    refine: int = option(1, Flag("--refine", "refinement rounds: near misses go back to the "
                                             "model with their mistakes", non_negative_int, "K"))
    transduction: str = option("fallback", Flag(
        "--transduction", "when the transduction proposer runs: fallback (only while no "
        "program fits every train pair) or always", choice("fallback", "always"), "MODE"))
    views: int = option(8, Flag("--views", "augmented views per task for transduction "
                                           "(D8 x colour permutations x train orders)",
                                positive_int, "N"))
    cost_model: str = option("uniform", Flag(
        "--cost-model", "primitive costs of the enumerator: uniform (every primitive costs 1) "
        "or pcfg (from primitive counts in the --library programs, leave-one-out)",
        choice("uniform", "pcfg"), "MODEL"))
    guide: str | None = option("shipped", Flag(
        "--guide", "guide model file (synth train guide) whose per-task primitive "
        "probabilities set the enumerator's costs; shipped: models/guide/guide.npz; none: "
        "off", str, "FILE|shipped|none"))
    guide_weight: float = option(DEFAULT_GUIDE_WEIGHT, Flag(
        "--guide-weight", "weight of the guide in its log-linear mix with the cost model, "
        "p ~ prior^(1-W) * guide^W (1: the guide alone; over uniform costs a larger W "
        "spreads the primitives over more cost levels)", positive_float, "W"))
    guide_costs: str = option(DEFAULT_GUIDE_COSTS, Flag(
        "--guide-costs", "how the primitive probabilities become enumerator costs: STEP,LEVELS "
        "(the likeliest costs 1, +1 per STEP halvings below it, at most LEVELS) or "
        "rank:N1,N2,... (the N1 likeliest cost 1, the next N2 cost 2, ..., the rest one more)",
        checked(parse_cost_levels), "STEP,LEVELS|rank:N1,N2,..."))
    seed: int = option(0, Flag("--seed", "seed of every random choice (model samplers, "
                                         "generators); the symbolic search makes none", integer,
                               "N"))
    deterministic: bool = False


@dataclass(frozen=True)
class ProgramCandidate:
    """A program with its outputs on train inputs then test inputs (grids, or None on error).

    `origin` says where it came from beyond the proposer (a golden file, a model sample);
    `weight` is the ensemble weight of the model member that wrote it (0 for symbolic ones);
    `votes_as_one` says its proposer's programs are variants of one search (colour-mapped,
    composed from the same values), so those giving the same test outputs count as one
    supporter in the self-consistency votes (`synth.select.votes`)."""

    program: str
    proposer: str
    train_outputs: tuple[Grid | None, ...]
    test_outputs: tuple[Grid | None, ...]
    prior: float = 0.0
    cost: int = 1
    origin: str = ""
    weight: float = 0.0
    votes_as_one: bool = False


@dataclass(frozen=True)
class GridCandidate:
    """Direct test outputs from a fallback solver, with its confidence in [0, 1]."""

    test_outputs: tuple[Grid, ...]
    proposer: str
    confidence: float = 0.0
    weight: float = 0.0


Candidate = ProgramCandidate | GridCandidate


@dataclass
class Pool:
    """Candidates found so far, shared by the proposers of one solve."""

    candidates: list[Candidate] = field(default_factory=list)

    def add(self, candidate: Candidate) -> None:
        """Add a candidate."""
        self.candidates.append(candidate)

    def programs(self) -> list[ProgramCandidate]:
        """The program candidates."""
        return [c for c in self.candidates if isinstance(c, ProgramCandidate)]


class Proposer(Protocol):
    """Anything with a name that yields candidates for a task within a budget.

    `warm_up` loads what every task needs (run at the start of a solve, and once in a
    batch runner's parent before it forks workers); `stats` describes the last `propose`
    (JSON-able numbers and strings, shown by `synth solve` and kept in records.jsonl)."""

    name: str

    def warm_up(self) -> None:
        """Load shared data (cached per process)."""
        ...

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        """Yield candidates until done or the budget is spent."""
        ...

    def stats(self) -> dict[str, Any]:
        """What the last `propose` did."""
        ...


def keep_best(heap: list, item: tuple, limit: int) -> None:
    """Push `item` onto the min-heap `heap`, keeping only the `limit` largest items."""
    if len(heap) < limit:
        heapq.heappush(heap, item)
    else:
        heapq.heappushpop(heap, item)


def interpreted_grids(program: ast.Program, inputs: Sequence[Grid]) -> list[Grid | None] | None:
    """The reference interpreter's grid on every input (None where it failed or gave no grid),
    or None when the program does not run at all: how proposers whose programs come from
    elsewhere (native code, a transformed task) re-verify them."""
    try:
        results = run_program(program, list(inputs))
    except DSLError:
        return None
    return [r if isinstance(r, np.ndarray) and r.ndim == 2 else None for r in results]


def node_candidate(node: Node, task: Challenge, proposer: str, prior: float) -> ProgramCandidate:
    """A program candidate from a Grid node (train outputs first, then test outputs)."""
    n = len(task.train)
    return ProgramCandidate(program_text(node.expr), proposer, tuple(node.values[:n]),
                            tuple(node.values[n:]), prior=prior, cost=expr_size(node.expr))

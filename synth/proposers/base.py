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
from typing import Protocol

from synth.analysis.features import TaskAnalysis
from synth.data.scoring import grids_equal
from synth.data.task import Grid, Task


@dataclass(frozen=True)
class Budget:
    """A wall-clock deadline (time.monotonic seconds) plus a node cap for enumerators."""

    deadline: float
    max_nodes: int = 400_000

    @classmethod
    def from_seconds(cls, seconds: float, max_nodes: int = 400_000) -> "Budget":
        """A budget ending `seconds` from now."""
        return cls(time.monotonic() + seconds, max_nodes)

    def remaining(self) -> float:
        """Seconds left (may be negative)."""
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return time.monotonic() >= self.deadline

    def share(self, fraction: float) -> "Budget":
        """A budget ending after `fraction` of the remaining time."""
        return Budget(time.monotonic() + max(0.0, self.remaining()) * fraction, self.max_nodes)


@dataclass(frozen=True)
class ProgramCandidate:
    """A program with its outputs on train inputs then test inputs (grids, or None on error)."""

    program: str
    proposer: str
    train_outputs: tuple[Grid | None, ...]
    test_outputs: tuple[Grid | None, ...]
    prior: float = 0.0
    cost: int = 1


@dataclass(frozen=True)
class GridCandidate:
    """Direct test outputs from a fallback solver, with its confidence in [0, 1]."""

    test_outputs: tuple[Grid, ...]
    proposer: str
    confidence: float = 0.0


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
    """Anything with a name that yields candidates for a task within a budget."""

    name: str

    def propose(self, task: Task, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        """Yield candidates until done or the budget is spent."""
        ...


def keep_best(heap: list, item: tuple, limit: int) -> None:
    """Push `item` onto the min-heap `heap`, keeping only the `limit` largest items."""
    if len(heap) < limit:
        heapq.heappush(heap, item)
    else:
        heapq.heappushpop(heap, item)


def train_accuracy(outputs: Sequence[Grid | None], task: Task) -> float:
    """Mean fraction of right cells over train pairs; a missing or wrongly shaped output
    counts 0 for its pair."""
    scores = [float((out == ex.output).mean())
              if out is not None and out.shape == ex.output.shape else 0.0
              for out, ex in zip(outputs, task.train)]
    return sum(scores) / len(task.train) if len(outputs) == len(task.train) else 0.0


def train_matches(outputs: Sequence[Grid | None], task: Task) -> bool:
    """True when every train output is reproduced exactly."""
    return len(outputs) == len(task.train) and all(
        grids_equal(out, ex.output) for out, ex in zip(outputs, task.train))

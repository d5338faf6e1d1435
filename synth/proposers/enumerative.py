"""The enumerative proposer: bottom-up enumeration, verified grids as program candidates.

Every Grid node that reproduces all train outputs is yielded at once; once one is found the
enumeration finishes that cost level (shortest programs first) and stops. Otherwise, when
time runs out, the
closest partial matches (same shapes as the train outputs, most cells right) are yielded too,
with their accuracy as prior, so the loop can fall back on them.
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from dsl.types import GRID
from synth.analysis import TaskAnalysis
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate
from synth.search.enumerate import EnumConfig, Enumerator, EnumStats
from synth.search.options import Node
from synth.search.program import expr_size, program_text
from synth.task import Task

N_PARTIAL = 4


def cell_accuracy(values: tuple, task: Task) -> float:
    """Mean fraction of right cells over train pairs; 0 when any shape differs."""
    scores = []
    for value, ex in zip(values, task.train):
        if value.shape != ex.output.shape:
            return 0.0
        scores.append(float(np.mean(value == ex.output)))
    return sum(scores) / len(scores)


def node_candidate(node: Node, task: Task, proposer: str, prior: float) -> ProgramCandidate:
    """A program candidate from a Grid node (train outputs first, then test outputs)."""
    n = len(task.train)
    return ProgramCandidate(program_text(node.expr), proposer, tuple(node.values[:n]),
                            tuple(node.values[n:]), prior=prior, cost=expr_size(node.expr))


@dataclass
class EnumerativeProposer:
    """Yields verified programs found by bottom-up enumeration, then the best partials."""

    config: EnumConfig = field(default_factory=EnumConfig)
    name: str = "enumerative"
    stats: EnumStats = field(default_factory=EnumStats)

    def propose(self, task: Task, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        inputs = [ex.input for ex in task.train] + [ex.input for ex in task.test]
        enumerator = Enumerator(inputs, sorted(analysis.palette), config=self.config)
        self.stats = enumerator.stats
        targets = [(ex.output.shape, ex.output.tobytes()) for ex in task.train]
        n = len(task.train)
        partial: list[tuple[float, int, Node]] = []
        solved_at: int | None = None
        for node in enumerator.run(budget.deadline):
            if solved_at is not None and node.cost > solved_at:
                return
            if node.type != GRID:
                continue
            if all((v.shape, v.tobytes()) == t for v, t in zip(node.values[:n], targets)):
                solved_at = node.cost if solved_at is None else solved_at
                yield node_candidate(node, task, self.name, prior=1.0)
                continue
            score = cell_accuracy(node.values[:n], task)
            if score > 0:
                item = (score, -enumerator.stats.nodes, node)
                if len(partial) < N_PARTIAL:
                    heapq.heappush(partial, item)
                else:
                    heapq.heappushpop(partial, item)
        for score, _, node in sorted(partial, key=lambda item: item[:2], reverse=True):
            yield node_candidate(node, task, self.name, prior=score)

"""The enumerative proposer: bottom-up enumeration, verified grids as program candidates.

Every Grid node that reproduces all train outputs is yielded at once, and so is every Grid
node that does so after one consistent colour map (`map_colors(x, [..], [..])`). Once an
exact program whose test outputs obey the task's invariants (`analysis.consistent_outputs`)
is found the enumeration finishes that cost level (shortest programs first) and stops; after
a colour-mapped one it also explores the next level. Otherwise, when
time runs out, the
closest partial matches (same shapes as the train outputs, most cells right) are yielded too,
with their accuracy as prior, so the loop can fall back on them.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from dsl import ast
from dsl.types import GRID
from dsl.primitives.color import map_colors
from synth.analysis.features import TaskAnalysis
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate, keep_best
from synth.search.enumerate import EnumConfig, Enumerator, EnumStats
from synth.search.options import Node
from synth.search.program import expr_size, program_text
from synth.data.task import Task

N_PARTIAL = 4
MAX_MAPPED_PER_LEVEL = 3


def cell_accuracy(values: tuple, task: Task) -> float:
    """Mean fraction of right cells over train pairs; 0 when any shape differs."""
    scores = []
    for value, ex in zip(values, task.train):
        if value.shape != ex.output.shape:
            return 0.0
        scores.append(float(np.mean(value == ex.output)))
    return sum(scores) / len(scores)


def color_mapping(values: tuple, task: Task) -> dict[int, int] | None:
    """A colour map sending every train value's cells onto the train outputs, if one exists.

    Returns only non-identity maps (the pairs that change), or None when shapes differ or two
    outputs disagree on what one colour becomes."""
    mapping: dict[int, int] = {}
    for value, ex in zip(values, task.train):
        if value.shape != ex.output.shape:
            return None
        pairs = np.unique(value.astype(np.int16) * 16 + ex.output, return_counts=False)
        for code in pairs.tolist():
            source, target = divmod(code, 16)
            if mapping.setdefault(source, target) != target:
                return None
    changes = {s: t for s, t in mapping.items() if s != t}
    return changes or None


def mapped_node(node: Node, changes: dict[int, int]) -> Node:
    """`map_colors(node, [sources], [targets])` as a new node (cost + 1)."""
    sources = tuple(sorted(changes))
    targets = tuple(changes[s] for s in sources)
    values = tuple(map_colors(v, sources, targets) for v in node.values)
    expr = ast.Call("map_colors", (node.expr,
                                   ast.ListLit(tuple(ast.Literal(c, "color") for c in sources)),
                                   ast.ListLit(tuple(ast.Literal(c, "color") for c in targets))))
    return Node(node.type, values, node.cost + 1, expr)


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

    def mapped_candidates(self, mapped: list[Node], task: Task) -> Iterator[Candidate]:
        """The shortest few colour-mapped programs of one level."""
        for node in sorted(mapped, key=lambda m: expr_size(m.expr))[:MAX_MAPPED_PER_LEVEL]:
            yield node_candidate(node, task, self.name, prior=0.9)

    def propose(self, task: Task, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        inputs = [ex.input for ex in task.train] + [ex.input for ex in task.test]
        enumerator = Enumerator(inputs, sorted(analysis.palette), config=self.config)
        self.stats = enumerator.stats
        targets = [(ex.output.shape, ex.output.tobytes()) for ex in task.train]
        n = len(task.train)
        partial: list[tuple[float, int, Node]] = []
        mapped: list[Node] = []
        solved_at: int | None = None
        for node in itertools.chain((enumerator.root,), enumerator.run(budget.deadline)):
            if mapped and node.cost > mapped[0].cost - 1:
                yield from self.mapped_candidates(mapped, task)
                mapped.clear()
            if solved_at is not None and node.cost > solved_at:
                return
            if node.type != GRID:
                continue
            if all((v.shape, v.tobytes()) == t for v, t in zip(node.values[:n], targets)):
                if solved_at is None and analysis.consistent_outputs(node.values[n:]):
                    solved_at = node.cost
                yield node_candidate(node, task, self.name, prior=1.0)
                continue
            changes = color_mapping(node.values[:n], task)
            if changes is not None:
                fixed = mapped_node(node, changes)
                if solved_at is None and analysis.consistent_outputs(fixed.values[n:]):
                    solved_at = node.cost + 1
                mapped.append(fixed)
                continue
            score = cell_accuracy(node.values[:n], task)
            if score > 0:
                keep_best(partial, (score, -enumerator.stats.nodes, node), N_PARTIAL)
        yield from self.mapped_candidates(mapped, task)
        for score, _, node in sorted(partial, key=lambda item: item[:2], reverse=True):
            yield node_candidate(node, task, self.name, prior=score)

"""Seeds for the typed enumerator from the native unary closure (issue 14).

The closure (`synth.proposers.closure.task_closure`, `native.closure`) reaches in one
transform values the enumerator builds over several levels (an object pick is
`obj_grid(argmax(objects(I, ...), size))`: three calls and a function value), at a fraction of
the CPU time. `closure_seeds` runs it shallowly on the task's inputs and turns its distinct
values into enumerator nodes (`synth.search.options.Node`): one Grid value per input (train
then test), the DSL expression of the value's transform path (`path_expr`), and a cost of
the value's depth plus `SeedConfig.extra_cost`. Which values become seeds (`SeedConfig`):
every value of depth 1 and, when the closure goes to depth 2, the `max_deep` values of
depth 2 shaped like every train output with the most cells right (mean over the train pairs,
`synth.search.closeness.train_accuracy`; ties breadth-first).

Work: the closure's applications count as the closure proposer counts them (`work_units`:
`NATIVE_CALLS_PER_EVALUATION` applications, each on every example, are one evaluation); the
closure stops where its budget says so (checked between chunks of `CHUNK_CALLS`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.types import GRID
from native.closure import Closure
from synth.analysis.features import TaskAnalysis
from synth.data.task import Challenge
from synth.proposers.base import Budget
from synth.proposers.closure import (NATIVE_CALLS_PER_EVALUATION, shaped_nodes, shaped_stacks,
                                     task_closure, work_units)
from synth.search.closure import path_expr
from synth.search.options import Node

CHUNK_CALLS = 5_000


@dataclass(frozen=True)
class SeedConfig:
    """Which closure values seed the enumerator: the closure's depth (1 or 2), the cost a
    value of depth d gets (d + `extra_cost`), the most depth-2 values kept (shaped like the
    train outputs, most cells right first) and the share of the enumerative stage's budget
    the closure may use."""

    depth: int = 1
    extra_cost: int = 0
    max_deep: int = 32
    share: float = 0.05


@dataclass(frozen=True)
class Seeds:
    """The seed nodes of one task, the closure work spent finding them (in evaluations) and
    the closure's distinct values (the root included)."""

    nodes: tuple[Node, ...]
    evaluations: int
    values: int


def closure_seeds(task: Challenge, analysis: TaskAnalysis, config: SeedConfig,
                  budget: Budget) -> Seeds:
    """The closure's values worth seeding (`SeedConfig`), from what `budget` pays for."""
    table, closure = task_closure(task, analysis, shaped_last_depth=config.depth >= 2)
    call_limit = 2 ** 62 if budget.work_limit is None else \
        max(0, budget.work_limit - budget.meter.spent) * NATIVE_CALLS_PER_EVALUATION
    for _ in closure.run(config.depth, call_limit,
                         lambda: budget.expired(work_units(closure.calls)), CHUNK_CALLS):
        pass
    depths = closure.depths[:closure.n_nodes]
    chosen = list(np.flatnonzero(depths == 1))
    if config.depth >= 2 and config.max_deep > 0:
        chosen += list(best_shaped(task, closure, np.flatnonzero(depths == 2), config.max_deep))
    nodes = tuple(Node(GRID, tuple(closure.grids(int(node))),
                       int(depths[node]) + config.extra_cost,
                       path_expr(table, closure.path(int(node))))
                  for node in chosen)
    return Seeds(nodes, work_units(closure.calls), closure.n_nodes)


def best_shaped(task: Challenge, closure: Closure, candidates: np.ndarray, limit: int
                ) -> np.ndarray:
    """Of the closure values `candidates`, the `limit` shaped like every train output with
    the most cells right (mean fraction over the train pairs), breadth-first among equals."""
    targets = [ex.output for ex in task.train]
    shapes = [t.shape for t in targets]
    shaped = np.intersect1d(shaped_nodes(closure, shapes, closure.n_nodes), candidates)
    if shaped.size <= limit:
        return shaped
    stacks = shaped_stacks(closure, shaped, shapes)
    accuracy = sum((stack == target[None]).mean(axis=(1, 2))
                   for stack, target in zip(stacks, targets)) / len(targets)
    order = np.argsort(-accuracy, kind="stable")[:limit]
    return shaped[np.sort(order)]

"""The closure proposer: icecuber-style unary closure of the inputs, in native code.

`native.closure` applies every transform of the task's table (`synth.search.closure`'s
`task_table`: the rows its train pairs leave worth applying) to the task's inputs (train
and test together), breadth-first to depth `max_depth`, deduplicating values by content.
Every value that equals the train outputs, or does after one consistent colour map
(`map_colors`), becomes a program through its parent links; it is re-run by the DSL
interpreter on every input before it is yielded, so a candidate's outputs are the DSL's.
Exact matches come in breadth-first order (shortest first); once one whose test outputs obey
the task's invariants is found, the closure finishes that depth and stops. When the closure
ends with no exact match, its values shaped like the train outputs (breadth-first, as many as
`piece_limit` allows) go to output by pieces (`synth.search.pieces`): a base value plus
overlaid values each right where they paint, icecuber's way of reaching outputs no single
value of the closure equals. Pieces get the last `PIECES_SHARE` of the stage's budget.

Budget: the wall clock is checked between chunks of transform applications; in reproducible
mode every `NATIVE_CALLS_PER_EVALUATION` applications (each on every example) count as one
evaluation of work, the CPU time of one enumerator evaluation, so where the closure stops
does not depend on the machine.

Votes: the closure's programs are variants of one search (the same values colour-mapped or
composed), so they vote as one (`ProgramCandidate.votes_as_one`): however many of them agree,
they are one supporter of their test outputs and cannot end the search on their own.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dsl import ast
from dsl.parser import parse_program
from dsl.types import GRID
from native.closure import EXACT, Closure
from synth.analysis.features import TaskAnalysis
from synth.data.scoring import train_matches
from synth.data.task import Challenge
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate, interpreted_grids
from synth.search.closure import (Transform, kernel_rows, path_expr, table_scope, task_table,
                                  transform_table)
from synth.search.finishing import color_mapping, mapped_node
from synth.search.options import Node
from synth.search.pieces import PIECES_SHARE, compose, piece_limit
from synth.search.program import expr_size, program_text

# Transform applications (each on every example) costing the CPU time of one enumerator
# evaluation: the median over 20 tasks of the arc1:train every-5th sample of native
# applications per CPU-second (~950 k, last-depth applications that cannot give an
# output-shaped value skipped at almost no cost) over enumerator evaluations per CPU-second
# (~17 k), `python benchmarks/bench_closure.py --limit 20 --applications 200000 --compare 20000
# --shaped-last-depth` (round 11).
NATIVE_CALLS_PER_EVALUATION = 50
MAX_DEPTH = 3
CHUNK_CALLS = 20_000
MAX_MAPPED = 8     # colour-mapped candidates per solve
MAX_EXACT = 16     # exact candidates per solve


@dataclass
class ClosureProposer:
    """Yields programs found in the native unary closure of the task's inputs."""

    max_depth: int = MAX_DEPTH
    name: str = "closure"
    last: dict[str, Any] = field(default_factory=dict)
    verifications: int = 0

    def warm_up(self) -> None:
        """Compile (or load from numba's cache) the closure kernels on a tiny task."""
        grid = np.zeros((2, 2), dtype=np.uint8)
        table = kernel_rows(transform_table((0,), (0, 1), 0))
        closure = Closure([grid], [grid], table)
        for _ in closure.run(1, 10 ** 6, lambda: False):
            pass

    def stats(self) -> dict[str, Any]:
        """The last closure's values, applications, depth reached and speed."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        table, closure = task_closure(task, analysis)
        start = time.monotonic()
        self.verifications = 0
        try:
            yield from self._search(task, analysis, budget, closure, table)
        finally:
            seconds = time.monotonic() - start
            self.last = {"values": closure.n_nodes, "applications": closure.calls,
                         "depth_completed": closure.depth_completed(),
                         "transforms": len(table), "seconds": round(seconds, 3),
                         "values_per_s": round(closure.n_nodes / max(seconds, 1e-9)),
                         "verifications": self.verifications}
            budget.spend(work_units(closure.calls) + self.verifications)

    def _search(self, task: Challenge, analysis: TaskAnalysis, budget: Budget,
                closure: Closure, table: tuple) -> Iterator[Candidate]:
        budget = budget.share(1.0 - PIECES_SHARE)
        call_limit = 2 ** 62 if budget.work_limit is None else \
            max(0, budget.work_limit - budget.meter.spent) * NATIVE_CALLS_PER_EVALUATION
        depth = self.max_depth
        counts = {EXACT: 0, 0: 0}
        solved_depth: int | None = None
        while True:
            for found in closure.run(depth, call_limit,
                                     lambda: budget.expired(work_units(closure.calls)),
                                     CHUNK_CALLS):
                for node, kind in found:
                    bucket = EXACT if kind == EXACT else 0
                    if counts[bucket] >= (MAX_EXACT if kind == EXACT else MAX_MAPPED) or \
                            (kind != EXACT and solved_depth is not None):
                        continue
                    candidate = self.candidate(task, closure, table, node, kind == EXACT)
                    if candidate is None:
                        continue
                    counts[bucket] += 1
                    if kind == EXACT and all(g is not None for g in candidate.test_outputs) \
                            and analysis.consistent_outputs(candidate.test_outputs):
                        solved_depth = int(closure.depths[node])
                    yield candidate
                if solved_depth is not None and solved_depth < depth:
                    break
            if solved_depth is None and counts[EXACT] == 0:
                yield from self.by_pieces(task, analysis, closure, table)
            if solved_depth is None or solved_depth >= depth:
                return
            depth = solved_depth

    def by_pieces(self, task: Challenge, analysis: TaskAnalysis, closure: Closure,
                  table: tuple) -> Iterator[Candidate]:
        """A base value plus overlaid values of the closure (`synth.search.pieces.compose`),
        when their overlay, re-run by the interpreter, reproduces every train output."""
        n = len(task.train)
        nodes = shaped_nodes(closure, [ex.output.shape for ex in task.train],
                             piece_limit([ex.output for ex in task.train]))
        self.verifications += len(nodes)
        train_values = [closure.grids(int(node))[:n] for node in nodes]
        found = compose(train_values, [ex.output for ex in task.train], analysis.background)
        if found is None:
            return
        expr = path_expr(table, closure.path(int(nodes[found.base])))
        for index in found.pieces:
            expr = overlay_expr(expr, path_expr(table, closure.path(int(nodes[index]))),
                                analysis.background)
        candidate = self.verified(task, expr, prior=0.95)
        if candidate is not None:
            yield candidate

    def candidate(self, task: Challenge, closure: Closure, table: tuple, node: int,
                  exact: bool) -> ProgramCandidate | None:
        """The program of a matching value, re-run by the DSL interpreter on every input;
        None unless it reproduces every train output."""
        expr = path_expr(table, closure.path(node))
        n = len(task.train)
        if not exact:
            values = tuple(closure.grids(node))
            changes = color_mapping(values[:n], task)
            if changes is None:
                return None
            expr = mapped_node(Node(GRID, values, 0, expr), changes).expr
        return self.verified(task, expr, prior=1.0 if exact else 0.9)

    def verified(self, task: Challenge, expr: ast.Expr, prior: float
                 ) -> ProgramCandidate | None:
        """The expression as a program re-run by the DSL interpreter on every input; None
        unless it reproduces every train output."""
        n = len(task.train)
        text = program_text(expr)
        self.verifications += 1
        outputs = interpreted_grids(parse_program(text), task.inputs)
        if outputs is None or not train_matches(outputs[:n], task):
            return None
        return ProgramCandidate(text, self.name, tuple(outputs[:n]), tuple(outputs[n:]),
                                prior=prior, cost=expr_size(expr), votes_as_one=True)


def task_closure(task: Challenge, analysis: TaskAnalysis, shaped_last_depth: bool = True
                 ) -> tuple[tuple[Transform, ...], Closure]:
    """The task's table (`task_table`) and its closure over the task's inputs; with
    `shaped_last_depth` (the proposer's way) the last depth keeps only values shaped like the
    train outputs, the only ones a match or a piece can use."""
    table = task_table(table_scope(analysis.input_palette, analysis.output_palette,
                                   analysis.background,
                                   [(ex.input.shape, ex.output.shape) for ex in task.train]))
    closure = Closure(list(task.inputs), [ex.output for ex in task.train], kernel_rows(table),
                      shaped_last_depth=shaped_last_depth)
    return table, closure


def shaped_nodes(closure: Closure, shapes: Sequence[tuple[int, ...]], limit: int
                 ) -> np.ndarray:
    """The first `limit` closure values (breadth-first) shaped like `shapes` on the first
    len(shapes) examples (the train pairs)."""
    count = closure.n_nodes
    shaped = np.ones(count, dtype=bool)
    for example, (height, width) in enumerate(shapes):
        shaped &= (closure.heights[:count, example] == height) & \
                  (closure.widths[:count, example] == width)
    return np.flatnonzero(shaped)[:limit]


def overlay_expr(base: ast.Expr, piece: ast.Expr, background: int) -> ast.Expr:
    """`overlay(base, piece)`, with the task's background as `bg` when it is not 0."""
    if background == 0:
        return ast.Call("overlay", (base, piece), ())
    return ast.Call("overlay", (base, piece), (("bg", ast.Literal(background, "color")),))


def work_units(applications: int) -> int:
    """Evaluations of work that `applications` native transform applications count as."""
    return math.ceil(applications / NATIVE_CALLS_PER_EVALUATION)

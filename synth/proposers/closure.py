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
overlaid values each right where they paint, or top-down layers that overlay or blank
(`fill_mask(x, mask_of(piece, bg), bg)`), icecuber's way of reaching outputs no single value
of the closure equals. Pieces get the last `PIECES_SHARE` of the stage's budget and take no
more values than it pays for (`pieces_allowance`, `values_per_evaluation` values an
evaluation); the values are gathered from the closure's pool as one array per train pair
(`shaped_stacks`), not a grid per value (the same values and charge, a fraction of the CPU
time: `python benchmarks/bench_closure_pieces.py`).

Target sizes: when the task predicts every output's size (`synth.search.target_size`) and
the closure ends with no exact match, its values not shaped like the outputs are brought to
that size by icecuber's target-size functions (embedded at the origin or centred on a
background canvas, tiled, mirror-tiled, scaled; kernels in `native.target_size`) and matched
the same way, breadth-first while the budget lasts; the sized values also go to pieces.
Before those, a sweep rule (`synth.search.sweep_rules`) is learned on the inputs embedded at
the origin of the predicted canvases: patterns that grow from the input into a larger output.
Where the outputs change shape, the stage has `TARGET_SIZE_SHARE` of the closure's share;
where they keep the input's, what the expansion left.

Budget: the wall clock is checked between chunks of transform applications; in reproducible
mode every `NATIVE_CALLS_PER_EVALUATION` applications (each on every example) count as one
evaluation of work, the CPU time of one enumerator evaluation, so where the closure stops
does not depend on the machine.

The colour view: when the task's colour-normalised view (`synth.search.normalise.COLOR_VIEW`:
each example recoloured by its input's canonical table, so colour roles that change from pair
to pair become constants) differs from the task, the plain task gets `1 - view_share` of the
budget first (default `VIEW_SHARE`) and, unless it gave a program whose test outputs obey the
task's invariants, the view gets the rest: the same stages (closure, colour map, target sizes,
pieces) on the view's task, every program it verifies there mapped back as the views proposer
maps them (`synth.proposers.view_mapping.original_candidate`: `normalize_colors` in,
`denormalize_colors` out), re-run by the reference interpreter on every original input and
yielded only when it reproduces every original train output. Reach over the arc1 training
tasks: `python benchmarks/closure_views_reach.py`.

Votes: the closure's programs are variants of one search (the same values colour-mapped or
composed), so they vote as one (`ProgramCandidate.votes_as_one`): however many of them agree,
they are one supporter of their test outputs and cannot end the search on their own.
"""
from __future__ import annotations

import math
import time
from contextlib import closing
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dsl import ast
from dsl.parser import parse_program
from dsl.types import GRID
from native import target_size as sized_kernels
from native.closure import EXACT, Closure
from synth.analysis.features import TaskAnalysis
from synth.data.scoring import train_matches
from synth.data.task import Challenge
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate, interpreted_grids
from synth.proposers.view_mapping import original_candidate, view_analysis
from synth.search.closure import (Transform, kernel_rows, path_expr, table_scope, task_table,
                                  transform_table)
from synth.search.finishing import color_mapping, mapped_node
from synth.search.normalise import COLOR_VIEW, distinct_views, view_challenge
from synth.search.options import Node
from synth.search.pieces import (OVERLAY, PIECES_SHARE, compose_stacks, piece_limit,
                                 pieces_allowance, pieces_work, values_per_evaluation)
from synth.search.program import expr_size, program_text
from synth.search.sweep_rules import learn_sweep_rule, sweep_rule_node
from synth.search.target_size import (FUNCTIONS, INPUT, TargetSize, matching_functions,
                                       sized_expr, target_size)

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
TARGET_SIZE_SHARE = 0.2   # of the closure's share, for the target-size stage when it runs
SIZED_CHUNK = 2_000       # values matched under the target-size functions between budget checks
SWEEP_PRIOR = 0.85        # of a sweep rule on the sized input, as the enumerator's learned rules
VIEW_SHARE = 0.2          # of the closure's budget, for the colour view when it differs


@dataclass
class ClosureProposer:
    """Yields programs found in the native unary closure of the task's inputs."""

    max_depth: int = MAX_DEPTH
    name: str = "closure"
    # the target-size functions (`native.target_size` kinds) of the target-size stage; () turns
    # it off (for A/B measurements)
    size_functions: tuple[int, ...] = FUNCTIONS
    # the views (`synth.search.normalise`) the closure also runs on, after the plain task;
    # () turns them off (for A/B measurements)
    views: tuple[str, ...] = (COLOR_VIEW,)
    view_share: float = VIEW_SHARE
    last: dict[str, Any] = field(default_factory=dict)
    verifications: int = 0
    sized_applications: int = 0
    sized_found: int = 0

    def warm_up(self) -> None:
        """Compile (or load from numba's cache) the closure kernels on a tiny task."""
        grid = np.zeros((2, 2), dtype=np.uint8)
        table = kernel_rows(transform_table((0,), (0, 1), 0))
        closure = Closure([grid], [grid], table)
        for _ in closure.run(1, 10 ** 6, lambda: False):
            pass
        size = TargetSize("constant", ((1, 1),) * 2, ast.Literal(1, "int"), ast.Literal(1, "int"))
        sized_values(closure, size, FUNCTIONS, 1, 4, 0)
        sized_kernels.scan(closure.pool, closure.offsets, closure.heights, closure.widths, 0,
                           closure.n_nodes, np.array(FUNCTIONS, dtype=np.int64),
                           closure.targets, closure.t_offs, np.ones(1, dtype=np.int64),
                           np.ones(1, dtype=np.int64), 0, np.zeros((1, 2), dtype=np.int64),
                           np.zeros((1, 2), dtype=np.int64))

    def stats(self) -> dict[str, Any]:
        """The last closure's values, applications, depth reached and speed."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        views = distinct_views(task, self.views) if self.views and not budget.expired() else []
        self.last = {"views": {}}
        plain = budget.share(1.0 - self.view_share) if views else budget
        solved = yield from self._run(task, analysis, plain, self.last)
        for index, view in enumerate(views):
            if solved or budget.expired():
                break
            view_task = view_challenge(view, task)
            record = self.last["views"].setdefault(view, {"mapped": 0, "rejected": 0})
            with closing(self._run(view_task, view_analysis(view, task, view_task, analysis),
                                   budget.share(1.0 / (len(views) - index)), record)) as found:
                for candidate in found:
                    budget.spend(1)
                    original = original_candidate(view, candidate, task, self.name)
                    if original is None:
                        record["rejected"] += 1
                        continue
                    record["mapped"] += 1
                    solved = solved or settles(original, analysis)
                    yield original

    def _run(self, task: Challenge, analysis: TaskAnalysis, budget: Budget,
             record: dict[str, Any]) -> Generator[ProgramCandidate, None, bool]:
        """The closure's stages on one task (the original or a view) within `budget`, their
        figures written into `record`; returns whether a candidate whose test outputs obey the
        invariants was yielded."""
        table, closure = task_closure(task, analysis)
        start = time.monotonic()
        self.verifications = 0
        self.sized_applications = self.sized_found = 0
        solved = False
        try:
            for candidate in self._search(task, analysis, budget, closure, table):
                solved = solved or settles(candidate, analysis)
                yield candidate
        finally:
            seconds = time.monotonic() - start
            record.update({
                "values": closure.n_nodes, "applications": closure.calls,
                "depth_completed": closure.depth_completed(), "transforms": len(table),
                "seconds": round(seconds, 3),
                "values_per_s": round(closure.n_nodes / max(seconds, 1e-9)),
                "verifications": self.verifications,
                "sized_applications": self.sized_applications, "sized_found": self.sized_found})
            budget.spend(self.pending(closure))
        return solved

    def _search(self, task: Challenge, analysis: TaskAnalysis, budget: Budget,
                closure: Closure, table: tuple) -> Iterator[ProgramCandidate]:
        size = target_size(task, analysis) if self.size_functions else None
        stage = budget.share(1.0 - PIECES_SHARE)
        expansion = stage if size is None or size.rule == "same" else \
            stage.share(1.0 - TARGET_SIZE_SHARE)
        call_limit = 2 ** 62 if expansion.work_limit is None else \
            max(0, expansion.work_limit - expansion.meter.spent) * NATIVE_CALLS_PER_EVALUATION
        depth = self.max_depth
        counts = {EXACT: 0, 0: 0}
        solved_depth: int | None = None
        while True:
            for found in closure.run(depth, call_limit,
                                     lambda: expansion.expired(work_units(closure.calls)),
                                     CHUNK_CALLS):
                for node, kind in found:
                    bucket = EXACT if kind == EXACT else 0
                    if not has_room(counts, bucket, solved_depth is not None):
                        continue
                    candidate = self.candidate(task, closure, table, node, kind == EXACT)
                    if candidate is None:
                        continue
                    counts[bucket] += 1
                    if bucket == EXACT and settles(candidate, analysis):
                        solved_depth = int(closure.depths[node])
                    yield candidate
                if solved_depth is not None and solved_depth < depth:
                    break
            if solved_depth is None and counts[EXACT] == 0:
                solved = False
                if size is not None and size.rule != "same":
                    swept = self.sized_sweep(task, analysis, size)
                    if swept is not None:
                        solved = settles(swept, analysis)
                        yield swept
                if size is not None and not solved:
                    solved = yield from self.by_target_size(task, analysis, closure, table,
                                                            size, stage)
                if not solved:
                    yield from self.by_pieces(task, analysis, closure, table, size, budget)
            if solved_depth is None or solved_depth >= depth:
                return
            depth = solved_depth

    def pending(self, closure: Closure) -> int:
        """Evaluations of work done so far and not yet spent (`propose` spends them)."""
        return work_units(closure.calls + self.sized_applications) + self.verifications

    def by_target_size(self, task: Challenge, analysis: TaskAnalysis, closure: Closure,
                       table: tuple, size: TargetSize, budget: Budget
                       ) -> Generator[ProgramCandidate, None, bool]:
        """The closure's values not shaped like the outputs, brought to the predicted output
        size by each target-size function (`synth.search.target_size`) and matched against
        the train outputs, exact or after one colour map, breadth-first in chunks of
        `SIZED_CHUNK` values while the budget lasts; returns whether an exact program whose
        test outputs obey the task's invariants was found."""
        n = len(task.train)
        heights, widths = (np.array([s[i] for s in size.shapes[:n]], dtype=np.int64)
                           for i in (0, 1))
        kinds = np.array(matching_functions(size, self.size_functions), dtype=np.int64)
        exact = np.zeros((MAX_EXACT, 2), dtype=np.int64)
        mapped = np.zeros((MAX_MAPPED, 2), dtype=np.int64)
        counts = {EXACT: 0, 0: 0}
        solved = False
        for start in range(0, closure.n_nodes, SIZED_CHUNK):
            if solved or budget.expired(self.pending(closure)):
                break
            stop = min(closure.n_nodes, start + SIZED_CHUNK)
            n_exact, n_mapped = sized_kernels.scan(
                closure.pool, closure.offsets, closure.heights, closure.widths, start, stop,
                kinds, closure.targets, closure.t_offs, heights, widths, analysis.background,
                exact, mapped)
            self.sized_applications += (stop - start) * len(kinds)
            matches = [(EXACT, pair) for pair in exact[:min(n_exact, MAX_EXACT)]] + \
                [(0, pair) for pair in mapped[:min(n_mapped, MAX_MAPPED)]]
            for bucket, (node, kind) in matches:
                if not has_room(counts, bucket, solved):
                    continue
                expr = sized_expr(int(kind), path_expr(table, closure.path(int(node))), size,
                                  analysis.background)
                candidate = self.verified(task, expr, 1.0) if bucket == EXACT else \
                    self.mapped(task, expr)
                if candidate is None:
                    continue
                counts[bucket] += 1
                self.sized_found += 1
                solved = solved or (bucket == EXACT and settles(candidate, analysis))
                yield candidate
        return solved

    def sized_sweep(self, task: Challenge, analysis: TaskAnalysis, size: TargetSize
                    ) -> ProgramCandidate | None:
        """A sweep rule (`synth.search.sweep_rules`) learned on the inputs embedded at the
        origin of canvases of the predicted output sizes (a pattern that grows from the input
        into a larger output), verified; None when no rule fits."""
        expr = sized_expr(sized_kernels.ORIGIN, INPUT, size, analysis.background)
        self.verifications += 1
        values = interpreted_grids(parse_program(program_text(expr)), task.inputs)
        if values is None or any(v is None for v in values):
            return None
        rule = learn_sweep_rule(tuple(values), task, analysis.background)
        if rule is None:
            return None
        node = sweep_rule_node(Node(GRID, tuple(values), expr_size(expr), expr), rule,
                               analysis.background)
        return self.verified(task, node.expr, prior=SWEEP_PRIOR)

    def mapped(self, task: Challenge, expr: ast.Expr) -> ProgramCandidate | None:
        """The expression followed by the colour map its train outputs call for, verified."""
        self.verifications += 1
        values = interpreted_grids(parse_program(program_text(expr)), task.inputs)
        if values is None or any(v is None for v in values):
            return None
        mapped = colour_mapped(task, expr, values)
        return None if mapped is None else self.verified(task, mapped, prior=0.9)

    def by_pieces(self, task: Challenge, analysis: TaskAnalysis, closure: Closure,
                  table: tuple, size: TargetSize | None, budget: Budget
                  ) -> Iterator[ProgramCandidate]:
        """A base value plus overlaid values of the closure, or layers of them that overlay or
        blank (`synth.search.pieces.compose`), when the composition, re-run by the
        interpreter, reproduces every train output. The
        values: those shaped like the outputs, then (with a predicted size) the others brought
        to size by each target-size function, breadth-first, as many as what is left of
        `budget` pays for (`pieces_allowance`: the pieces share, once the stages before it
        have spent theirs)."""
        n = len(task.train)
        targets = [ex.output for ex in task.train]
        work_left = None if budget.work_limit is None else \
            budget.work_limit - budget.meter.spent - self.pending(closure)
        per_evaluation = values_per_evaluation(targets)
        limit = min(piece_limit(targets),
                    pieces_allowance(work_left, budget.remaining(), per_evaluation))
        nodes = shaped_nodes(closure, [t.shape for t in targets], limit)
        stacks = shaped_stacks(closure, nodes, [t.shape for t in targets])
        sources: list[tuple[int, int | None]] = [(int(node), None) for node in nodes]
        if size is not None and len(nodes) < limit:
            pairs, sized = sized_values(closure, size, self.size_functions, n,
                                        limit - len(nodes), analysis.background)
            stacks = [np.concatenate([stack, np.array([v[i] for v in sized],
                                                      dtype=np.uint8).reshape(-1, *t.shape)])
                      for i, (stack, t) in enumerate(zip(stacks, targets))]
            sources += [(int(node), int(kind)) for node, kind in pairs]
        self.verifications += pieces_work(len(sources), per_evaluation)
        found = compose_stacks(stacks, targets, analysis.background, blanks=True,
                               covering=pieces_allowance(work_left, budget.remaining()))
        if found is None:
            return

        def source_expr(index: int) -> ast.Expr:
            node, kind = sources[index]
            expr = path_expr(table, closure.path(node))
            return expr if kind is None or size is None else \
                sized_expr(kind, expr, size, analysis.background)

        expr = source_expr(found.base)
        for i, index in enumerate(found.pieces):
            expr = overlay_expr(expr, source_expr(index), analysis.background) \
                if found.mode(i) == OVERLAY else \
                blank_expr(expr, source_expr(index), analysis.background)
        candidate = self.verified(task, expr, prior=0.95)
        if candidate is not None:
            yield candidate

    def candidate(self, task: Challenge, closure: Closure, table: tuple, node: int,
                  exact: bool) -> ProgramCandidate | None:
        """The program of a matching value, re-run by the DSL interpreter on every input;
        None unless it reproduces every train output."""
        expr = path_expr(table, closure.path(node))
        if not exact:
            expr = colour_mapped(task, expr, closure.grids(node))
            if expr is None:
                return None
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


def has_room(counts: dict[int, int], bucket: int, solved: bool) -> bool:
    """Whether a match of `bucket` (EXACT, or 0: colour-mapped) is still worth a verification:
    under its cap (`MAX_EXACT`, `MAX_MAPPED`), and not colour-mapped once a solve settled."""
    if bucket == EXACT:
        return counts[bucket] < MAX_EXACT
    return counts[bucket] < MAX_MAPPED and not solved


def settles(candidate: ProgramCandidate, analysis: TaskAnalysis) -> bool:
    """Whether an exact candidate ends the search: every test output given, all obeying the
    task's invariants."""
    return all(g is not None for g in candidate.test_outputs) and \
        analysis.consistent_outputs(candidate.test_outputs)


def colour_mapped(task: Challenge, expr: ast.Expr, values: Sequence[np.ndarray]
                  ) -> ast.Expr | None:
    """`expr` followed by the colour map (`map_colors`) that sends its train values onto the
    train outputs, or None when no consistent map does."""
    changes = color_mapping(list(values)[:len(task.train)], task)
    if changes is None:
        return None
    return mapped_node(Node(GRID, tuple(values), 0, expr), changes).expr


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


def shaped_stacks(closure: Closure, nodes: np.ndarray, shapes: Sequence[tuple[int, int]]
                  ) -> list[np.ndarray]:
    """The values of `nodes` (each shaped like `shapes` on the first len(shapes) examples) as
    one (nodes, height, width) stack per example, gathered from the closure's pool at once."""
    stacks = []
    for example, (height, width) in enumerate(shapes):
        cells = closure.offsets[nodes, example][:, None] + np.arange(height * width)[None]
        stacks.append(closure.pool[cells].reshape(len(nodes), height, width))
    return stacks


def sized_values(closure: Closure, size: TargetSize, functions: Sequence[int], n_train: int,
                 limit: int, bg: int) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """The first `limit` (node, function) pairs, breadth-first, of values not shaped like the
    train outputs whose target-size function is valid on every train example, and their
    grids on the train examples."""
    pairs = np.zeros((max(0, limit), 2), dtype=np.int64)
    heights = np.array([s[0] for s in size.shapes[:n_train]], dtype=np.int64)
    widths = np.array([s[1] for s in size.shapes[:n_train]], dtype=np.int64)
    count = sized_kernels.sized_pairs(closure.heights, closure.widths, closure.n_nodes,
                                      np.array(functions, dtype=np.int64), heights, widths,
                                      pairs)
    pairs = pairs[:count]
    per_example = []
    for e in range(n_train):
        h, w = int(heights[e]), int(widths[e])
        out = np.zeros((count, h * w), dtype=np.uint8)
        sized_kernels.render(closure.pool, closure.offsets, closure.heights, closure.widths,
                             pairs, e, h, w, bg, out)
        per_example.append(out.reshape(count, h, w))
    return pairs, [[grids[k] for grids in per_example] for k in range(count)]


def overlay_expr(base: ast.Expr, piece: ast.Expr, background: int) -> ast.Expr:
    """`overlay(base, piece)`, with the task's background as `bg` when it is not 0."""
    if background == 0:
        return ast.Call("overlay", (base, piece), ())
    return ast.Call("overlay", (base, piece), (("bg", ast.Literal(background, "color")),))


def blank_expr(base: ast.Expr, piece: ast.Expr, background: int) -> ast.Expr:
    """`fill_mask(base, mask_of(piece, bg), bg)`: the base with the piece's background cells
    blanked."""
    colour = ast.Literal(background, "color")
    return ast.Call("fill_mask", (base, ast.Call("mask_of", (piece, colour), ()), colour), ())


def work_units(applications: int) -> int:
    """Evaluations of work that `applications` native transform applications count as."""
    return math.ceil(applications / NATIVE_CALLS_PER_EVALUATION)

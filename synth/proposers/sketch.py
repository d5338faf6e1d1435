"""The sketch proposer: near-miss programs of the pool with their constants turned into holes,
filled so that every train output is reproduced.

A near miss is a program candidate already in the pool that runs on every train input without
reproducing every train output. The best ones (by train cell accuracy) become sketches: their
colour literals (at most `MAX_COLOR_HOLES`) and integer literals (at most `MAX_INT_HOLES`,
never `connect=`) are holes. A literal's role comes from the parameter it fills, so `1` in
`replace(I, 1, red)` is a colour hole. Holes are filled in one of two ways:

* Z3, for colour holes that paint cells: each colour hole runs once on its own as a sentinel
  colour (10, 11, ...) that no task grid holds; a hole whose sentinel reaches a train output is
  solved for. With all of them as sentinels, an output cell holding sentinel k asks hole k to
  equal the expected cell, and every other cell must already be right (else unsat). Int holes
  and colour holes that only steer (e.g. `replace`'s source) are enumerated around the solver.
* Bounded enumeration, where Z3 does not apply (no colour hole, no sentinel reaches an output,
  a sentinel run fails) or gives up (timeout): value combinations with the fewest changed holes
  first, nearest the written values first, at most `max_evaluations` runs per sketch.

A sentinel run is exact only where a hole's value does not steer the computation, so every
filled program runs again and is yielded only if it reproduces every train output and gives
valid grids on every test input. `stats` says how each sketch was handled.

Before the near misses, the proposer tries the part combinations of
`synth.search.part_combos` (the equal-shaped parts of a split input overlaid, or combined
cell by cell): templates whose only holes are which parts and which operation, checked on the
parts' cells with the task's background and with 0 as the transparent colour, then run and
verified like the filled sketches (`stats`: "parts"); and the part rules of
`synth.search.part_rules` (one colour per part between separator lines), the same way.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import z3

from dsl import ast
from dsl.compile import run_compiled
from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.registry import Param, Registry, default_registry
from dsl.typecheck import definition_callee
from dsl.types import COLOR, INT, TCon
from synth.analysis.features import TaskAnalysis
from synth.analysis.laws import limit_solver
from synth.data.scoring import train_matches
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate
from synth.search.closeness import train_accuracy
from synth.search.part_combos import part_programs
from synth.search.part_rules import part_rule_programs
from synth.data.task import Challenge, Grid, valid_grid

SENTINEL = 10            # colour hole k runs as colour SENTINEL + k in a sentinel run
MAX_COLOR_HOLES = 3
MAX_INT_HOLES = 2
MAX_PROBED = 12          # holes of a kind looked at when choosing which become holes
INT_VALUES = tuple(range(11))
INT_SPREAD = 2           # an int hole also tries its written value +-INT_SPREAD
# Errors a run with sentinel colours or odd integers may raise besides the DSL's own: reference
# implementations index 10-entry colour tables (`np.bincount(..., minlength=10)`).
RUN_ERRORS = (DSLError, IndexError, ValueError, OverflowError)

Outputs = list[Grid | None]


def new_stats() -> dict[str, Any]:
    """Zeroed counters: sketches built; Z3 outcomes, one per solver call; sketches Z3 could
    not take (no colour hole, or no colour hole's sentinel reaches an output); sketches handed
    to enumeration; program runs; programs yielded, and the path ('z3' or 'enumeration') that
    found each; part-combination programs yielded."""
    return {"sketches": 0, "z3_sat": 0, "z3_unsat": 0, "z3_timeout": 0, "z3_not_applicable": 0,
            "enumerated": 0, "evaluations": 0, "filled": 0, "filled_by": [], "parts": 0}


@dataclass(frozen=True)
class Hole:
    """A literal the sketch may change: its number in traversal order (`walk_literals`),
    'color' or 'int', the value written, and an int parameter's finite domain if any."""

    index: int
    kind: str
    value: int
    domain: tuple[int, ...] | None = None

    def distance(self, value: int) -> int:
        """How far a value is from the written one (colours: changed or not)."""
        return abs(value - self.value) if self.kind == "int" else int(value != self.value)

    def options(self, palette: Sequence[int]) -> tuple[int, ...]:
        """Values to try, the written value first, then nearest first."""
        if self.kind == "color":
            pool = set(palette)
        elif self.domain is not None:
            pool = set(self.domain)
        else:
            pool = set(INT_VALUES) | set(range(self.value - INT_SPREAD,
                                               self.value + INT_SPREAD + 1))
        pool.discard(self.value)
        return (self.value, *sorted(pool, key=lambda v: (self.distance(v), v)))

    def literal(self, value: int) -> ast.Literal:
        """The literal writing `value` in this hole."""
        return ast.Literal(value, self.kind)


@dataclass(frozen=True)
class Sketch:
    """A program and the holes chosen in it."""

    program: ast.Program
    color_holes: tuple[Hole, ...]
    int_holes: tuple[Hole, ...]

    @property
    def holes(self) -> tuple[Hole, ...]:
        """Every hole, in program order."""
        return tuple(sorted(self.color_holes + self.int_holes, key=lambda h: h.index))


# --- literals and holes -----------------------------------------------------------------------

Visit = Callable[[int, ast.Literal, Param | None], ast.Expr]


def _params(program: ast.Program, registry: Registry, name: str) -> tuple[Param, ...]:
    defn = program.get(name)
    if defn is not None:
        return definition_callee(defn).params
    prim = registry.get(name)
    return prim.params if prim is not None else ()


def _element(param: Param | None) -> Param | None:
    """The parameter seen by the items of a list literal passed to `param`."""
    if param is not None and isinstance(param.type, TCon) and param.type.name == "List" \
            and param.type.args:
        return Param(param.name, param.type.args[0])
    return None


def walk_literals(program: ast.Program, registry: Registry, visit: Visit) -> ast.Program:
    """Rebuild the program with each literal replaced by `visit(number, literal, parameter)`;
    literals are numbered in a fixed traversal order, and `parameter` is the one the literal
    is passed to (None where unknown)."""
    counter = itertools.count()

    def walk(expr: ast.Expr, param: Param | None) -> ast.Expr:
        if isinstance(expr, ast.Literal):
            return visit(next(counter), expr, param)
        if isinstance(expr, ast.Call):
            params = _params(program, registry, expr.func)
            named = {p.name: p for p in params}
            return replace(expr, args=tuple(walk(a, params[i] if i < len(params) else None)
                                            for i, a in enumerate(expr.args)),
                           kwargs=tuple((k, walk(v, named.get(k))) for k, v in expr.kwargs))
        if isinstance(expr, ast.ListLit):
            return replace(expr, items=tuple(walk(item, _element(param)) for item in expr.items))
        if isinstance(expr, ast.Lambda):
            return replace(expr, body=walk(expr.body, None))
        return expr

    return ast.Program(tuple(
        replace(d, body=tuple(replace(s, expr=walk(s.expr, None)) for s in d.body))
        for d in program.definitions))


def _hole_kind(literal: ast.Literal, param: Param | None) -> str | None:
    if literal.kind == "bool" or isinstance(literal.value, bool):
        return None
    if param is not None and param.type == COLOR:
        return "color"
    if param is not None and param.type == INT:
        return None if param.name == "connect" else "int"
    return literal.kind if literal.kind in ("color", "int") else None


def find_holes(program: ast.Program, registry: Registry) -> tuple[Hole, ...]:
    """Every colour and integer literal of the program as a hole (not `connect=`, not bools)."""
    found: list[Hole] = []

    def visit(number: int, literal: ast.Literal, param: Param | None) -> ast.Expr:
        kind = _hole_kind(literal, param)
        if kind is not None:
            domain = param.domain if kind == "int" and param is not None else None
            found.append(Hole(number, kind, int(literal.value), domain))
        return literal

    walk_literals(program, registry, visit)
    return tuple(found)


def fill(program: ast.Program, registry: Registry, values: Mapping[int, ast.Literal]
         ) -> ast.Program:
    """The program with the literals numbered in `values` replaced."""
    return walk_literals(program, registry,
                         lambda number, literal, _: values.get(number, literal))


def assign(holes: Sequence[Hole], values: Sequence[int]) -> dict[int, ast.Literal]:
    """Literal number -> new literal, for values given hole by hole (a hole keeping its
    written value keeps its literal, so unchanged text stays as written)."""
    return {h.index: h.literal(v) for h, v in zip(holes, values) if v != h.value}


def sentinels(holes: Sequence[Hole]) -> dict[int, ast.Literal]:
    """Hole k of `holes` written as sentinel colour SENTINEL + k."""
    return {h.index: ast.Literal(SENTINEL + k, "color") for k, h in enumerate(holes)}


def assignments(holes: Sequence[Hole], palette: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Value tuples for the holes: the written values first, then by how many holes change,
    then by total distance from the written values (ties in hole order)."""
    options = [h.options(palette) for h in holes]
    written = tuple(h.value for h in holes)
    for n_changed in range(len(holes) + 1):
        level: list[tuple[int, tuple[int, ...]]] = []
        for subset in itertools.combinations(range(len(holes)), n_changed):
            for changed in itertools.product(*(options[i][1:] for i in subset)):
                values = list(written)
                for i, v in zip(subset, changed):
                    values[i] = v
                level.append((sum(holes[i].distance(v) for i, v in zip(subset, changed)),
                              tuple(values)))
        level.sort(key=lambda item: item[0])
        yield from (values for _, values in level)


# --- running programs -------------------------------------------------------------------------

def run(program: ast.Program, grids: Sequence[Grid]) -> Outputs | None:
    """The program's grid on each input (None where it failed or gave no grid), or None when
    the run as a whole raised."""
    try:
        results = run_compiled(program, grids, typecheck=False)
    except RUN_ERRORS:
        return None
    return [r if isinstance(r, np.ndarray) and r.ndim == 2 else None for r in results]


def near_misses(pool: Pool, task: Challenge, min_accuracy: float, limit: int
                ) -> list[ProgramCandidate]:
    """Pool programs with a grid for every train input that are wrong somewhere, with train
    accuracy of at least `min_accuracy`: best first, one per program text, at most `limit`."""
    best: dict[str, tuple[float, ProgramCandidate]] = {}
    for cand in pool.programs():
        if len(cand.train_outputs) != len(task.train) \
                or any(not isinstance(o, np.ndarray) for o in cand.train_outputs) \
                or train_matches(cand.train_outputs, task) or cand.program in best:
            continue
        accuracy = train_accuracy(cand.train_outputs, task)
        if accuracy >= min_accuracy:
            best[cand.program] = (accuracy, cand)
    ranked = sorted(best.values(), key=lambda item: -item[0])
    return [cand for _, cand in ranked[:limit]]


# --- Z3 ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColorConstraints:
    """What a sentinel run asks of the solved colour holes: (hole, colour) equalities, and
    whether every cell no hole painted is already right (shapes included)."""

    equalities: frozenset[tuple[int, int]]
    consistent: bool


def color_constraints(outputs: Outputs, expected: Sequence[Grid], n_holes: int
                      ) -> ColorConstraints:
    """The constraints of a sentinel run with `n_holes` sentinels against the train outputs."""
    equalities: set[tuple[int, int]] = set()
    consistent = True
    for out, want in zip(outputs, expected):
        if out is None or out.shape != want.shape:
            consistent = False
            continue
        painted = out >= SENTINEL
        if not np.array_equal(out[~painted], want[~painted]):
            consistent = False
        for sentinel in np.unique(out[painted]).tolist():
            hole = sentinel - SENTINEL
            if hole >= n_holes:
                consistent = False
                continue
            equalities.update((hole, c) for c in np.unique(want[out == sentinel]).tolist())
    return ColorConstraints(frozenset(equalities), consistent)


class ColorSolver:
    """Z3 over the colour holes of one sketch: a solver holding the holes' 0..9 domains, asked
    once per sentinel run (each query pushed, checked and popped)."""

    def __init__(self, n_holes: int) -> None:
        self.holes = [z3.Int(f"hole{k}") for k in range(n_holes)]
        self.solver = z3.Solver()
        for hole in self.holes:
            self.solver.add(hole >= 0, hole <= 9)

    def solve(self, constraints: ColorConstraints, written: Sequence[int], timeout_ms: int,
              deterministic: bool = False
              ) -> tuple[str, tuple[int, ...] | None]:
        """('sat', values), ('unsat', None) or ('timeout', None); a hole no cell constrains
        keeps its written value."""
        constrained = {k for k, _ in constraints.equalities}
        limit_solver(self.solver, max(1, int(timeout_ms)), deterministic)
        self.solver.push()
        try:
            self.solver.add(z3.BoolVal(constraints.consistent))
            for k, colour in sorted(constraints.equalities):
                self.solver.add(self.holes[k] == colour)
            for k, value in enumerate(written):
                if k not in constrained:
                    self.solver.add(self.holes[k] == value)
            result = self.solver.check()
            if result == z3.sat:
                model = self.solver.model()
                return "sat", tuple(model.eval(h, model_completion=True).as_long()
                                    for h in self.holes)
            return ("unsat", None) if result == z3.unsat else ("timeout", None)
        finally:
            self.solver.pop()


def solve_colors(constraints: ColorConstraints, written: Sequence[int], timeout_ms: int
                 ) -> tuple[str, tuple[int, ...] | None]:
    """One query of a fresh `ColorSolver` for `len(written)` holes."""
    return ColorSolver(len(written)).solve(constraints, written, timeout_ms)


# --- choosing holes ---------------------------------------------------------------------------

def sentinel_masks(program: ast.Program, registry: Registry, holes: Sequence[Hole],
                   evaluate: Callable[[ast.Program], Outputs | None]
                   ) -> list[list[np.ndarray] | None]:
    """Per hole, where its sentinel lands in each train output when it alone is a sentinel
    (None where that run failed or the sentinel reached no output)."""
    masks: list[list[np.ndarray] | None] = []
    for hole in holes:
        outputs = evaluate(fill(program, registry, sentinels([hole])))
        if outputs is None or any(o is None for o in outputs):
            masks.append(None)
            continue
        landed = [o == SENTINEL for o in outputs]
        masks.append(landed if any(m.any() for m in landed) else None)
    return masks


def rank_color_holes(holes: Sequence[Hole], masks: Sequence[list[np.ndarray] | None],
                     current: Sequence[Grid], expected: Sequence[Grid]) -> list[int]:
    """Hole positions, most likely to matter first: sentinels landing on more wrong cells,
    then on more cells, then holes whose sentinel lands nowhere, each in program order."""
    def score(k: int) -> tuple[int, int]:
        if masks[k] is None:
            return (1, 0)
        wrong = sum(int((m & (cur != want)).sum()) for m, cur, want in zip(masks[k], current,
                    expected) if m.shape == want.shape == cur.shape)
        return (-wrong, -sum(int(m.sum()) for m in masks[k]))
    return sorted(range(len(holes)), key=lambda k: (score(k), k))


# --- the proposer -----------------------------------------------------------------------------

@dataclass
class SketchProposer:
    """Fills the constant holes of near-miss pool programs (Z3, then bounded enumeration)."""

    z3_timeout_ms: int = 200
    enabled_z3: bool = True
    min_accuracy: float = 0.5
    max_programs: int = 24
    max_evaluations: int = 200
    prior: float = 0.6
    deterministic: bool = False
    name: str = "sketch"
    last: dict[str, Any] = field(default_factory=new_stats)

    def warm_up(self) -> None:
        """Nothing to load."""

    def stats(self) -> dict[str, Any]:
        """How each sketch of the last run was handled (Z3 outcomes, enumeration, fills)."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        self.last = new_stats()
        registry = default_registry()
        known = {c.program for c in pool.programs()}
        inputs = list(task.inputs)
        n = len(task.train)
        palette = sorted(analysis.palette)
        for bg in dict.fromkeys((analysis.background, 0)):
            yield from self._part_combinations(task, bg, budget, known)
        for cand in near_misses(pool, task, self.min_accuracy, self.max_programs):
            if budget.expired():
                return
            try:
                program = parse_program(cand.program)
            except DSLError:
                continue
            sketch = self._sketch(program, registry, cand, task, budget)
            if sketch is None:
                continue
            self.last["sketches"] += 1
            for filled, path in self._fill(sketch, registry, task, palette, budget):
                text = format_program(filled)
                if text in known:
                    continue
                known.add(text)
                outputs = self._run(filled, inputs, budget)
                if outputs is None or not all(valid_grid(o) for o in outputs) \
                        or not train_matches(outputs[:n], task):
                    continue
                self.last["filled"] += 1
                self.last["filled_by"].append(path)
                yield ProgramCandidate(text, self.name, tuple(outputs[:n]), tuple(outputs[n:]),
                                       prior=self.prior, cost=len(filled.entry.body))
                break

    def _part_combinations(self, task: Challenge, bg: int, budget: Budget, known: set[str]
                           ) -> Iterator[ProgramCandidate]:
        """Verified programs combining the parts of a split input (at most `max_programs`)."""
        def spend(evaluations: int) -> bool:
            budget.spend(evaluations)
            self.last["evaluations"] += evaluations
            return not budget.expired()

        n = len(task.train)
        programs = itertools.chain(part_programs(task, bg, spend),
                                   part_rule_programs(task, bg, spend))
        for text in itertools.islice(programs, self.max_programs):
            if text in known or budget.expired():
                continue
            known.add(text)
            program = parse_program(text)
            outputs = self._run(program, list(task.inputs), budget)
            if outputs is None or not all(valid_grid(o) for o in outputs) \
                    or not train_matches(outputs[:n], task):
                continue
            self.last["parts"] += 1
            yield ProgramCandidate(format_program(program), self.name, tuple(outputs[:n]),
                                   tuple(outputs[n:]), prior=self.prior,
                                   cost=len(program.entry.body))

    def _run(self, program: ast.Program, grids: Sequence[Grid], budget: Budget
             ) -> Outputs | None:
        self.last["evaluations"] += 1
        budget.spend()
        return run(program, grids)

    def _train_run(self, task: Challenge, budget: Budget
                   ) -> Callable[[ast.Program], Outputs | None]:
        inputs = [ex.input for ex in task.train]
        return lambda program: self._run(program, inputs, budget)

    def _sketch(self, program: ast.Program, registry: Registry, cand: ProgramCandidate,
                task: Challenge, budget: Budget) -> Sketch | None:
        """The program with its holes chosen, or None if it has none."""
        holes = find_holes(program, registry)
        if not holes:
            return None
        colors = [h for h in holes if h.kind == "color"]
        ints = [h for h in holes if h.kind == "int"]
        evaluate = self._train_run(task, budget)
        if len(colors) > MAX_COLOR_HOLES and not budget.expired():
            probed = colors[:MAX_PROBED]
            masks = sentinel_masks(program, registry, probed, evaluate)
            order = rank_color_holes(probed, masks, cand.train_outputs,
                                     [ex.output for ex in task.train])
            colors = sorted((probed[k] for k in order[:MAX_COLOR_HOLES]), key=lambda h: h.index)
        if len(ints) > MAX_INT_HOLES and not budget.expired():
            ints = self._rank_int_holes(program, registry, ints[:MAX_PROBED], task, evaluate)
        return Sketch(program, tuple(colors[:MAX_COLOR_HOLES]), tuple(ints[:MAX_INT_HOLES]))

    def _rank_int_holes(self, program: ast.Program, registry: Registry, holes: Sequence[Hole],
                        task: Challenge, evaluate: Callable[[ast.Program], Outputs | None]
                        ) -> list[Hole]:
        """The int holes whose nearest other values give the best train accuracy first."""
        def best(hole: Hole) -> float:
            scores = [-1.0]
            for value in hole.options([])[1:3]:
                outputs = evaluate(fill(program, registry, assign([hole], [value])))
                if outputs is not None:
                    scores.append(train_accuracy(outputs, task))
            return max(scores)
        scored = [(best(h), h) for h in holes]
        return [h for _, h in sorted(scored, key=lambda item: (-item[0], item[1].index))]

    def _fill(self, sketch: Sketch, registry: Registry, task: Challenge, palette: Sequence[int],
              budget: Budget) -> Iterator[tuple[ast.Program, str]]:
        """Filled programs worth checking, each with the path that found it."""
        if self.enabled_z3 and not sketch.color_holes:
            self.last["z3_not_applicable"] += 1
        elif self.enabled_z3:
            outcome = yield from self._fill_z3(sketch, registry, task, palette, budget)
            if outcome == "done":
                return
        self.last["enumerated"] += 1
        yield from self._enumerate(sketch, registry, task, palette, budget)

    def _fill_z3(self, sketch: Sketch, registry: Registry, task: Challenge, palette: Sequence[int],
                 budget: Budget) -> Generator[tuple[ast.Program, str], None, str]:
        """Solve the painting colour holes with Z3 for each value combination of the other
        holes; returns 'fallback' where Z3 does not apply or timed out, else 'done'."""
        evaluate = self._train_run(task, budget)
        masks = sentinel_masks(sketch.program, registry, sketch.color_holes, evaluate)
        solved = [h for h, m in zip(sketch.color_holes, masks) if m is not None]
        if not solved:
            self.last["z3_not_applicable"] += 1
            return "fallback"
        searched = [h for h in sketch.holes if h not in solved]
        expected = [ex.output for ex in task.train]
        written = [h.value for h in solved]
        solver = ColorSolver(len(solved))
        for values in itertools.islice(assignments(searched, palette), self.max_evaluations):
            if budget.expired():
                return "done"
            chosen = assign(searched, values)
            outputs = evaluate(fill(sketch.program, registry, {**chosen, **sentinels(solved)}))
            if outputs is None:
                continue
            timeout = self.z3_timeout_ms if self.deterministic else \
                min(self.z3_timeout_ms, max(1, int(budget.remaining() * 1000)))
            status, colours = solver.solve(color_constraints(outputs, expected, len(solved)),
                                           written, timeout, self.deterministic)
            self.last[f"z3_{status}"] += 1
            if status == "timeout":
                return "fallback"
            if colours is not None:
                yield fill(sketch.program, registry, {**chosen, **assign(solved, colours)}), "z3"
        return "done"

    def _enumerate(self, sketch: Sketch, registry: Registry, task: Challenge,
                   palette: Sequence[int], budget: Budget) -> Iterator[tuple[ast.Program, str]]:
        """Value combinations of every hole (the written one skipped) that reproduce every
        train output, at most `max_evaluations` runs."""
        holes = sketch.holes
        evaluate = self._train_run(task, budget)
        for values in itertools.islice(assignments(holes, palette), 1,
                                       1 + self.max_evaluations):
            if budget.expired():
                return
            program = fill(sketch.program, registry, assign(holes, values))
            outputs = evaluate(program)
            if outputs is not None and train_matches(outputs, task):
                yield program, "enumeration"

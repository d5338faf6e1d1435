"""Law inference: integer relations between input features and output size, solved with Z3.

For each output quantity (`out_h`, `out_w`, `out_colors`) a law is `d*y = sum(a_f * x_f) + c`
over at most `MAX_TERMS` input features `x_f` (height, width, colour and object counts, ...),
with small integer coefficients. Z3 finds the simplest law that holds on every train pair
(`z3.Optimize`, minimising the number of terms, then the size of the coefficients); a second
query asks whether another law that is no more complex predicts something different for a
test input. A prediction is made only when it is unique among the simplest laws, so an
ambiguous or unsolvable quantity predicts nothing rather than something arbitrary.

Every Z3 query is time-boxed (`timeout_ms`), and the whole inference stops after
`TASK_BUDGET_QUERIES` query time-boxes; `Laws.status` records per quantity whether a law was
found (`sat`), none exists in the family (`unsat`) or Z3 gave up or the task's time ran out
(`timeout`).
"""
from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import z3

from dsl.primitives.objects import objects
from synth.data.task import Grid, Challenge

TARGETS: tuple[str, ...] = ("out_h", "out_w", "out_colors")
FEATURES: tuple[str, ...] = ("in_h", "in_w", "colors", "fg_colors", "fg_cells", "objects4",
                             "objects8", "multi_objects8", "fg_h", "fg_w", "largest_h",
                             "largest_w", "largest_cells")
MAX_COEF = 4
MAX_CONST = 30
MAX_DENOM = 4
MAX_TERMS = 2
MAX_COMPLEXITY = 6
DEFAULT_TIMEOUT_MS = 300
RLIMIT_PER_MS = 3000     # Z3 resource units per millisecond, measured on this project's CPU
TASK_BUDGET_QUERIES = 6


def input_features(grid: Grid, background: int) -> dict[str, int]:
    """The integer features laws may use, for one input grid."""
    fg = grid != background
    rows, cols = np.nonzero(fg)
    parts4 = objects(grid, connect=4, bg=background)
    parts8 = objects(grid, connect=8, bg=background)
    largest = max(parts8, key=lambda o: int(o.mask.sum()), default=None)
    colors = {int(c) for c in np.unique(grid)}
    return {
        "in_h": grid.shape[0], "in_w": grid.shape[1], "colors": len(colors),
        "fg_colors": len(colors - {background}), "fg_cells": int(fg.sum()),
        "objects4": len(parts4), "objects8": len(parts8),
        "multi_objects8": len(objects(grid, connect=8, multicolor=True, bg=background)),
        "fg_h": int(rows.max() - rows.min() + 1) if rows.size else 0,
        "fg_w": int(cols.max() - cols.min() + 1) if cols.size else 0,
        "largest_h": largest.mask.shape[0] if largest is not None else 0,
        "largest_w": largest.mask.shape[1] if largest is not None else 0,
        "largest_cells": int(largest.mask.sum()) if largest is not None else 0,
    }


def output_features(grid: Grid) -> dict[str, int]:
    """The quantities laws predict, for one output grid."""
    return {"out_h": grid.shape[0], "out_w": grid.shape[1],
            "out_colors": len(np.unique(grid))}


@dataclass(frozen=True)
class Law:
    """`denom * target = sum(coef * feature) + const`."""

    target: str
    terms: tuple[tuple[str, int], ...]
    const: int
    denom: int = 1

    def predict(self, features: Mapping[str, int]) -> int | None:
        """The predicted value, or None when it is not a positive integer."""
        total = sum(coef * features[name] for name, coef in self.terms) + self.const
        if total % self.denom:
            return None
        value = total // self.denom
        return value if value > 0 else None

    def text(self) -> str:
        """Readable form, e.g. `out_h = 2*in_h + 1`."""
        parts = [f"{coef}*{name}" if coef != 1 else name for name, coef in self.terms]
        if self.const or not parts:
            parts.append(str(self.const))
        rhs = " + ".join(parts).replace("+ -", "- ")
        return f"{self.target} = ({rhs}) / {self.denom}" if self.denom != 1 else \
            f"{self.target} = {rhs}"


@dataclass(frozen=True)
class Laws:
    """What was inferred for one task: the law per target, per-test predictions, statuses."""

    laws: Mapping[str, Law] = field(default_factory=dict)
    predictions: Mapping[str, tuple[int | None, ...]] = field(default_factory=dict)
    status: Mapping[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def predicted(self, target: str, test_index: int) -> int | None:
        """The unique prediction for a test input, or None."""
        values = self.predictions.get(target, ())
        return values[test_index] if test_index < len(values) else None

    def describe(self) -> dict[str, str]:
        """Target -> law text or status, for stats and the REPL."""
        return {t: self.laws[t].text() if t in self.laws else self.status.get(t, "none")
                for t in TARGETS}


@dataclass(frozen=True)
class _Family:
    """The Z3 variables of a law family for one target."""

    coefs: Mapping[str, z3.ArithRef]
    used: Mapping[str, z3.BoolRef]
    scaled: Mapping[str, z3.BoolRef]
    const: z3.ArithRef
    denom: z3.ArithRef

    def holds(self, features: Mapping[str, int], value: z3.ArithRef | int) -> z3.BoolRef:
        """The law applied to one example."""
        rhs = z3.Sum([self.coefs[f] * features[f] for f in self.coefs]) + self.const
        return self.denom * value == rhs

    def at_most(self, bound: int) -> z3.BoolRef:
        """Complexity <= bound: one per term, per coefficient other than 1, for a constant,
        for a denominator (`out_h = in_h` and `out_h = 9` are equally simple,
        `out_h = 2*in_h + 1` costs 3)."""
        flags = [*self.used.values(), *self.scaled.values(), self.denom != 1, self.const != 0]
        return z3.PbLe([(flag, 1) for flag in flags], bound)


def informative_features(examples: Sequence[Mapping[str, int]]) -> list[str]:
    """Features that vary over the examples, one per distinct column of values (a constant
    feature is the law's constant term; equal columns are interchangeable)."""
    kept: dict[tuple[int, ...], str] = {}
    for name in FEATURES:
        column = tuple(x[name] for x in examples)
        if len(set(column)) > 1:
            kept.setdefault(column, name)
    return list(kept.values())


def _family(target: str, names: Sequence[str]) -> tuple[_Family, list[z3.BoolRef]]:
    coefs = {f: z3.Int(f"{target}_{f}") for f in names}
    used = {f: z3.Bool(f"{target}_{f}_used") for f in names}
    scaled = {f: z3.Bool(f"{target}_{f}_scaled") for f in names}
    const, denom = z3.Int(f"{target}_const"), z3.Int(f"{target}_denom")
    bounds = [const >= -MAX_CONST, const <= MAX_CONST, denom >= 1, denom <= MAX_DENOM,
              z3.PbLe([(u, 1) for u in used.values()], MAX_TERMS)]
    for f in names:
        bounds += [coefs[f] >= -MAX_COEF, coefs[f] <= MAX_COEF, used[f] == (coefs[f] != 0),
                   scaled[f] == z3.And(coefs[f] != 0, coefs[f] != 1)]
    return _Family(coefs, used, scaled, const, denom), bounds


def _read(model: z3.ModelRef, family: _Family, target: str) -> Law:
    terms = tuple((f, model.eval(c).as_long()) for f, c in family.coefs.items()
                  if model.eval(c).as_long() != 0)
    return Law(target, terms, model.eval(family.const).as_long(),
               model.eval(family.denom).as_long())


def limit_solver(solver: z3.Solver, timeout_ms: int, deterministic: bool) -> None:
    """Bound each query of `solver`: by wall time, or (deterministic) by Z3's resource count
    (`RLIMIT_PER_MS` units per millisecond), which gives the same answer on every machine."""
    if deterministic:
        solver.set("rlimit", timeout_ms * RLIMIT_PER_MS)
    else:
        solver.set("timeout", timeout_ms)


def _solver(family: _Family, bounds: list[z3.BoolRef],
            train: Sequence[tuple[Mapping[str, int], int]], timeout_ms: int,
            deterministic: bool) -> z3.Solver:
    solver = z3.SolverFor("QF_LIA")
    limit_solver(solver, timeout_ms, deterministic)
    solver.add(*bounds, *(family.holds(x, y) for x, y in train))
    return solver


def _simplest(target: str, solver: z3.Solver, family: _Family, deadline: float
              ) -> tuple[str, Law | None, int]:
    """The least complex law, by asking for complexity <= 0, 1, 2, ... in turn."""
    for bound in range(MAX_COMPLEXITY + 1):
        if time.monotonic() > deadline:
            return "timeout", None, 0
        solver.push()
        solver.add(family.at_most(bound))
        result = solver.check()
        if result == z3.sat:
            law = _read(solver.model(), family, target)
            solver.pop()
            return "sat", law, bound
        solver.pop()
        if result != z3.unsat:
            return "timeout", None, 0
    return "unsat", None, 0


def _unique_prediction(solver: z3.Solver, family: _Family, test: Mapping[str, int], law: Law,
                       complexity: int, name: str) -> int | None:
    """The law's prediction if no other law of no greater complexity predicts otherwise
    (a timeout counts as "maybe otherwise")."""
    predicted = law.predict(test)
    if predicted is None:
        return None
    other = z3.Int(name)
    solver.push()
    solver.add(family.at_most(complexity), family.holds(test, other), other != predicted)
    unique = solver.check() == z3.unsat
    solver.pop()
    return predicted if unique else None


def infer_laws(task: Challenge, background: int, timeout_ms: int = DEFAULT_TIMEOUT_MS,
               deterministic: bool = False) -> Laws:
    """Laws for every target over the task's train pairs, with predictions for its tests.

    `deterministic`: queries are bounded by Z3's resource count instead of wall time, and the
    per-task time budget is off (each query is bounded, so the total is too)."""
    start = time.monotonic()
    deadline = float("inf") if deterministic else start + TASK_BUDGET_QUERIES * timeout_ms / 1000
    train_x = [input_features(ex.input, background) for ex in task.train]
    train_y = [output_features(ex.output) for ex in task.train]
    test_x = [input_features(grid, background) for grid in task.test_inputs]
    names = informative_features(train_x + test_x)
    laws: dict[str, Law] = {}
    predictions: dict[str, tuple[int | None, ...]] = {}
    status: dict[str, str] = {}
    for target in TARGETS:
        train = [(x, y[target]) for x, y in zip(train_x, train_y)]
        family, bounds = _family(target, names)
        solver = _solver(family, bounds, train, timeout_ms, deterministic)
        status[target], law, complexity = _simplest(target, solver, family, deadline)
        if law is None:
            continue
        laws[target] = law
        predictions[target] = tuple(
            _unique_prediction(solver, family, x, law, complexity, f"{target}_test{i}")
            if time.monotonic() <= deadline else None for i, x in enumerate(test_x))
    return Laws(laws, predictions, status, round(time.monotonic() - start, 4))

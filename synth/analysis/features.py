"""Task analysis: facts about a task's train pairs that proposers use to prune and score.

Background colour, palettes, and output-size hypotheses (same as input, constant, scaled,
transposed) that hold on every train pair; `consistent_outputs` says whether a candidate's
test outputs obey the task's invariants (the loop sets it from `synth.analysis.invariants` when Z3 is
on; proposers use it to keep searching past programs whose test outputs break them).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from synth.data.task import Grid, Challenge

if TYPE_CHECKING:
    from synth.analysis.laws import Laws


def _anything_goes(outputs: Sequence[Grid]) -> bool:
    return True


@dataclass(frozen=True)
class SizeRule:
    """An output-size hypothesis: `kind` in same|constant|scaled|transposed, and its numbers."""

    kind: str
    rows: Fraction = Fraction(1)
    cols: Fraction = Fraction(1)

    def predict(self, in_shape: tuple[int, int]) -> tuple[int, int] | None:
        """The output shape this rule predicts for an input shape (None if not integral)."""
        h, w = in_shape
        if self.kind == "constant":
            return int(self.rows), int(self.cols)
        if self.kind == "transposed":
            return w, h
        rows, cols = self.rows * h, self.cols * w
        if rows.denominator != 1 or cols.denominator != 1:
            return None
        return int(rows), int(cols)


@dataclass(frozen=True)
class TaskAnalysis:
    """What holds on every train pair of a task."""

    background: int
    input_palette: frozenset[int]
    output_palette: frozenset[int]
    constant_output_colors: frozenset[int]
    size_rules: tuple[SizeRule, ...]
    consistent_outputs: Callable[[Sequence[Grid]], bool] = _anything_goes
    # the Z3 laws the loop inferred for the task (None with Z3 off): output sizes for stages
    # that need them, inferred once
    laws: Laws | None = None

    @property
    def palette(self) -> frozenset[int]:
        """Every colour seen in train inputs, outputs and test inputs."""
        return self.input_palette | self.output_palette

    def plausible_shapes(self, in_shape: tuple[int, int]) -> set[tuple[int, int]]:
        """Output shapes allowed by some size rule for an input of this shape."""
        return {s for r in self.size_rules if (s := r.predict(in_shape)) is not None}


def background_color(task: Challenge) -> int:
    """The most common colour over all inputs (ties -> 0, then the smaller colour)."""
    counts: Counter[int] = Counter()
    for grid in task.inputs:
        values, n = np.unique(grid, return_counts=True)
        counts.update(dict(zip(values.tolist(), n.tolist())))
    return max(sorted(counts), key=lambda c: (counts[c], c == 0))


def size_rules(task: Challenge) -> tuple[SizeRule, ...]:
    """Size hypotheses consistent with every train pair."""
    shapes = [(ex.input.shape, ex.output.shape) for ex in task.train]
    rules = []
    if all(i == o for i, o in shapes):
        rules.append(SizeRule("same"))
    if len({o for _, o in shapes}) == 1:
        h, w = shapes[0][1]
        rules.append(SizeRule("constant", Fraction(h), Fraction(w)))
    if all((i[1], i[0]) == o for i, o in shapes) and not rules:
        rules.append(SizeRule("transposed"))
    ratios = {(Fraction(o[0], i[0]), Fraction(o[1], i[1])) for i, o in shapes}
    if len(ratios) == 1 and not any(r.kind == "same" for r in rules):
        rows, cols = next(iter(ratios))
        rules.append(SizeRule("scaled", rows, cols))
    return tuple(rules)


def _colors(grids: list[np.ndarray]) -> frozenset[int]:
    return frozenset(int(c) for g in grids for c in np.unique(g))


def analyse(task: Challenge) -> TaskAnalysis:
    """Compute the analysis of a task."""
    inputs = task.inputs
    outputs = [ex.output for ex in task.train]
    always = frozenset.intersection(*(_colors([o]) for o in outputs))
    return TaskAnalysis(background_color(task), _colors(inputs), _colors(outputs),
                        always - _colors(inputs), size_rules(task))

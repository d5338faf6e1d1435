"""Invariant checks on candidates' test outputs: what every train pair obeys, the tests must too.

Three invariants, each inferred from the train pairs and checked on a candidate's test outputs:

- `size`: the output shape the Z3 laws (`synth.analysis.laws`) predict uniquely for each test input;
- `palette`: output colours lie within the test input's colours plus the colours the train
  outputs introduced (those not in their own input);
- `preserved`: where every train output keeps every non-background cell of its input (same
  shape), a test output must keep the test input's non-background cells.

`check_outputs` answers True/False per invariant, or None where no invariant was inferred
(e.g. the size law was ambiguous), so a filter or a meta-voter can tell "violated" from
"unknown". A candidate that violates one is not dropped: the ranking puts it after the
consistent ones (a verified program is still evidence).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from synth.analysis.features import background_color
from synth.analysis.laws import DEFAULT_TIMEOUT_MS, Laws, infer_laws
from synth.data.task import Grid, Challenge

CHECKS: tuple[str, ...] = ("size", "palette", "preserved")


@dataclass(frozen=True)
class Invariants:
    """What the train pairs obey: per-test predicted shapes, introduced colours, preservation."""

    shapes: tuple[tuple[int, int] | None, ...]
    new_colors: frozenset[int]
    preserves_foreground: bool
    background: int
    laws: Laws = field(default_factory=Laws)


def _colors(grid: Grid) -> frozenset[int]:
    return frozenset(int(c) for c in np.unique(grid))


def keeps_foreground(source: Grid, result: Grid, background: int) -> bool:
    """Same shape, and every non-background cell of `source` unchanged in `result`."""
    if source.shape != result.shape:
        return False
    fg = source != background
    return bool(np.array_equal(source[fg], result[fg]))


def infer_invariants(task: Challenge, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                     laws: Laws | None = None, deterministic: bool = False) -> Invariants:
    """The invariants of a task's train pairs (laws inferred with Z3 unless given)."""
    background = background_color(task)
    laws = laws if laws is not None else infer_laws(task, background, timeout_ms, deterministic)
    shapes = []
    for i in range(len(task.test_inputs)):
        h, w = laws.predicted("out_h", i), laws.predicted("out_w", i)
        shapes.append((h, w) if h is not None and w is not None else None)
    new_colors = frozenset().union(*(_colors(ex.output) - _colors(ex.input) for ex in task.train))
    preserves = all(keeps_foreground(ex.input, ex.output, background) for ex in task.train)
    return Invariants(tuple(shapes), new_colors, preserves, background, laws)


def check_outputs(inv: Invariants, task: Challenge, outputs: Sequence[Grid]
                  ) -> dict[str, bool | None]:
    """Per invariant: do these test outputs obey it (None: no such invariant inferred)."""
    pairs = list(zip(task.test_inputs, outputs))
    known_shapes = [(shape, out) for shape, (_, out) in zip(inv.shapes, pairs) if shape is not None]
    size = all(out.shape == shape for shape, out in known_shapes) if known_shapes else None
    palette = all(_colors(out) <= _colors(source) | inv.new_colors for source, out in pairs)
    preserved = all(keeps_foreground(source, out, inv.background) for source, out in pairs) \
        if inv.preserves_foreground else None
    return {"size": size, "palette": palette, "preserved": preserved}


def consistent(checks: Mapping[str, bool | None]) -> bool:
    """No invariant is violated (unknown ones do not count against)."""
    return all(value is not False for value in checks.values())


def obeys(inv: Invariants, task: Challenge, outputs: Sequence[Grid]) -> bool:
    """Test outputs that violate none of the task's invariants."""
    return consistent(check_outputs(inv, task, outputs))

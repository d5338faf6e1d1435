"""Invariant checks on candidates' test outputs: what every train pair obeys, the tests must too.

Four invariants, each inferred from the train pairs and checked on a candidate's test outputs:

- `size`: the output shape the Z3 laws (`synth.analysis.laws`) predict uniquely for each test input;
- `palette`: output colours lie within the test input's colours plus the colours the train
  outputs introduced (those not in their own input);
- `preserved`: where every train output keeps every non-background cell of its input (same
  shape), a test output must keep the test input's non-background cells;
- `color_role`: where every train output has one non-background colour, not the same one in
  every pair, and that colour is a role colour of its input (`COLOR_ROLES`: the most or least
  common non-background colour) in every pair, a test output's one non-background colour must
  be that role of the test input. This catches programs that name the colour by a literal
  (a colour map fitted per pair) where the task means a role.

`check_outputs` answers True/False per invariant, or None where no invariant was inferred
(e.g. the size law was ambiguous), so a filter or a meta-voter can tell "violated" from
"unknown". A candidate that violates one is not dropped: the ranking puts it after the
consistent ones (a verified program is still evidence).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from synth.analysis.features import background_color
from synth.analysis.laws import DEFAULT_TIMEOUT_MS, Laws, infer_laws
from synth.data.task import Grid, Challenge

CHECKS: tuple[str, ...] = ("size", "palette", "preserved", "color_role")


@dataclass(frozen=True)
class Invariants:
    """What the train pairs obey: per-test predicted shapes, introduced colours, preservation."""

    shapes: tuple[tuple[int, int] | None, ...]
    new_colors: frozenset[int]
    preserves_foreground: bool
    background: int
    laws: Laws = field(default_factory=Laws)
    color_roles: tuple[str, ...] = ()


def _colors(grid: Grid) -> frozenset[int]:
    return frozenset(int(c) for c in np.unique(grid))


def _fg_counts(grid: Grid, background: int) -> np.ndarray:
    counts = np.bincount(grid.ravel(), minlength=10)
    counts[background] = 0
    return counts


def most_common_fg_role(grid: Grid, background: int) -> int | None:
    """The most common colour other than `background` (ties: smaller), None if there is none."""
    counts = _fg_counts(grid, background)
    return int(np.argmax(counts)) if counts.any() else None


def least_common_fg_role(grid: Grid, background: int) -> int | None:
    """The least common present colour other than `background` (ties: smaller), or None."""
    counts = _fg_counts(grid, background)
    if not counts.any():
        return None
    return int(np.argmin(np.where(counts > 0, counts, grid.size + 1)))


COLOR_ROLES: Mapping[str, Callable[[Grid, int], int | None]] = MappingProxyType({
    "most_fg": most_common_fg_role, "least_fg": least_common_fg_role})


def color_roles(task: Challenge, background: int) -> tuple[str, ...]:
    """The roles (`COLOR_ROLES`) naming every train output's one non-background colour, when
    each train output has one and they are not all the same colour (else none)."""
    fgs = [_colors(ex.output) - {background} for ex in task.train]
    if not all(len(fg) == 1 for fg in fgs) or len(set(fgs)) < 2:
        return ()
    return tuple(name for name, role in COLOR_ROLES.items()
                 if all(fg == {role(ex.input, background)} for ex, fg in zip(task.train, fgs)))


def obeys_roles(roles: Sequence[str], source: Grid, result: Grid, background: int) -> bool:
    """`result`'s colours other than `background` are exactly one of the roles of `source`."""
    fg = _colors(result) - {background}
    return any(fg == {COLOR_ROLES[name](source, background)} for name in roles)


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
    return Invariants(tuple(shapes), new_colors, preserves, background, laws,
                      color_roles(task, background))


def check_outputs(inv: Invariants, task: Challenge, outputs: Sequence[Grid]
                  ) -> dict[str, bool | None]:
    """Per invariant: do these test outputs obey it (None: no such invariant inferred)."""
    pairs = list(zip(task.test_inputs, outputs))
    known_shapes = [(shape, out) for shape, (_, out) in zip(inv.shapes, pairs) if shape is not None]
    size = all(out.shape == shape for shape, out in known_shapes) if known_shapes else None
    palette = all(_colors(out) <= _colors(source) | inv.new_colors for source, out in pairs)
    preserved = all(keeps_foreground(source, out, inv.background) for source, out in pairs) \
        if inv.preserves_foreground else None
    role = all(obeys_roles(inv.color_roles, source, out, inv.background) for source, out in pairs) \
        if inv.color_roles else None
    return {"size": size, "palette": palette, "preserved": preserved, "color_role": role}


def consistent(checks: Mapping[str, bool | None]) -> bool:
    """No invariant is violated (unknown ones do not count against)."""
    return all(value is not False for value in checks.values())


def obeys(inv: Invariants, task: Challenge, outputs: Sequence[Grid]) -> bool:
    """Test outputs that violate none of the task's invariants."""
    return consistent(check_outputs(inv, task, outputs))

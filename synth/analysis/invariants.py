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
  (a colour map fitted per pair) where the task means a role. The roles `most` and `least`
  name the one colour of outputs that are a single colour, background included (counted over
  every colour of the input), so that a wrong guess of the background (a colour common in
  small noisy inputs) does not turn the right answer, all of that colour, into a violation.

`check_outputs` answers True/False per invariant, or None where no invariant was inferred
(e.g. the size law was ambiguous), so a filter or a meta-voter can tell "violated" from
"unknown". A candidate that violates one is not dropped: the ranking puts it after the
consistent ones (a verified program is still evidence). `size_miss` measures how far test
outputs are from the predicted shapes, so the ranking can order the candidates that all break
a size law (a constant size fitted to train outputs that all had one shape) by how close
they come to it.
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


def _least_present(counts: np.ndarray) -> int:
    """The colour with the fewest cells among those with any (ties: smaller)."""
    return int(np.argmin(np.where(counts > 0, counts, counts.sum() + 1)))


def least_common_fg_role(grid: Grid, background: int) -> int | None:
    """The least common present colour other than `background` (ties: smaller), or None."""
    counts = _fg_counts(grid, background)
    return _least_present(counts) if counts.any() else None


def most_common_role(grid: Grid, background: int) -> int:
    """The most common colour, background included (ties: smaller)."""
    return int(np.argmax(np.bincount(grid.ravel(), minlength=10)))


def least_common_role(grid: Grid, background: int) -> int:
    """The least common present colour, background included (ties: smaller)."""
    return _least_present(np.bincount(grid.ravel(), minlength=10))


COLOR_ROLES: Mapping[str, Callable[[Grid, int], int | None]] = MappingProxyType({
    "most_fg": most_common_fg_role, "least_fg": least_common_fg_role,
    "most": most_common_role, "least": least_common_role})
WHOLE_ROLES: frozenset[str] = frozenset({"most", "least"})  # the output's only colour, any


def role_colors(name: str, grid: Grid, background: int) -> frozenset[int]:
    """The colours of `grid` that role `name` names: every colour for `WHOLE_ROLES`, else
    those other than `background`."""
    return _colors(grid) if name in WHOLE_ROLES else _colors(grid) - {background}


def color_roles(task: Challenge, background: int) -> tuple[str, ...]:
    """The roles (`COLOR_ROLES`) naming every train output's one colour (`role_colors`), when
    each train output has one and they are not all the same colour."""
    found = []
    for name, role in COLOR_ROLES.items():
        named = [role_colors(name, ex.output, background) for ex in task.train]
        if all(len(c) == 1 for c in named) and len(set(named)) >= 2 and all(
                c == {role(ex.input, background)} for ex, c in zip(task.train, named)):
            found.append(name)
    return tuple(found)


def obeys_roles(roles: Sequence[str], source: Grid, result: Grid, background: int) -> bool:
    """`result`'s colours (`role_colors`) are exactly one of the roles of `source`."""
    return any(role_colors(name, result, background) == {COLOR_ROLES[name](source, background)}
               for name in roles)


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


def size_miss(inv: Invariants, outputs: Sequence[Grid]) -> int:
    """How far test outputs are from the predicted shapes: summed |height and width
    differences| over the test inputs with a prediction (0 when none is predicted)."""
    return sum(abs(out.shape[0] - shape[0]) + abs(out.shape[1] - shape[1])
               for shape, out in zip(inv.shapes, outputs) if shape is not None)


def consistent(checks: Mapping[str, bool | None]) -> bool:
    """No invariant is violated (unknown ones do not count against)."""
    return all(value is not False for value in checks.values())


def obeys(inv: Invariants, task: Challenge, outputs: Sequence[Grid]) -> bool:
    """Test outputs that violate none of the task's invariants."""
    return consistent(check_outputs(inv, task, outputs))

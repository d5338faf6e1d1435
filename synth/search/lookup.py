"""Lookup answers: the output is one of the train outputs, chosen by a feature of the input.

Some tasks are classifications: every output is one of a few fixed grids (a 1×1 colour naming
the input's shape class, a pattern that grows with a count) and the input decides which.
icecuber reaches them with *given* images (another train output as a piece); synth's DSL has
no grid literals, so the answer is a grid, not a program. A feature of the input (`FEATURES`:
colour counts, the set of colours, object counts, the shape of the foreground, symmetries)
*explains* the task when it takes one value per distinct train output (inputs with equal
outputs share a value, inputs with different outputs do not) and every test input's value was
seen on a train input; its answer is the train output of that value. It needs evidence beyond
the table itself: at least `MIN_REPEATS` train pairs whose output repeats an earlier pair's
(a binary feature lines up with two classes over three pairs by chance one time in four).
`lookup_answers` groups the features by the answer they give, most features first, so the
caller can offer the answers as grid candidates with the agreeing share as confidence.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from dsl.errors import EvalError
from dsl.kernels import label_components
from dsl.primitives.sizing import trim
from dsl.values import value_key
from synth.data.task import Grid

# train pairs whose output repeats an earlier pair's, needed before any feature is trusted
MIN_REPEATS = 2


def _fg_counts(grid: Grid, bg: int) -> dict[int, int]:
    """Cells per colour other than the background."""
    values, counts = np.unique(grid, return_counts=True)
    return {int(v): int(n) for v, n in zip(values, counts) if v != bg}


def _extreme_color(grid: Grid, bg: int, most: bool) -> int:
    """The most (or least) common foreground colour, the smaller on ties; -1 without one."""
    counts = _fg_counts(grid, bg)
    if not counts:
        return -1
    pick = max if most else min
    return pick(sorted(counts), key=lambda c: counts[c])


def _foreground(grid: Grid, bg: int) -> Grid:
    """The bounding box of the cells not of the background (`trim`; the grid when there are
    none)."""
    try:
        return trim.fn(grid, bg)
    except EvalError:
        return grid


def _symmetries(grid: Grid) -> tuple[bool, bool, bool, bool]:
    """Left-right, up-down, transpose and half-turn symmetry."""
    square = grid.shape[0] == grid.shape[1]
    return (bool((grid == grid[:, ::-1]).all()), bool((grid == grid[::-1]).all()),
            square and bool((grid == grid.T).all()), bool((grid == grid[::-1, ::-1]).all()))


def _fg_shape(grid: Grid, bg: int) -> tuple[tuple[int, int], bytes]:
    """The foreground's bounding box as a colourless mask (shape and packed cells)."""
    if not (grid != bg).any():
        return (0, 0), b""
    mask = _foreground(grid, bg) != bg
    return (int(mask.shape[0]), int(mask.shape[1])), np.packbits(mask).tobytes()


Feature = Callable[[Grid, int], Hashable]

# (name, feature of an input grid given the task's background colour), simplest first
FEATURES: tuple[tuple[str, Feature], ...] = (
    ("colors", lambda g, bg: len(np.unique(g))),
    ("fg_colors", lambda g, bg: len(_fg_counts(g, bg))),
    ("color_set", lambda g, bg: frozenset(_fg_counts(g, bg))),
    ("top_color", lambda g, bg: _extreme_color(g, bg, most=True)),
    ("rare_color", lambda g, bg: _extreme_color(g, bg, most=False)),
    ("fg_cells", lambda g, bg: sum(_fg_counts(g, bg).values())),
    ("objects4", lambda g, bg: len(label_components(g, 4, False, bg))),
    ("objects8", lambda g, bg: len(label_components(g, 8, True, bg))),
    ("shape", lambda g, bg: (int(g.shape[0]), int(g.shape[1]))),
    ("symmetry", lambda g, bg: _symmetries(g)),
    ("lr_symmetric", lambda g, bg: _symmetries(g)[0]),
    ("ud_symmetric", lambda g, bg: _symmetries(g)[1]),
    ("fg_symmetry", lambda g, bg: _symmetries(_foreground(g, bg))),
    ("fg_shape", _fg_shape),
    ("count_profile", lambda g, bg: tuple(sorted(_fg_counts(g, bg).values()))),
)


@dataclass(frozen=True)
class LookupAnswer:
    """Test outputs (train outputs looked up by a feature) and the features that give them."""

    test_outputs: tuple[Grid, ...]
    features: tuple[str, ...]


def feature_table(values: Sequence[Hashable], outputs: Sequence[Grid]) -> dict | None:
    """Feature value → train output, when the value takes one value per distinct output (equal
    outputs share it, different ones do not); else None."""
    table: dict[Hashable, Grid] = {}
    for value, output in zip(values, outputs):
        if value in table and value_key(table[value]) != value_key(output):
            return None
        table[value] = output
    distinct = {value_key(o) for o in outputs}
    return table if len(table) == len(distinct) else None


def lookup_answers(train: Sequence[tuple[Grid, Grid]], test_inputs: Sequence[Grid], bg: int
                   ) -> list[LookupAnswer]:
    """The answers of every feature that explains the task (see the module docstring), grouped
    by answer, most features first (then the simplest feature's order); empty unless at least
    `MIN_REPEATS` train outputs repeat an earlier one."""
    outputs = [output for _, output in train]
    if len(outputs) - len({value_key(o) for o in outputs}) < MIN_REPEATS:
        return []
    groups: dict[tuple, tuple[tuple[Grid, ...], list[str]]] = {}
    for name, feature in FEATURES:
        table = feature_table([feature(grid, bg) for grid, _ in train], outputs)
        if table is None:
            continue
        values = [feature(grid, bg) for grid in test_inputs]
        if any(value not in table for value in values):
            continue
        answer = tuple(table[value] for value in values)
        key = tuple(value_key(g) for g in answer)
        groups.setdefault(key, (answer, []))[1].append(name)
    ordered = sorted(groups.values(), key=lambda group: -len(group[1]))
    return [LookupAnswer(answer, tuple(names)) for answer, names in ordered]

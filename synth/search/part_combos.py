"""Part combinations: outputs that combine the equal-shaped parts of a split input.

Many tasks cut the input into two to four parts of the output's shape (along separator lines,
into equal strips, or into quadrants) and combine them cell by cell: overlaid in some order
(later parts on top), or one colour where a boolean function of two parts holds (and, or, xor,
nor). As DSL programs these are four to nine calls deep, beyond what the enumerator reaches on
a modest budget, but the space is tiny: `part_programs` cuts every input in each way of
`splits_for` (2 to `MAX_PARTS` parts), tries every overlay order and every cellwise operation
of two parts (painted in the one non-background colour of the train outputs) on the parts'
cells, and writes each combination that reproduces every train output as straight-line DSL
text (built from `split_by_lines`/`hsplit`/`vsplit`/`top_half`/..., `nth`, `overlay` and
`cellwise_*`), which the caller parses, runs and verifies like any other program. Work: one
evaluation per combination tried per train pair.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from dsl.errors import DSLError
from dsl.primitives.sizing import (bottom_half, hsplit, left_half, right_half, split_by_lines,
                                   top_half, vsplit)
from synth.data.task import Challenge, Grid

MAX_PARTS = 4
CELLWISE: tuple[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]], ...] = (
    ("cellwise_and", np.logical_and), ("cellwise_or", np.logical_or),
    ("cellwise_xor", np.logical_xor), ("cellwise_nor", lambda a, b: ~(a | b)))


@dataclass(frozen=True)
class Split:
    """A way to cut a grid into parts: the parts of a grid, and the DSL lines that name them
    (`lines` assign x1, x2, ...; `names[k]` is the variable holding part k)."""

    key: str
    parts: Callable[[Grid], Sequence[Grid]]
    lines: tuple[str, ...]
    names: tuple[str, ...]


def _list_split(key: str, call: str, parts: Callable[[Grid], Sequence[Grid]], n: int) -> Split:
    """A split by a list-valued primitive call whose k-th part is `nth(x1, k)`."""
    lines = (f"x1 = {call}",) + tuple(f"x{k + 2} = nth(x1, {k})" for k in range(n))
    return Split(key, parts, lines, tuple(f"x{k + 2}" for k in range(n)))


def _quadrants(grid: Grid) -> tuple[Grid, ...]:
    """The four quadrants of a grid with even sides, in reading order."""
    top, bottom = top_half.fn(grid), bottom_half.fn(grid)
    return (left_half.fn(top), right_half.fn(top), left_half.fn(bottom), right_half.fn(bottom))


QUADRANTS = Split("quadrants", _quadrants,
                  ("x1 = top_half(I)", "x2 = bottom_half(I)", "x3 = left_half(x1)",
                   "x4 = right_half(x1)", "x5 = left_half(x2)", "x6 = right_half(x2)"),
                  ("x3", "x4", "x5", "x6"))


def splits_for(n_parts: int) -> tuple[Split, ...]:
    """Every split into `n_parts` parts (separator lines, equal strips, quadrants)."""
    out = [_list_split(f"lines{n_parts}", "split_by_lines(I)", split_by_lines.fn, n_parts)]
    for name, fn in (("hsplit", hsplit.fn), ("vsplit", vsplit.fn)):
        out.append(_list_split(f"{name}{n_parts}", f"{name}(I, {n_parts})",
                               lambda g, fn=fn: fn(g, n_parts), n_parts))
    if n_parts == 4:
        out.append(QUADRANTS)
    return tuple(out)


def split_parts(split: Split, task: Challenge, n_parts: int) -> list[list[np.ndarray]] | None:
    """The parts of every input (train then test) under `split`: `n_parts` parts of one shape,
    the train output's shape on train pairs; None where that fails anywhere."""
    out = []
    for index, grid in enumerate(task.inputs):
        try:
            parts = [np.asarray(p) for p in split.parts(grid)]
        except DSLError:
            return None
        if len(parts) != n_parts or len({p.shape for p in parts}) != 1:
            return None
        if index < len(task.train) and parts[0].shape != task.train[index].output.shape:
            return None
        out.append(parts)
    return out


def output_color(task: Challenge, bg: int) -> int | None:
    """The one colour other than `bg` that every train output paints (None if not one)."""
    colors = set().union(*(set(np.unique(ex.output).tolist()) for ex in task.train)) - {bg}
    return colors.pop() if len(colors) == 1 else None


def overlaid(parts: Sequence[np.ndarray], order: Sequence[int], bg: int) -> np.ndarray:
    """The parts overlaid in `order` (later on top; `bg` cells are transparent)."""
    out = parts[order[0]].copy()
    for k in order[1:]:
        mask = parts[k] != bg
        out[mask] = parts[k][mask]
    return out


@dataclass(frozen=True)
class Combination:
    """One way to combine parts: a cellwise operation `op` of parts `order[0]`, `order[1]`
    painted in `color`, or (op "overlay") the parts overlaid in `order`."""

    op: str
    order: tuple[int, ...]
    color: int | None = None

    def apply(self, parts: Sequence[np.ndarray], bg: int) -> np.ndarray:
        """The combination's grid on the parts of one input."""
        if self.op == "overlay":
            return overlaid(parts, self.order, bg)
        a, b = (parts[k] != bg for k in self.order)
        return np.where(dict(CELLWISE)[self.op](a, b), self.color, bg).astype(np.uint8)

    def lines(self, names: Sequence[str], first: int, bg: int) -> list[str]:
        """DSL lines computing it from the part variables `names` (new ones from x{first})."""
        if self.op != "overlay":
            a, b = (names[k] for k in self.order)
            return [f"O = {self.op}({a}, {b}, {self.color}, {bg})"]
        out, below = [], names[self.order[0]]
        for i, k in enumerate(self.order[1:]):
            target = "O" if i == len(self.order) - 2 else f"x{first + i}"
            out.append(f"{target} = overlay({below}, {names[k]}, {bg})")
            below = target
        return out


def combinations(n_parts: int, color: int | None) -> Iterator[Combination]:
    """Every cellwise operation of two parts (when the outputs have one colour), then every
    overlay order of all the parts."""
    if color is not None:
        for pair, (name, _) in itertools.product(itertools.combinations(range(n_parts), 2),
                                                 CELLWISE):
            yield Combination(name, pair, color)
    for order in itertools.permutations(range(n_parts)):
        yield Combination("overlay", order)


def program_text(split: Split, combination: Combination, bg: int) -> str:
    """The straight-line program of one combination of the parts of `split`."""
    lines = [*split.lines, *combination.lines(split.names, len(split.lines) + 1, bg)]
    return "solve(I: Grid) -> Grid:\n" + "".join(f"    {line}\n" for line in lines)


def part_programs(task: Challenge, bg: int, spend: Callable[[int], bool]) -> Iterator[str]:
    """Programs combining the parts of a split input that reproduce every train output
    (checked on the parts' cells; the caller re-verifies). `spend(n)` charges n evaluations
    and says whether the budget still allows more."""
    color = output_color(task, bg)
    for n_parts in range(2, MAX_PARTS + 1):
        for split in splits_for(n_parts):
            parts = split_parts(split, task, n_parts)
            if parts is None:
                continue
            for combination in combinations(n_parts, color):
                if not spend(len(task.train)):
                    return
                if all(np.array_equal(combination.apply(parts[i], bg), ex.output)
                       for i, ex in enumerate(task.train)):
                    yield program_text(split, combination, bg)

"""Part rules: tasks on grids of cells between separator lines, solved in part space.

Many tasks cut their input by full lines of a separator colour into a layout of parts and
answer one colour per part: either as the output itself (one cell per part) or painted back
onto the input's parts (`paint_parts`). In part space the rule is short: each part's colour
follows from one feature of that part (`dsl.primitives.sizing.part_features`: whether its
count of coloured cells is the largest or smallest, the count, how many colours, its dominant
colour), read through a table learned on the train pairs (`part_rule`), possibly of a
rotated or reflected input; or the parts' own colours are joined along rows or columns
(`connect_same` on the grid of part colours). When the parts share one shape, the cells at one
place in every part may also be rewritten together (`across_parts`: joined along rows or
columns of parts, or every part completed to the union of the parts, in their colour or the
separator's).

`part_rule_programs` writes every such program that reproduces every train output as
straight-line DSL text, for the caller (the sketch proposer) to parse, run and verify. A
learned table is accepted only when every test part's code was seen in train, every key is
seen at least twice over the train parts, and (with two or more train pairs) every train pair
is predicted by the table of the others (leave-one-out). Work: one evaluation per
(featurisation, transform), `connect_same` axis or `across_parts` op tried per train pair.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence

import numpy as np

from dsl.errors import DSLError
from dsl.primitives.drawing import connect_same
from dsl.primitives.geometry import (antitranspose, flip_h, flip_v, rot90, rot180, rot270,
                                     transpose)
from dsl.primitives.sizing import (ACROSS_PARTS_OPS, PART_OWN, PART_RULE_KINDS, across_parts,
                                   paint_parts, part_features, separator_layout)
from synth.data.task import Challenge, Grid

MIN_SEEN = 2   # train parts per key, at least
TRANSFORMS: tuple[tuple[str | None, Callable[[Grid], Grid] | None], ...] = (
    (None, None), ("flip_h", flip_h.fn), ("flip_v", flip_v.fn), ("rot90", rot90.fn),
    ("rot180", rot180.fn), ("rot270", rot270.fn), ("transpose", transpose.fn),
    ("antitranspose", antitranspose.fn))
CONNECT_AXES = (2, 0, 1)   # connect_same axes tried on the grid of part colours

Table = dict[int, int]


def part_targets(task: Challenge) -> tuple[list[np.ndarray], bool] | None:
    """(one colour per part of each train input, whether the outputs are painted back onto
    the inputs' parts), or None unless every output is one or the other."""
    painted = task.train[0].output.shape == task.train[0].input.shape
    out = []
    for ex in task.train:
        layout = separator_layout(ex.input)
        if layout is None:
            return None
        _, rows, cols = layout
        if not painted:
            if ex.output.shape != (len(rows), len(cols)):
                return None
            out.append(np.asarray(ex.output))
            continue
        if ex.output.shape != ex.input.shape or not rows or not cols:
            return None
        small = np.array([[ex.output[r0, c0] for c0, _ in cols] for r0, _ in rows], np.uint8)
        if not np.array_equal(np.asarray(paint_parts.fn(ex.input, small)), ex.output):
            return None
        out.append(small)
    return out, painted


def _codes(grids: Sequence[Grid], kind: int, bg: int
           ) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """`part_features` of every grid, or None where one has no parts."""
    try:
        return [part_features(g, kind, bg) for g in grids]
    except DSLError:
        return None


def learn_table(features: Sequence[tuple[np.ndarray, np.ndarray]], targets: Sequence[np.ndarray],
                bg: int) -> Table | None:
    """code -> value consistent over every train part, or None: `bg` where every part of that
    code is background, else PART_OWN where every such part keeps its dominant colour, else
    the one colour they all take."""
    allowed: dict[int, set[int]] = {}
    for (codes, dominant), target in zip(features, targets):
        if codes.shape != target.shape:
            return None
        for code, own, colour in zip(codes.ravel(), dominant.ravel(), target.ravel()):
            fits = {int(colour), PART_OWN} if own == colour else {int(colour)}
            allowed[int(code)] = allowed.get(int(code), fits) & fits
            if not allowed[int(code)]:
                return None
    return {code: bg if bg in fits else PART_OWN if PART_OWN in fits else min(fits)
            for code, fits in allowed.items()}


def _predicted(table: Table, codes: np.ndarray, dominant: np.ndarray) -> np.ndarray | None:
    if any(int(c) not in table for c in np.unique(codes)):
        return None
    values = np.vectorize(lambda c: table[int(c)], otypes=[np.int64])(codes)
    return np.where(values == PART_OWN, dominant, values)


def accepted(table: Table, features: Sequence[tuple[np.ndarray, np.ndarray]],
             targets: Sequence[np.ndarray], tests: Sequence[tuple[np.ndarray, np.ndarray]],
             bg: int) -> bool:
    """The acceptance rule of the module docstring."""
    seen = np.concatenate([codes.ravel() for codes, _ in features])
    if any(np.count_nonzero(seen == key) < MIN_SEEN for key in table):
        return False
    if any(_predicted(table, *test) is None for test in tests):
        return False
    for i in range(len(features) if len(features) > 1 else 0):
        rest = learn_table(features[:i] + features[i + 1:], targets[:i] + targets[i + 1:], bg)
        held = None if rest is None else _predicted(rest, *features[i])
        if held is None or not np.array_equal(held, targets[i]):
            return False
    return True


def _ints(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def rule_program(transform: str | None, kind: int, table: Table, bg: int, painted: bool,
                 connect: int | None = None) -> str:
    """The program: part_rule of the (transformed) input, joined along `connect` if given,
    painted back onto the input's parts if `painted`."""
    keys = sorted(table)
    calls = [f"{transform}({{}})"] if transform else []
    calls.append(f"part_rule({{}}, {kind}, {_ints(keys)}, {_ints([table[k] for k in keys])}, {bg})")
    if connect is not None:
        calls.append(f"connect_same({{}}, {connect}, {bg})")
    if painted:
        calls.append("paint_parts(I, {})")
    lines, below = [], "I"
    for i, call in enumerate(calls):
        target = "O" if i == len(calls) - 1 else f"x{i + 1}"
        lines.append(f"{target} = {call.format(below)}")
        below = target
    return "solve(I: Grid) -> Grid:\n" + "".join(f"    {line}\n" for line in lines)


def part_rule_programs(task: Challenge, bg: int, spend: Callable[[int], bool]) -> Iterator[str]:
    """Programs answering one colour per part that reproduce every train output (checked in
    part space; the caller re-verifies). `spend(n)` charges n evaluations and says whether the
    budget still allows more."""
    spent = yield from across_programs(task, bg, spend)
    found = part_targets(task)
    if spent or found is None:
        return
    targets, painted = found
    n = len(task.train)
    for transform, fn in TRANSFORMS:
        try:
            grids = [fn(g) if fn else g for g in task.inputs]
        except DSLError:
            continue
        for kind in PART_RULE_KINDS:
            features = _codes(grids, kind, bg)
            if features is None:
                break
            if not spend(n):
                return
            table = learn_table(features[:n], targets, bg)
            if table is not None and accepted(table, features[:n], targets, features[n:], bg):
                yield rule_program(transform, kind, table, bg, painted)
    yield from connected_programs(task, targets, painted, bg, spend)


def connected_programs(task: Challenge, targets: Sequence[np.ndarray], painted: bool, bg: int,
                       spend: Callable[[int], bool]) -> Iterator[str]:
    """Programs joining the parts' dominant colours along rows and/or columns."""
    features = _codes(task.inputs[:len(task.train)], 3, bg)
    if features is None:
        return
    own = {c: PART_OWN for c in range(10)}
    for axis in CONNECT_AXES:
        if not spend(len(task.train)):
            return
        joined = [np.asarray(connect_same.fn(dominant.astype(np.uint8), axis, bg))
                  for _, dominant in features]
        if all(j.shape == t.shape and np.array_equal(j, t) for j, t in zip(joined, targets)):
            yield rule_program(None, 3, own, bg, painted, connect=axis)


def _equal_parts(grid: Grid) -> bool:
    """Whether separator lines cut the grid into two or more parts of one shape."""
    layout = separator_layout(grid)
    if layout is None or len(layout[1]) * len(layout[2]) < 2:
        return False
    _, rows, cols = layout
    return len({r1 - r0 for r0, r1 in rows}) == 1 and len({c1 - c0 for c0, c1 in cols}) == 1


def across_programs(task: Challenge, bg: int, spend: Callable[[int], bool]
                    ) -> Generator[str, None, bool]:
    """`across_parts` programs (cells at one place in every part rewritten together) that
    reproduce every train output; returns True when the budget ran out."""
    if any(ex.output.shape != ex.input.shape for ex in task.train) or \
            not all(_equal_parts(g) for g in task.inputs):
        return False
    for op in ACROSS_PARTS_OPS:
        if not spend(len(task.train)):
            return True
        try:
            fits = all(np.array_equal(across_parts.fn(ex.input, op, bg), ex.output)
                       for ex in task.train)
        except DSLError:
            return False
        if fits:
            yield f"solve(I: Grid) -> Grid:\n    O = across_parts(I, {op}, {bg})\n"
    return False

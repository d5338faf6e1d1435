"""Learned move rules: a finishing step that moves whole objects by an action chosen per feature.

`learn_move_rule` takes a candidate value per example (train then test) and looks for a
`dsl.primitives.objects.move_objects` table "feature value -> move action" (`MOVE_ACTIONS`:
stay, towards the nearest object of another colour, or of colour c, until contact or by one
step, one step in a direction, a jump by the object's own height or width, next to the largest
larger object of its own colour or vanish, onto the largest object of another colour) that
maps every train value onto its output; `move_rule_node` appends that `move_objects` step to
a search node. Under each mode of `MOVE_MODES` in turn: first a table with one action for
every object (key `OTHER_KEY`), then, per feature of `OBJECT_FEATURES` (colour first), a table
of the feature values whose objects move. The acceptance rule, which keeps the step from
memorising:

- every train value has its output's shape, differs from it, and holds every non-background
  colour as often as the output does (a move keeps the cells), or at least as often when the
  table uses `JOIN` or `ONTO` (an object vanishes, or is drawn over); at most `MAX_MOVERS`
  objects of a pair have a changed cell;
- each train object's action is one whose result, the object moved alone, draws all of it,
  within the grid, on cells of its colours in the output (an object no changed cell touches
  only stays; one whose changed cells all show other non-background colours may stay, drawn
  over; under `JOIN` one that vanishes has every cell changed); a feature value takes the
  first action in `ACTION_ORDER` that fits every object showing it, and some value moves;
- every moving feature value is seen on at least `MIN_OBJECTS` moving train objects;
- test objects whose feature value train never showed have a colour no train object of which
  moved;
- the table reproduces every train output, and every feature value a train pair moves, the
  other pairs move too (leave-one-out: no key is learned from one pair alone).

Chosen on arc1:train (`benchmarks/move_census.py` lists the tasks explained by moves;
`benchmarks/move_rules_reach.py` counts the rules right on the test outputs): learned on the
inputs of all 400 training tasks, right on the test outputs of 9 (05f2a901, 1a07d186,
25ff71a9, 5521c0d9, a48eeaf7, ae3edfdc, d687bc17, d89b689b, dc433765), wrong on none; joining
the own colour reached 1a07d186 and d687bc17 (the census's two move tasks where objects
vanish), landing on the largest object d89b689b. Dropped, reaching no task: slides in
a fixed direction until contact, and towards the nearest other colour seen along a row or
column (ae3edfdc wrong with it: its satellites see each other).
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.primitives.objects import (MOVE_ACTIONS, MOVE_MODES, OBJECT_FEATURES, OTHER_KEY,
                                    apply_moves, move_objects, move_rule_kind,
                                    object_feature_values, segment_objects)
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import edit_pairs
from synth.search.options import Node

MIN_OBJECTS = 2  # moving train objects per moving key, at least
MAX_MOVERS = 16  # objects with a changed cell per train pair, at most (a move changes few)
FEATURE_ORDER = ("color", *(f for f in OBJECT_FEATURES if f != "color"))
# Actions a feature value takes when several fit, by name, first first: targets named by
# colour, then targets found by distance, then fixed offsets.
PREFERENCE = ("stay", "toward_color_", "toward_nearest", "step_toward_nearest", "step_", "jump_",
              "onto_largest", "join_own_color")
JOIN = MOVE_ACTIONS.index("join_own_color")  # erases an object with no larger one of its colour
ONTO = MOVE_ACTIONS.index("onto_largest")  # draws an object over another
ACTION_ORDER = tuple(sorted(range(len(MOVE_ACTIONS)), key=lambda a: next(
    i for i, prefix in enumerate(PREFERENCE) if MOVE_ACTIONS[a].startswith(prefix))))


class MoveRule(NamedTuple):
    """A learned rule: `move_objects` kind, feature values (ascending), their actions, and the
    background the segmentation leaves out."""

    kind: int
    keys: tuple[int, ...]
    values: tuple[int, ...]
    bg: int


class PairObjects(NamedTuple):
    """One train pair under one mode: the value, its output, component per cell, each
    component's colour, and the actions that fit each component (a bit per action)."""

    grid: np.ndarray
    output: np.ndarray
    comp: np.ndarray
    colours: np.ndarray
    fits: np.ndarray


def _colour_change(value: np.ndarray, output: np.ndarray, bg: int) -> int:
    """0 when every non-`bg` colour has as many cells in the value as in the output, 1 when
    none has more in the output (cells were erased), 2 otherwise."""
    a = np.bincount(value.ravel(), minlength=10)
    b = np.bincount(output.ravel(), minlength=10)
    a[bg] = b[bg] = 0
    return 0 if np.array_equal(a, b) else 1 if (b <= a).all() else 2


def _fitting_actions(grid: np.ndarray, output: np.ndarray, comp: np.ndarray, index: int,
                     bg: int) -> int:
    """A bit per action of `MOVE_ACTIONS` whose result, component `index` moved alone, shows
    the output's colours on the cells it is drawn on; "stay" also when every changed cell of
    the component shows another non-background colour (drawn over), `JOIN` also when the
    component vanishes with every cell changed."""
    cells = comp == index
    changed = cells & (grid != output)
    if not changed.any():
        return 1
    fits = int((output[changed] != bg).all())  # staying, drawn over
    actions = np.zeros(int(comp.max()) + 1, np.int64)
    for action in range(1, len(MOVE_ACTIONS)):
        actions[index] = action
        moved = apply_moves(grid, comp, actions, bg)
        drawn = (moved != bg) & ((moved != grid) | cells)
        if action == JOIN and not drawn.any():
            fits |= int((grid[cells] != output[cells]).all()) << action
            continue
        whole = (moved != grid).any() and drawn.sum() >= cells.sum()
        if whole and (moved[drawn] == output[drawn]).all():
            fits |= 1 << action
    return fits


def pair_objects(grid: np.ndarray, output: np.ndarray, mode: int, bg: int
                 ) -> PairObjects | None:
    """The components of one train pair under a mode with the actions that fit each, or None
    when more than `MAX_MOVERS` of them have a changed cell."""
    comp, n = segment_objects(grid, mode, bg)
    changed = np.unique(comp[(grid != output) & (comp >= 0)])
    if len(changed) > MAX_MOVERS:
        return None
    colours = np.zeros(n, np.int64)
    colours[comp[comp >= 0]] = grid[comp >= 0]
    fits = np.array([_fitting_actions(grid, output, comp, i, bg) for i in range(n)], np.int64)
    return PairObjects(grid, output, comp, colours, fits)


def _first_action(fits: int) -> int | None:
    """The first action in `ACTION_ORDER` of a set of fitting actions (bits), or None."""
    return next((a for a in ACTION_ORDER if fits >> a & 1), None)


def _table(keys: list[np.ndarray], pairs: list[PairObjects]) -> dict[int, int] | None:
    """Feature value -> the first action fitting every train object with that value (only
    values that move), or None when some value has no common action or nothing moves."""
    shared: dict[int, int] = {}
    for values, pair in zip(keys, pairs):
        for key, fits in zip(values.tolist(), pair.fits.tolist()):
            shared[key] = shared.get(key, -1) & fits
    table = {}
    for key, fits in shared.items():
        action = _first_action(fits)
        if action is None:
            return None
        if action:
            table[key] = action
    return table or None


def _supported(keys: list[np.ndarray], pairs: list[PairObjects], table: dict[int, int]) -> bool:
    """True when every moving key is seen on at least `MIN_OBJECTS` moving train objects."""
    counts = Counter(key for values, pair in zip(keys, pairs)
                     for key, fits in zip(values.tolist(), pair.fits.tolist()) if fits != 1)
    return all(counts[key] >= MIN_OBJECTS for key in table)


def _moved(pair: PairObjects, keys: np.ndarray, table: dict[int, int], bg: int) -> np.ndarray:
    """The pair's value with each component moved by its key's action."""
    default = table.get(OTHER_KEY, 0)
    actions = np.array([table.get(k, default) for k in keys.tolist()], np.int64)
    return apply_moves(pair.grid, pair.comp, actions, bg)


def _reproduces(keys: list[np.ndarray], pairs: list[PairObjects], table: dict[int, int],
                bg: int) -> bool:
    """True when the table moves every pair's value onto its output."""
    return all(np.array_equal(_moved(p, k, table, bg), p.output) for k, p in zip(keys, pairs))


def _held_out(keys: list[np.ndarray], pairs: list[PairObjects]) -> bool:
    """Leave-one-out: every feature value a train pair moves, the other pairs move too."""
    moving = [{k for k, f in zip(v.tolist(), p.fits.tolist()) if not f & 1}
              for v, p in zip(keys, pairs)]
    return all(moving[i] <= set().union(*moving[:i], *moving[i + 1:])
               for i in range(len(pairs)))


def _tests_covered(keys: list[np.ndarray], pairs: list[PairObjects],
                   tests: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Test objects with a feature value train never showed have a colour no train object of
    which moved."""
    seen = {k for values in keys for k in values.tolist()}
    moving = {c for p in pairs for c, f in zip(p.colours.tolist(), p.fits.tolist()) if f != 1}
    return all(colour not in moving for values, colours in tests
               for key, colour in zip(values.tolist(), colours.tolist()) if key not in seen)


def _rule_of_mode(mode: int, pairs: list[PairObjects], tests: list[np.ndarray], bg: int
                  ) -> MoveRule | None:
    """The first table under one mode: one action for every object, then per feature."""
    ones = [np.full(len(p.colours), OTHER_KEY, np.int64) for p in pairs]
    table = _table(ones, pairs)
    if table is not None and _supported(ones, pairs, table) and \
            _reproduces(ones, pairs, table, bg):
        return MoveRule(move_rule_kind(FEATURE_ORDER[0], mode), (OTHER_KEY,),
                        (table[OTHER_KEY],), bg)
    segmented = [segment_objects(t, mode, bg) for t in tests]
    for feature in FEATURE_ORDER:
        keys = [object_feature_values(p.grid, p.comp, len(p.colours), feature) for p in pairs]
        table = _table(keys, pairs)
        if table is None or not _supported(keys, pairs, table):
            continue
        test_keys = []
        for grid, (comp, n) in zip(tests, segmented):
            colours = np.zeros(n, np.int64)
            colours[comp[comp >= 0]] = grid[comp >= 0]
            test_keys.append((object_feature_values(grid, comp, n, feature), colours))
        if _tests_covered(keys, pairs, test_keys) and _reproduces(keys, pairs, table, bg) \
                and _held_out(keys, pairs):
            ordered = sorted(table)
            return MoveRule(move_rule_kind(feature, mode), tuple(ordered),
                            tuple(table[k] for k in ordered), bg)
    return None


def learn_move_rule(values: tuple, task: Challenge, bg: int, cross_validate: bool = True
                    ) -> MoveRule | None:
    """The first move rule mapping every train value onto its train output, or None.

    `values` holds one grid per example, train first then test (a search node's values); `bg`
    is the colour objects are segmented from (the task's background). Leave-one-out always
    holds; `cross_validate` is accepted for the finishing-step protocol."""
    edits = edit_pairs(values, task)
    if edits is None:
        return None
    train, outputs, tests = edits
    change = max((_colour_change(v, o, bg) for v, o in zip(train, outputs)), default=2)
    if len(train) < 2 or change == 2:
        return None
    for mode in range(len(MOVE_MODES)):
        found = [pair_objects(v, o, mode, bg) for v, o in zip(train, outputs)]
        pairs = [p for p in found if p is not None]
        if len(pairs) < len(found):
            continue
        rule = _rule_of_mode(mode, pairs, tests, bg)
        if rule is not None and (change == 0 or {JOIN, ONTO} & set(rule.values)):
            return rule
    return None


def move_rule_node(node: Node, rule: MoveRule) -> Node:
    """`move_objects(node, kind, [keys], [actions], bg)` as a new node (cost + 1)."""
    values = tuple(move_objects(v, rule.kind, rule.keys, rule.values, rule.bg)
                   for v in node.values)
    expr = ast.Call("move_objects", (
        node.expr, ast.Literal(rule.kind, "int"),
        ast.ListLit(tuple(ast.Literal(k, "int") for k in rule.keys)),
        ast.ListLit(tuple(ast.Literal(a, "int") for a in rule.values)),
        ast.Literal(rule.bg, "color")))
    return Node(GRID, values, node.cost + 1, expr)

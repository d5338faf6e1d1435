"""Learned object rules: a finishing step that recolours whole objects by one of their features.

`learn_object_rule` takes a candidate value per example (train then test) and looks for the
simplest featurisation of `dsl.primitives.objects.recolor_objects` (a feature of
`OBJECT_FEATURES`, simplest first, under each segmentation mode of `OBJECT_MODES`) whose table
"feature value -> new colour" maps every train value onto its output; `object_rule_node`
appends that `recolor_objects` step to a search node. The acceptance rule, which keeps the
step from memorising the train pairs:

- every train value has its output's shape, and the outputs differ from the values somewhere;
- under the mode, every changed cell lies in a component of the value that the output
  recolours as a whole, to one colour (cells outside all components never change);
- one feature value never sends two components to two different final colours (a component
  left alone counts as "sent to its own colour");
- the table holds between 1 and `MAX_KEYS` keys and every key is seen on at least
  `MIN_OBJECTS` recoloured train components;
- every test component whose feature value train never showed has a colour no train
  component of which changed (it is left alone, as every train component of that colour was);
- a test component the table recolours has a colour that train showed with that key, unless
  train recoloured components of at least two colours under the key (the rule is then
  evidently colour-blind);
- with `cross_validate` (the enumerative proposer asks for it on every value but the input
  itself), or when the table has `CROSS_VALIDATE_KEYS` keys or more, every train pair is
  predicted exactly by the table of the other pairs (leave-one-out).

When no such table exists under any feature and mode, `default_rule_of_kind` tries tables
with a default (key `OTHER_KEY`): the final colour of most feature values becomes the colour
of every value not listed, listed values need `MIN_OBJECTS` train components, test components
only in colours train components had, and leave-one-out always holds.

Last, `_sourced_rule` tries tables whose values may be colour sources read off the grid per
object (`COLOR_SOURCES` of `recolor_objects`: the nearest cell of another colour, the
colour around it): a key whose train components end in more than one colour takes the first
source that gives every one of them (changed or not) its final colour. Such a table follows
the rules above (leave-one-out included), holds at least one source, and leaves alone no test
component of a colour every train component of which changed.

Chosen on arc1:train (the 53 tasks whose train changes are whole input components recoloured,
all looked at while tuning): rules learned on the inputs themselves were right on the test
outputs for 20 tasks and wrong for none, with or without cross-validation; `MIN_OBJECTS` 1
found the same 20, 3 lost 3 of them. The enclosed-region modes, the features after `color`
and the default tables raised that to 26 right and none wrong (on the inputs of all 400
training tasks too). Round 3 (the same 53 looked at, so optimistic): the colour sources 26 ->
31 right, the features border_sides and crosses_centre_row/col 31 -> 33, none wrong on the
inputs of all 400, with or without cross-validation. The object-part modes (the
interiors of objects, the background inside objects' bounding boxes: hollowing or filling
shapes, closing their gaps) 33 -> 40 right on the inputs of all 400 training tasks, none
wrong, with or without cross-validation (`benchmarks/object_rules_reach.py`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.primitives.objects import (OBJECT_FEATURES, OBJECT_MODES, OTHER_KEY, SOURCE_VALUES,
                                    object_color_sources, object_feature_values,
                                    object_rule_kind, recolor_objects, segment_objects)
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import edit_pairs
from synth.search.options import Node

MIN_OBJECTS = 2          # recoloured train components per key, at least
MAX_KEYS = 10            # keys in one table, at most
CROSS_VALIDATE_KEYS = 3  # tables with this many keys are always cross-validated
_KEEP = SOURCE_VALUES[0] - 1  # a table value below every `recolor_objects` value: no change


class ObjectRule(NamedTuple):
    """A learned rule: `recolor_objects` kind, feature values that change (ascending), their
    new colours, and the background the segmentation leaves out."""

    kind: int
    keys: tuple[int, ...]
    values: tuple[int, ...]
    bg: int


class Segmented(NamedTuple):
    """One grid under one mode: component per cell, component count, component colours."""

    grid: np.ndarray
    comp: np.ndarray
    n: int
    colours: np.ndarray


class Evidence(NamedTuple):
    """Every train component of one (feature, mode): feature value, colour, final colour, and
    its colour under each colour source (`object_color_sources`; no columns when the tables
    may only hold constant colours)."""

    features: np.ndarray
    colours: np.ndarray
    targets: np.ndarray
    sources: np.ndarray


def segmented(grid: np.ndarray, mode: int, bg: int) -> Segmented:
    """A grid's components under a mode, with each component's colour."""
    comp, n = segment_objects(grid, mode, bg)
    colours = np.zeros(n, np.int64)
    inside = comp >= 0
    colours[comp[inside]] = grid[inside]
    return Segmented(grid, comp, n, colours)


def final_colours(seg: Segmented, output: np.ndarray) -> np.ndarray | None:
    """Each component's colour in the output, or None when a cell outside every component
    changes or a component's output cells are not all one colour."""
    inside = seg.comp >= 0
    if not np.array_equal(seg.grid[~inside], output[~inside]):
        return None
    idx, out = seg.comp[inside], output[inside].astype(np.int64)
    low, high = np.full(seg.n, 10, np.int64), np.full(seg.n, -1, np.int64)
    np.minimum.at(low, idx, out)
    np.maximum.at(high, idx, out)
    return low if np.array_equal(low, high) else None


def _key_value(targets: np.ndarray, sources: np.ndarray) -> int | None:
    """The `recolor_objects` value sending components with these final colours and source
    colours where they end: their one final colour, else the first colour source that gives
    every one of them its final colour, else None."""
    ends = np.unique(targets)
    if len(ends) == 1:
        return int(ends[0])
    for index in range(sources.shape[1]):
        if np.array_equal(sources[:, index], targets):
            return -1 - index
    return None


def _applied(value: int, colour: int, sources: np.ndarray) -> int:
    """The final colour a table value gives one component (colour, source colours)."""
    return value if value >= 0 else int(sources[-1 - value]) if value != _KEEP else colour


def _table(evidence: Evidence) -> dict[int, int] | None:
    """Feature value -> `recolor_objects` value (`_key_value`) for every feature value some
    component changed under, or None when the components sharing such a value have no one
    value."""
    changed = evidence.targets != evidence.colours
    table: dict[int, int] = {}
    for key in np.unique(evidence.features[changed]).tolist():
        under_key = evidence.features == key
        value = _key_value(evidence.targets[under_key], evidence.sources[under_key])
        if value is None:
            return None
        table[key] = value
    return table


def _stable_colours(evidence: Evidence) -> set[int]:
    """Colours of train components, none of which changed."""
    changed = evidence.targets != evidence.colours
    return set(evidence.colours.tolist()) - set(evidence.colours[changed].tolist())


def _predicts(evidence: Evidence, features: np.ndarray, colours: np.ndarray,
              targets: np.ndarray, sources: np.ndarray) -> bool:
    """True when the table of `evidence` maps held-out components onto their final colours
    (a component whose feature value it never showed must keep a colour that never changed)."""
    table = _table(evidence)
    if table is None:
        return False
    seen, stable = set(evidence.features.tolist()), _stable_colours(evidence)
    for feature, colour, target, source in zip(features.tolist(), colours.tolist(),
                                               targets.tolist(), sources):
        if feature not in seen and colour not in stable:
            return False
        if _applied(table.get(feature, _KEEP), colour, source) != target:
            return False
    return True


def _merged(items: list[Evidence]) -> Evidence:
    """The components of several train pairs as one body of evidence (at least one pair)."""
    return Evidence(*(np.concatenate(parts) for parts in zip(*items)))


Predictor = Callable[[Evidence, np.ndarray, np.ndarray, np.ndarray, np.ndarray], bool]


def _held_out_pairs_predicted(pairs: list[Evidence], predicts: Predictor = _predicts) -> bool:
    """Leave-one-out: every train pair's components are predicted by the others' table
    (`predicts(evidence, features, colours, targets, sources)`)."""
    return len(pairs) < 2 or all(
        predicts(_merged(pairs[:i] + pairs[i + 1:]), *pairs[i]) for i in range(len(pairs)))


def _tests_covered(evidence: Evidence, table: dict[int, int],
                   tests: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    """Unseen feature values only on stable colours; recoloured test components only in
    colours train showed under their key, unless the key is evidently colour-blind."""
    seen, stable = set(evidence.features.tolist()), _stable_colours(evidence)
    changed = evidence.targets != evidence.colours
    for features, colours in tests:
        for feature, colour in zip(features.tolist(), colours.tolist()):
            if feature not in seen:
                if colour not in stable:
                    return False
                continue
            if feature not in table:
                continue
            under_key = evidence.features == feature
            blind = len(np.unique(evidence.colours[under_key & changed])) >= 2
            if not blind and colour not in evidence.colours[under_key].tolist():
                return False
    return True


def feature_pairs(feature: str, train: list[Segmented], targets: list[np.ndarray],
                  sources: list[np.ndarray] | None = None) -> list[Evidence]:
    """Per train pair, each component's feature value, colour, final colour and source colours
    (`sources`, one array per pair; none by default)."""
    if sources is None:
        sources = [np.zeros((s.n, 0), np.int64) for s in train]
    return [Evidence(object_feature_values(s.grid, s.comp, s.n, feature), s.colours, t, src)
            for s, t, src in zip(train, targets, sources)]


def _object_rule(feature: str, mode: int, table: dict[int, int], bg: int) -> ObjectRule:
    """The rule of a table, its keys in increasing order."""
    keys = tuple(sorted(table))
    return ObjectRule(object_rule_kind(feature, mode), keys, tuple(table[k] for k in keys), bg)


def rule_of_kind(feature: str, mode: int, bg: int, pairs: list[Evidence],
                 tests: list[Segmented], cross_validate: bool = False) -> ObjectRule | None:
    """The table of one feature under one mode (`pairs`: `feature_pairs`), if it is
    consistent, defined on the test values and supported by enough evidence (see the module
    docstring)."""
    evidence = _merged(pairs)
    table = _table(evidence)
    if table is None or not 1 <= len(table) <= MAX_KEYS:
        return None
    changed_features = evidence.features[evidence.targets != evidence.colours]
    if any(np.count_nonzero(changed_features == key) < MIN_OBJECTS for key in table):
        return None
    test_features = [(object_feature_values(s.grid, s.comp, s.n, feature), s.colours)
                     for s in tests]
    if not _tests_covered(evidence, table, test_features):
        return None
    if ((cross_validate or len(table) >= CROSS_VALIDATE_KEYS)
            and not _held_out_pairs_predicted(pairs)):
        return None
    return _object_rule(feature, mode, table, bg)


def _default_table(evidence: Evidence) -> dict[int, int] | None:
    """Feature value -> final colour with an `OTHER_KEY` entry: the final colour of the most
    feature values (at least two, no tie) becomes the default, and only the values ending in
    another colour are listed; None when components sharing a value end in different colours
    or when the default recolours no train component."""
    finals: dict[int, int] = {}
    for key in np.unique(evidence.features).tolist():
        ends = np.unique(evidence.targets[evidence.features == key])
        if len(ends) != 1:
            return None
        finals[key] = int(ends[0])
    votes = Counter(finals.values()).most_common(2)
    if not votes or votes[0][1] < 2 or (len(votes) > 1 and votes[1][1] == votes[0][1]):
        return None
    default = votes[0][0]
    listed = {key: end for key, end in finals.items() if end != default}
    defaulted = ~np.isin(evidence.features, list(listed))
    if not (defaulted & (evidence.colours != default)).any():
        return None
    return {**listed, OTHER_KEY: default}


def _default_predicts(evidence: Evidence, features: np.ndarray, colours: np.ndarray,
                      targets: np.ndarray, sources: np.ndarray) -> bool:
    """True when the default table of `evidence` maps held-out components onto their final
    colours."""
    table = _default_table(evidence)
    return table is not None and all(
        table.get(feature, table[OTHER_KEY]) == target
        for feature, target in zip(features.tolist(), targets.tolist()))


def default_rule_of_kind(feature: str, mode: int, bg: int, pairs: list[Evidence],
                         tests: list[Segmented]) -> ObjectRule | None:
    """The table of one feature under one mode (`pairs`: `feature_pairs`) with a default
    colour for every value it does not list (`_default_table`): every listed value seen on at
    least `MIN_OBJECTS` train components, test components only in colours train components
    showed, and every train pair predicted by the other pairs' default table (leave-one-out,
    always)."""
    evidence = _merged(pairs)
    table = _default_table(evidence)
    if table is None or len(table) > MAX_KEYS or len(pairs) < 2:
        return None
    if any(np.count_nonzero(evidence.features == key) < MIN_OBJECTS
           for key in table if key != OTHER_KEY):
        return None
    if not {c for s in tests for c in s.colours.tolist()} <= set(evidence.colours.tolist()):
        return None
    if not _held_out_pairs_predicted(pairs, _default_predicts):
        return None
    return _object_rule(feature, mode, table, bg)


def learn_object_rule(values: tuple, task: Challenge, bg: int, cross_validate: bool = False
                      ) -> ObjectRule | None:
    """The simplest object rule mapping every train value onto its train output, or None.

    `values` holds one grid per example, train first then test (a search node's values); `bg`
    is the colour objects are segmented from (the task's background); `cross_validate` also
    asks that each train pair be predicted by the others' table. Tables of constant colours
    without a default are tried first, for every feature and mode, then tables with one, then
    tables with colour sources."""
    edits = edit_pairs(values, task)
    if edits is None:
        return None
    train, outputs, tests = edits
    modes: list[tuple[int, list[Segmented], list[np.ndarray]]] = []
    for mode in range(len(OBJECT_MODES)):
        segs = [segmented(v, mode, bg) for v in train]
        finals = [final_colours(s, o) for s, o in zip(segs, outputs)]
        if all(f is not None for f in finals):
            modes.append((mode, segs, finals))
    tested = {mode: [segmented(t, mode, bg) for t in tests] for mode, _, _ in modes}
    kinds: list[tuple[str, int, list[Evidence]]] = []  # kept for the default tables
    for feature in OBJECT_FEATURES:
        for mode, segs, finals in modes:
            kinds.append((feature, mode, feature_pairs(feature, segs, finals)))
            rule = rule_of_kind(feature, mode, bg, kinds[-1][2], tested[mode], cross_validate)
            if rule is not None:
                return rule
    for feature, mode, pairs in kinds:
        rule = default_rule_of_kind(feature, mode, bg, pairs, tested[mode])
        if rule is not None:
            return rule
    return _sourced_rule(kinds, modes, tested, bg, cross_validate)


def _sourced_rule(kinds: list[tuple[str, int, list[Evidence]]],
                  modes: list[tuple[int, list[Segmented], list[np.ndarray]]],
                  tested: dict[int, list[Segmented]], bg: int, cross_validate: bool
                  ) -> ObjectRule | None:
    """The first table, over every feature and mode (`kinds`: their evidence, in that order),
    whose values may be colour sources (`object_color_sources`) and that holds at least one."""
    sources = {mode: [object_color_sources(s.grid, s.comp, s.n, bg) for s in segs]
               for mode, segs, _ in modes}
    for feature, mode, plain in kinds:
        pairs = [e._replace(sources=src) for e, src in zip(plain, sources[mode])]
        rule = rule_of_kind(feature, mode, bg, pairs, tested[mode], cross_validate)
        if (rule is not None and min(rule.values) < 0
                and _leaves_no_changing_colour(_merged(pairs), rule, feature, tested[mode])):
            return rule
    return None


def _leaves_no_changing_colour(evidence: Evidence, rule: ObjectRule, feature: str,
                       tests: list[Segmented]) -> bool:
    """True when no test component the rule leaves alone has a colour every train component
    of which changed."""
    changing = _changing_colours(evidence)
    for s in tests:
        for value, colour in zip(object_feature_values(s.grid, s.comp, s.n, feature).tolist(),
                                 s.colours.tolist()):
            if value not in rule.keys and colour in changing:
                return False
    return True


def _changing_colours(evidence: Evidence) -> set[int]:
    """Colours of train components, every one of which changed."""
    kept = set(evidence.colours[evidence.targets == evidence.colours].tolist())
    return set(evidence.colours.tolist()) - kept


def object_rule_node(node: Node, rule: ObjectRule) -> Node:
    """`recolor_objects(node, kind, [keys], [values], bg)` as a new node (cost + 1); colour
    values print as colours, source values as integers."""
    values = tuple(recolor_objects(v, rule.kind, rule.keys, rule.values, rule.bg)
                   for v in node.values)
    expr = ast.Call("recolor_objects", (
        node.expr, ast.Literal(rule.kind, "int"),
        ast.ListLit(tuple(ast.Literal(k, "int") for k in rule.keys)),
        ast.ListLit(tuple(ast.Literal(c, "color" if c >= 0 else "int") for c in rule.values)),
        ast.Literal(rule.bg, "color")))
    return Node(GRID, values, node.cost + 1, expr)

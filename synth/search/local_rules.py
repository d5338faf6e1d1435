"""Learned local rules: a finishing step that rewrites cells by their neighbourhood.

`learn_local_rule` takes a candidate value per example (train then test) and looks for the
coarsest featurisation (`dsl.primitives.patterns.LOCAL_RULE_KINDS`) whose table
"neighbourhood code -> output colour" is consistent over every train cell; the rule keeps the
entries that change a cell's colour. `local_rule_node` appends that `local_rule` step to a
search node. The acceptance rule, which keeps the step from memorising the train pairs:

- every train value has its output's shape, and the outputs differ from the values somewhere;
- one code never maps to two output colours (over all train cells of all pairs);
- every code of every test value was seen in train (changed or left alone): codes never seen
  are not guessed, except where the cell's colour never changed in train at all (then the
  cell is left as it is, as every train cell of that colour was);
- an orderless featurisation (kinds 0-2 forget which neighbour is where) rewrites a test cell
  in an arrangement of its neighbours (its kind-4 code) never rewritten in train only for a
  key that train rewrote in at least two arrangements: a rule seen only horizontally is not
  turned vertical on faith;
- the evidence is repeated: the changed train cells are at least `MIN_SUPPORT` times the keys
  (each rewrite is seen, on average, that often) and every key is seen at least once;
- the table holds at most `MAX_KEYS` keys;
- with `cross_validate` (the enumerative proposer asks for it on every value but the input
  itself: trying many values is many hypotheses, so each needs more evidence), every train
  pair is predicted exactly by the table of the other pairs (leave-one-out).

Chosen on arc1:train: rules learned on the inputs themselves were right on the test outputs
for 13 tasks and wrong for none (one wrong without the arrangement check). On the first 32
other values of the enumeration, without cross-validation 4 tasks got only wrong rules; with
it none did, and 2 tasks' right rules were lost.
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.primitives.patterns import LOCAL_RULE_KINDS, local_rule, neighbourhood_codes
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import edit_pairs
from synth.search.options import Node

MIN_SUPPORT = 2.0   # changed train cells per key, at least
MAX_KEYS = 40       # keys in one table, at most
ORDERLESS_KINDS = (0, 1, 2)   # featurisations that forget where each neighbour is


class LocalRule(NamedTuple):
    """A learned rule: featurisation, codes that change (ascending) and their new colours."""

    kind: int
    keys: tuple[int, ...]
    values: tuple[int, ...]


def _stable_colours(values: list[np.ndarray], outputs: list[np.ndarray]) -> set[int]:
    """Colours no train cell of which changed."""
    changed = {int(c) for v, o in zip(values, outputs) for c in np.unique(v[v != o])}
    seen = {int(c) for v in values for c in np.unique(v)}
    return seen - changed


def _arrangements(kind: int, keys: np.ndarray, grid: np.ndarray, mask: np.ndarray | None = None
                  ) -> set[tuple[int, int]]:
    """(key, finest code) of the grid's cells whose `kind` code is one of `keys` (and where
    `mask` is set, if given)."""
    codes = neighbourhood_codes(grid, kind)
    keep = np.isin(codes, keys) if mask is None else np.isin(codes, keys) & mask
    fine = neighbourhood_codes(grid, LOCAL_RULE_KINDS[-1])
    return set(zip(codes[keep].tolist(), fine[keep].tolist()))


def _arrangements_supported(kind: int, keys: np.ndarray, values: list[np.ndarray],
                            outputs: list[np.ndarray], tests: list[np.ndarray]) -> bool:
    """An orderless code merges arrangements (rotations, reflections, neighbour orders) of a
    neighbourhood; rewriting a test cell in an arrangement never seen in train is trusted only
    for a key that train rewrote in at least two arrangements."""
    seen: set[tuple[int, int]] = set()
    for value, output in zip(values, outputs):
        seen |= _arrangements(kind, keys, value, value != output)
    variety = Counter(key for key, _ in seen)
    return all(variety[key] >= 2 or (key, fine) in seen
               for test in tests for key, fine in _arrangements(kind, keys, test))


def _predicts(kind: int, values: list[np.ndarray], outputs: list[np.ndarray],
              value: np.ndarray, output: np.ndarray) -> bool:
    """True when the table learned from `values` -> `outputs` maps `value` onto `output`
    exactly (a cell whose code those pairs never showed must keep a colour that never
    changed in them)."""
    codes = np.concatenate([neighbourhood_codes(v, kind).ravel() for v in values])
    seen, first = np.unique(codes, return_index=True)
    table = np.concatenate([o.ravel() for o in outputs])[first]
    held = neighbourhood_codes(value, kind).ravel()
    index = np.minimum(np.searchsorted(seen, held), len(seen) - 1)
    known = seen[index] == held
    predicted = np.where(known, table[index], value.ravel())
    stable = _stable_colours(values, outputs)
    return (np.array_equal(predicted, output.ravel())
            and all(int(c) in stable for c in np.unique(value.ravel()[~known])))


def _held_out_pairs_predicted(kind: int, values: list[np.ndarray], outputs: list[np.ndarray]
                              ) -> bool:
    """Leave-one-out: every train pair is predicted by the table of the others."""
    return len(values) < 2 or all(
        _predicts(kind, values[:i] + values[i + 1:], outputs[:i] + outputs[i + 1:],
                  values[i], outputs[i]) for i in range(len(values)))


def rule_of_kind(kind: int, values: list[np.ndarray], outputs: list[np.ndarray],
                 tests: list[np.ndarray], cross_validate: bool = False) -> LocalRule | None:
    """The table of one featurisation, if it is consistent, defined on the test values and
    supported by enough evidence (see the module docstring)."""
    codes = np.concatenate([neighbourhood_codes(v, kind).ravel() for v in values])
    centres = np.concatenate([v.ravel() for v in values])
    targets = np.concatenate([o.ravel() for o in outputs])
    seen, inverse = np.unique(codes, return_inverse=True)
    table = np.zeros(len(seen), np.int64)
    table[inverse] = targets
    if not np.array_equal(table[inverse], targets):
        return None
    changing = np.zeros(len(seen), bool)
    changing[inverse] = centres != targets
    n_keys = int(changing.sum())
    n_changed = int(np.count_nonzero(centres != targets))
    if n_keys == 0 or n_keys > MAX_KEYS or n_changed < MIN_SUPPORT * n_keys:
        return None
    stable = _stable_colours(values, outputs)
    for test in tests:
        unseen = ~np.isin(neighbourhood_codes(test, kind), seen)
        if any(int(c) not in stable for c in np.unique(test[unseen])):
            return None
    if cross_validate and not _held_out_pairs_predicted(kind, values, outputs):
        return None
    keys = seen[changing]
    if kind in ORDERLESS_KINDS and not _arrangements_supported(kind, keys, values, outputs, tests):
        return None
    return LocalRule(kind, tuple(int(k) for k in keys), tuple(int(t) for t in table[changing]))


def learn_local_rule(values: tuple, task: Challenge, cross_validate: bool = False
                     ) -> LocalRule | None:
    """The coarsest local rule mapping every train value onto its train output, or None.

    `values` holds one grid per example, train first then test (a search node's values);
    `cross_validate` also asks that each train pair be predicted by the others' table."""
    pairs = edit_pairs(values, task)
    if pairs is None:
        return None
    train, outputs, tests = pairs
    for kind in LOCAL_RULE_KINDS:
        rule = rule_of_kind(kind, train, outputs, tests, cross_validate)
        if rule is not None:
            return rule
    return None


def local_rule_node(node: Node, rule: LocalRule) -> Node:
    """`local_rule(node, kind, [keys], [values])` as a new node (cost + 1)."""
    values = tuple(local_rule(v, rule.kind, rule.keys, rule.values) for v in node.values)
    expr = ast.Call("local_rule", (node.expr, ast.Literal(rule.kind, "int"),
                                   ast.ListLit(tuple(ast.Literal(k, "int") for k in rule.keys)),
                                   ast.ListLit(tuple(ast.Literal(c, "color")
                                                     for c in rule.values))))
    return Node(GRID, values, node.cost + 1, expr)

"""Learned sweep rules: a finishing step that rewrites a grid line after line, each line from the
one before it as already rewritten (stairs, triangles, diagonal rays, patterns that grow away
from a seed line).

`learn_sweep_rule` takes a candidate value per example (train then test) and looks, for each
sweep direction and context (`dsl.primitives.patterns.SWEEP_KINDS`, coarsest first), for the
table "sweep key -> value token" (`sweep_keys`, `sweep_token`: colours as roles, so a rule learned
on red stairs draws blue ones) read off the train pairs with the train outputs' own lines as the
lines before; `sweep_rule_node` appends that `sweep_rule` step to a search node. The acceptance
rule, which keeps the step from memorising the train pairs:

- every train value has its output's shape, and the outputs differ from the values somewhere;
- one key never maps to two tokens (over all train cells of all pairs); the rule lists the
  keys whose token is not the cell's own colour (the others leave cells as they are), at most
  `MAX_KEYS` of them, at least one; a token naming a colour outright (not as a role of its
  context) names one every train output holds (a task's constant, not one pair's colour);
- the rule reproduces every train output and changes every test value;
- every key the rule meets on a test value is one train saw, unless no train cell of its kind
  (background, or not) ever changed: contexts never seen are not guessed;
- with `cross_validate` (the enumerative proposer asks for it on every value but the input
  itself), every train pair is predicted exactly by the table of the other pairs (leave-one-out;
  with one train pair, no rule).

Chosen on arc1:train (`python benchmarks/sweep_rules_reach.py`): learned on the inputs, or on
each input embedded at the origin of a canvas of the predicted output size where the sizes
differ, rules are right on the test outputs of 9 tasks (5 that the library-off search of all
400 did not solve: 3 of the same shape, 2 needing the embedding) and wrong for none; with
cross-validation, right on 5 and wrong for none. Without `MAX_KEYS` two tasks got wrong rules.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.errors import EvalError
from dsl.primitives.patterns import (SWEEP_ABSOLUTE, SWEEP_BASE, SWEEP_CONTEXT_SIZES,
                                     SWEEP_KINDS, SWEEP_TURNS, sweep_keys, sweep_rule,
                                     sweep_token)
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import edit_pairs
from synth.search.options import Node

SWEEP_DIRECTIONS = (2, 0, 1, 3)   # down, up, right, left: the order rules are tried in
MAX_KEYS = 12   # keys in one rule, at most: right rules on arc1:train list at most 9, the two
                # wrong ones 17 and 25 (`benchmarks/sweep_rules_reach.py`)


class SweepRule(NamedTuple):
    """A learned rule: direction, context kind, keys that change (ascending), their tokens."""

    direction: int
    kind: int
    keys: tuple[int, ...]
    values: tuple[int, ...]


Table = dict[int, int]


def _sweep_cells(value: np.ndarray, output: np.ndarray, direction: int, kind: int, bg: int
                 ) -> list[tuple[int, int]]:
    """(key, output token) of every cell, the output's lines as the lines before."""
    turn = SWEEP_TURNS[direction]
    v, o = np.rot90(value, turn), np.rot90(output, turn)
    cells = []
    before = np.full(v.shape[1], -1)
    for r in range(v.shape[0]):
        for c, (key, roles) in enumerate(sweep_keys(v[r], before, kind, bg)):
            cells.append((key, sweep_token(int(o[r, c]), roles, bg)))
        before = o[r].astype(np.int64)
    return cells


def _table(values: list[np.ndarray], outputs: list[np.ndarray], direction: int, kind: int,
           bg: int) -> Table | None:
    """Every key's token over the pairs (None on a clash)."""
    table: Table = {}
    for v, o in zip(values, outputs):
        for key, token in _sweep_cells(v, o, direction, kind, bg):
            if table.setdefault(key, token) != token:
                return None
    return table


def _cell_digit(key: int, kind: int) -> int:
    """The key's first digit: the cell's own colour as a role (SWEEP_BG or the first role)."""
    return key // SWEEP_BASE ** (SWEEP_CONTEXT_SIZES[kind] - 1)


def _apply(value: np.ndarray, rule: SweepRule, bg: int) -> np.ndarray | None:
    try:
        return np.asarray(sweep_rule(value, rule.direction, rule.kind, rule.keys, rule.values, bg))
    except EvalError:
        return None


def _of_table(table: Table, direction: int, kind: int) -> SweepRule:
    """The rule listing the table's keys whose token is not the cell's own colour."""
    keys = tuple(sorted(k for k, t in table.items() if t != _cell_digit(k, kind)))
    return SweepRule(direction, kind, keys, tuple(table[k] for k in keys))


def _rule(values: list[np.ndarray], outputs: list[np.ndarray], direction: int, kind: int,
          bg: int) -> SweepRule | None:
    table = _table(values, outputs, direction, kind, bg)
    return None if table is None else _of_table(table, direction, kind)


def _predicts(rule: SweepRule | None, value: np.ndarray, output: np.ndarray, bg: int) -> bool:
    if rule is None:
        return False
    out = _apply(value, rule, bg)
    return out is not None and np.array_equal(out, output)


def _left_out(values: list[np.ndarray], outputs: list[np.ndarray], direction: int, kind: int,
              bg: int) -> bool:
    """Every train pair is predicted by the rule of the others."""
    if len(values) < 2:
        return False
    return all(_predicts(_rule(values[:i] + values[i + 1:], outputs[:i] + outputs[i + 1:],
                               direction, kind, bg), values[i], outputs[i], bg)
               for i in range(len(values)))


def _test_keys_known(tests: list[np.ndarray], outs: list[np.ndarray | None], table: Table,
                     rule: SweepRule, bg: int) -> bool:
    """Every key of every test value's sweep (by the rule's own lines: `outs`, the rule's
    results) is in the table, or its cell is of a kind (background or not) no train cell of
    which the rule changed."""
    changing = {_cell_digit(key, rule.kind) for key in rule.keys}
    turn = SWEEP_TURNS[rule.direction]
    for value, out in zip(tests, outs):
        if out is None:
            return False
        v, o = np.rot90(value, turn), np.rot90(out, turn)
        before = np.full(v.shape[1], -1)
        for r in range(v.shape[0]):
            if any(key not in table and _cell_digit(key, rule.kind) in changing
                   for key, _ in sweep_keys(v[r], before, rule.kind, bg)):
                return False
            before = o[r].astype(np.int64)
    return True


def rule_of(direction: int, kind: int, values: list[np.ndarray], outputs: list[np.ndarray],
            tests: list[np.ndarray], bg: int, cross_validate: bool) -> SweepRule | None:
    """The rule of one direction and context, if it passes the acceptance rule."""
    table = _table(values, outputs, direction, kind, bg)
    if table is None:
        return None
    rule = _of_table(table, direction, kind)
    if not rule.keys or len(rule.keys) > MAX_KEYS:
        return None
    constant = set.intersection(*({int(c) for c in np.unique(o)} for o in outputs))
    if any(t >= SWEEP_ABSOLUTE and t - SWEEP_ABSOLUTE not in constant for t in rule.values):
        return None
    if not all(_predicts(rule, v, o, bg) for v, o in zip(values, outputs)):
        return None
    test_outs = [_apply(t, rule, bg) for t in tests]
    if any(out is None or np.array_equal(out, t) for out, t in zip(test_outs, tests)):
        return None
    if not _test_keys_known(tests, test_outs, table, rule, bg):
        return None
    if cross_validate and not _left_out(values, outputs, direction, kind, bg):
        return None
    return rule


def learn_sweep_rule(values: tuple, task: Challenge, bg: int = 0, cross_validate: bool = False
                     ) -> SweepRule | None:
    """The first sweep rule (directions in SWEEP_DIRECTIONS order, contexts coarsest first)
    mapping every train value onto its train output, or None.

    `values` holds one grid per example, train first then test (a search node's values);
    `cross_validate` asks that each train pair be predicted by the others' table."""
    pairs = edit_pairs(values, task)
    if pairs is None:
        return None
    train, outputs, tests = pairs
    for kind in SWEEP_KINDS:
        for direction in SWEEP_DIRECTIONS:
            rule = rule_of(direction, kind, train, outputs, tests, bg, cross_validate)
            if rule is not None:
                return rule
    return None


def sweep_rule_node(node: Node, rule: SweepRule, bg: int = 0) -> Node:
    """`sweep_rule(node, direction, kind, [keys], [values], bg)` as a new node (cost + 1)."""
    values = tuple(sweep_rule(v, rule.direction, rule.kind, rule.keys, rule.values, bg)
                   for v in node.values)
    expr = ast.Call("sweep_rule", (node.expr, ast.Literal(rule.direction, "int"),
                                   ast.Literal(rule.kind, "int"),
                                   ast.ListLit(tuple(ast.Literal(k, "int") for k in rule.keys)),
                                   ast.ListLit(tuple(ast.Literal(t, "int") for t in rule.values)),
                                   ast.Literal(bg, "color")))
    return Node(GRID, values, node.cost + 1, expr)

"""Learned box rules: a finishing step that paints rectangles derived from the input's cells.

`learn_box_rule` takes a candidate value per example (train then test) and looks for the
simplest `dsl.primitives.drawing.paint_boxes` settings (which groups of cells anchor a box:
each colour, each object, all cells, each pair of facing objects; which region of the box is
painted: the box, its border, the ring outside, the box grown or shrunk by one; in what colour)
that turn every train value into its train output; `box_rule_node` appends that call to a
search node. The acceptance rule, which keeps the step from memorising the train pairs:

- every train value has its output's shape, every changed cell is a background cell of the
  value that the output paints, every train pair changes, and every train output keeps a
  background cell (else recolouring the background explains the pair as well);
- the first settings in `box_order` (own colour before constants, then anchors, then regions)
  that reproduce every train output win;
- with `cross_validate`, every train pair is reproduced by the settings learned from the other
  pairs (leave-one-out; with one train pair, no rule);
- the rule paints at least one cell of every test value.

Values with more than `MAX_GROUPS` anchor groups skip that anchor selection (pairs of facing
objects are sought only among at most `MAX_GROUPS` objects).

Chosen on arc1:train (`benchmarks/box_rules_reach.py`): learned on the inputs of all 400
training tasks, rules are right on the test outputs of 9 tasks and wrong for none, with or
without cross-validation; 56ff96f3 (each colour's box), 928ad970 (the box of all cells, shrunk,
outlined) and d6ad076f (the gap between facing blocks) are among them, which the search did not
solve before. The requirement that an output keep a background cell is what rejects the one
wrong rule seen (a task that recolours every background cell).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.primitives.drawing import (BOX_ANCHORS, BOX_REGIONS, OWN_COLOR, box_anchors,
                                    box_region, paint_boxes)
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import addition_pairs
from synth.search.options import Node

MAX_GROUPS = 40  # anchor groups (colours, objects, pairs) of one train value, at most


class BoxRule(NamedTuple):
    """One `paint_boxes` call's settings and the background it paints on."""

    anchors: int
    region: int
    color: int
    bg: int


def box_order(added: set[int]) -> list[tuple[int, int, int]]:
    """Candidate (anchors, region, colour) settings, simplest first."""
    return [(a, r, c) for c in (OWN_COLOR, *sorted(added)) for a in BOX_ANCHORS
            for r in BOX_REGIONS]


def _painted(value: np.ndarray, boxes: list, region: int, color: int, bg: int) -> np.ndarray:
    """`paint_boxes` on precomputed anchor boxes."""
    out = value.copy()
    free = value == bg
    for box, own in boxes:
        paint = own if color == OWN_COLOR else color
        if paint >= 0:
            out[box_region(value.shape, box, region) & free] = paint
    return out


def _fit(train: list[np.ndarray], outputs: list[np.ndarray], bg: int,
         order: list[tuple[int, int, int]]) -> tuple[int, int, int] | None:
    """The first settings in `order` mapping every train value onto its output."""
    boxes: dict[int, list[list] | None] = {}
    for anchors in BOX_ANCHORS:  # pairs (3) only among at most MAX_GROUPS objects (1)
        found = None if anchors == 3 and boxes[1] is None else \
            [box_anchors(v, anchors, bg) for v in train]
        boxes[anchors] = None if found is None or any(len(b) > MAX_GROUPS for b in found) \
            else found
    reach: dict[tuple[int, int], bool] = {}
    for anchors, region, color in order:
        groups = boxes[anchors]
        if groups is None:
            continue
        if (anchors, region) not in reach:
            reach[anchors, region] = all(
                np.array_equal(_union(v, b, region, bg), v != o)
                for v, o, b in zip(train, outputs, groups))
        if reach[anchors, region] and all(
                np.array_equal(_painted(v, b, region, color, bg), o)
                for v, o, b in zip(train, outputs, groups)):
            return anchors, region, color
    return None


def _union(value: np.ndarray, boxes: list, region: int, bg: int) -> np.ndarray:
    """The bg cells some box's region covers."""
    mask = np.zeros(value.shape, dtype=bool)
    for box, _ in boxes:
        mask |= box_region(value.shape, box, region)
    return mask & (value == bg)


def learn_box_rule(values: tuple, task: Challenge, bg: int, cross_validate: bool = False
                   ) -> BoxRule | None:
    """The simplest box rule painting every train output's new cells onto its train value, or
    None (the acceptance rule is the module's)."""
    edits = addition_pairs(values, task, bg)
    if edits is None:
        return None
    train, outputs, tests, added = edits
    if not all((o == bg).any() for o in outputs):
        return None
    order = box_order(added)
    found = _fit(train, outputs, bg, order)
    if found is None:
        return None
    if cross_validate:
        if len(train) < 2:
            return None
        for i in range(len(train)):
            rest = _fit(train[:i] + train[i + 1:], outputs[:i] + outputs[i + 1:], bg, order)
            if rest is None or not np.array_equal(
                    np.asarray(paint_boxes(train[i], *rest, bg)), outputs[i]):
                return None
    rule = BoxRule(*found, bg)
    if any(np.array_equal(apply_box_rule(t, rule), t) for t in tests):
        return None
    return rule


def apply_box_rule(value: np.ndarray, rule: BoxRule) -> np.ndarray:
    """The rule's `paint_boxes` call on a value."""
    return np.asarray(paint_boxes(value, rule.anchors, rule.region, rule.color, rule.bg))


def box_rule_node(node: Node, rule: BoxRule) -> Node:
    """`paint_boxes(node, anchors, region, colour, bg)` as a new node (cost + 1)."""
    expr = ast.Call("paint_boxes", (
        node.expr, *(ast.Literal(v, "int") for v in rule[:3]), ast.Literal(rule.bg, "color")))
    values = tuple(apply_box_rule(np.asarray(v), rule) for v in node.values)
    return Node(GRID, values, node.cost + 1, expr)

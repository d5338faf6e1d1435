"""Finishing steps: cheap repairs that turn a near miss into an exact program.

`color_mapping` finds the colour substitution (if one exists) that maps a value's train cells
onto the train outputs; `mapped_node` appends that `map_colors` step to a search node;
`edit_pairs` is what the learned same-shape steps (local and object rules) start from.
"""
from __future__ import annotations

import numpy as np

from dsl import ast
from dsl.primitives.color import map_colors
from synth.data.task import Challenge
from synth.search.options import Node


def color_mapping(values: tuple, task: Challenge) -> dict[int, int] | None:
    """A colour map sending every train value's cells onto the train outputs, if one exists.

    Returns only non-identity maps (the pairs that change), or None when shapes differ or two
    outputs disagree on what one colour becomes."""
    mapping: dict[int, int] = {}
    for value, ex in zip(values, task.train):
        if value.shape != ex.output.shape:
            return None
        pairs = np.unique(value.astype(np.int16) * 16 + ex.output, return_counts=False)
        for code in pairs.tolist():
            source, target = divmod(code, 16)
            if mapping.setdefault(source, target) != target:
                return None
    changes = {s: t for s, t in mapping.items() if s != t}
    return changes or None


def mapped_node(node: Node, changes: dict[int, int]) -> Node:
    """`map_colors(node, [sources], [targets])` as a new node (cost + 1)."""
    sources = tuple(sorted(changes))
    targets = tuple(changes[s] for s in sources)
    values = tuple(map_colors(v, sources, targets) for v in node.values)
    expr = ast.Call("map_colors", (node.expr,
                                   ast.ListLit(tuple(ast.Literal(c, "color") for c in sources)),
                                   ast.ListLit(tuple(ast.Literal(c, "color") for c in targets))))
    return Node(node.type, values, node.cost + 1, expr)


def edit_pairs(values: tuple, task: Challenge
               ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]] | None:
    """(train values, train outputs, test values) of a search node's values (train first,
    then test), or None unless every train value has its output's shape and one differs."""
    n = len(task.train)
    train = [np.asarray(v) for v in values[:n]]
    outputs = [ex.output for ex in task.train]
    if any(v.shape != o.shape for v, o in zip(train, outputs)):
        return None
    if all(np.array_equal(v, o) for v, o in zip(train, outputs)):
        return None
    return train, outputs, [np.asarray(v) for v in values[n:]]


def addition_pairs(values: tuple, task: Challenge, bg: int
                   ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], set[int]] | None:
    """`edit_pairs` plus the colours the outputs add, or None unless every train pair changes
    and only turns background cells of its value into non-background colours."""
    edits = edit_pairs(values, task)
    if edits is None:
        return None
    train, outputs, tests = edits
    for v, o in zip(train, outputs):
        changed = v != o
        if not changed.any() or (v[changed] != bg).any() or (o[changed] == bg).any():
            return None
    added = {int(c) for v, o in zip(train, outputs) for c in np.unique(o[v != o])}
    return train, outputs, tests, added

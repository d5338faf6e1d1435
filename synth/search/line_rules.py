"""Learned line rules: a finishing step that adds rays cast from the input's cells.

`learn_line_rule` takes a candidate value per example (train then test) and looks for the
simplest `dsl.primitives.drawing.cast_rays` settings, an *atom* (which cells emit, in which
directions, where a ray stops, in what colour), or the overlay of two atoms, that adds exactly
the train outputs' new cells to every train value; `line_rule_node` appends those calls to a
search node. The acceptance rule, which keeps the step from memorising the train pairs:

- every train value has its output's shape, every changed cell is a background cell of the
  value that the output paints, and every train pair changes;
- an atom is *consistent* with a pair when every ray it casts there lies on cells the output
  paints in the ray's colour; a rule's atoms are consistent with every train pair and together
  cover every changed cell (one atom is tried before two; within that, the order of
  `atom_order`, simplest first);
- with `cross_validate`, or when the rule has two atoms, every train pair is predicted exactly
  by the rule learned from the other pairs (leave-one-out; with one train pair, no rule);
- the rule paints at least one cell of every test value.

Values with more than `MAX_EMITTERS` non-background cells, or with a changed cell on no row,
column or diagonal of a non-background cell, are skipped (the step's cost grows with them).

Chosen on arc1:train (`benchmarks/line_census.py` lists the 100 same-shape tasks whose added
cells all lie on lines from input cells, all looked at while choosing the selections, so
optimistic): learned on the inputs of all 400 training tasks, rules are right on the test
outputs of 10 tasks and wrong for none, with or without cross-validation
(`benchmarks/line_rules_reach.py`). Each selection kept is needed by one or two of the 10;
selections that reached none were dropped (lone cells, cells of multi-cell objects, away from
the object's centre, all eight directions meeting any object).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dsl import ast
from dsl.primitives.drawing import (DIRECTIONS, OWN_COLOR, RAY_CELLS, RAY_DIRECTIONS, RAY_STOPS,
                                    cast_rays, ray_directions, ray_emitters, ray_objects,
                                    ray_path)
from dsl.primitives.patterns import overlay
from dsl.types import GRID
from synth.data.task import Challenge
from synth.search.finishing import addition_pairs
from synth.search.options import Node

MAX_EMITTERS = 150  # non-background cells of one train value, at most
MAX_PAIRED = 200    # distinct atoms searched for a rule of two


class Atom(NamedTuple):
    """One `cast_rays` call's settings (`RAY_CELLS`, `RAY_DIRECTIONS`, `RAY_STOPS`, colour)."""

    cells: int
    dirs: int
    stop: int
    color: int


class LineRule(NamedTuple):
    """A learned rule: one or two atoms (overlaid in order) and the background they paint on."""

    atoms: tuple[Atom, ...]
    bg: int


class PairRays(NamedTuple):
    """Every ray of one train value: per unit (cell, direction, stop) the mask it paints, the
    colours it may take (the output's colour on all its cells), plus the changed cells."""

    paints: np.ndarray      # (cells, 8, stops, H*W) bool
    fits: np.ndarray        # (cells, 8, stops, 11) bool: colour 0..9, then the cell's own
    selected: dict[int, np.ndarray]   # direction selection -> (cells, 8) bool
    emitters: dict[int, np.ndarray]   # cell selection -> (cells,) bool
    changed: np.ndarray     # (H*W,) bool


def atom_order(colours: set[int], added: set[int]) -> list[Atom]:
    """Candidate atoms, simplest first: own colour before constants, the named cell selections
    before single colours, whole direction sets before single directions before object-relative
    ones, stopping at objects before running to the border."""
    cells = [10, 11, 12, *sorted(c for c in colours if c in RAY_CELLS[:10])]
    dirs = [8, 9, 10, *range(8), 11, 12, 13, 14]
    paints = [OWN_COLOR, *sorted(added)]
    return [Atom(c, d, s, p) for p in paints for c in cells for d in dirs for s in (1, 0, 3, 2)
            if d in RAY_DIRECTIONS and s in RAY_STOPS]


def pair_rays(value: np.ndarray, output: np.ndarray, bg: int) -> PairRays:
    """The rays of every non-background cell of a train value, against its output.

    A fast path of `cast_rays`: each (cell, direction) walks twice (stops 0 and 1; stops 2 and
    3 are those for front cells, none for the others) and the selections that depend on the
    object met come from the stop-0 walk (parity: `tests/test_line_rules.py`)."""
    labels = ray_objects(value, bg)
    starts = [(int(r), int(c)) for r, c in zip(*np.nonzero(value != bg))]
    sizes = np.bincount(labels[labels >= 0], minlength=1)
    fronts = _fronts(labels)
    width = value.shape[1]
    paints = np.zeros((len(starts), 8, len(RAY_STOPS), value.size), dtype=bool)
    fits = np.zeros((len(starts), 8, len(RAY_STOPS), 11), dtype=bool)
    met = np.full((len(starts), 8), -1, dtype=np.intp)
    flat_out = output.ravel().astype(np.intp)
    for i, start in enumerate(starts):
        own = labels[start]
        for d, (dr, dc) in enumerate(DIRECTIONS):
            front = fronts[own, d] == start[0] * dr + start[1] * dc
            for s in (0, 1):
                rows, cols, hit = ray_path(value, labels, start, d, s, bg)
                met[i, d] = hit
                for stop in ((s, s + 2) if front else (s,)):
                    _record(paints, fits, (i, d, stop), rows * width + cols, flat_out,
                            int(value[start]))
            for s in (2, 3):
                if not front:
                    fits[i, d, s] = True
    multi = (met >= 0) & (sizes[np.maximum(met, 0)] >= 2)
    selected = {12: (met >= 0) & ORTHOGONAL, 13: multi & ORTHOGONAL}
    for dirs in (*RAY_DIRECTIONS[:12], 14):
        table = np.zeros((len(starts), 8), dtype=bool)
        for i, start in enumerate(starts):
            table[i, list(ray_directions(value, labels, start, dirs, bg))] = True
        selected[dirs] = table
    emitters = {cells: ray_emitters(value, labels, cells, bg)[value != bg] for cells in RAY_CELLS}
    return PairRays(paints, fits, selected, emitters, (value != output).ravel())


ORTHOGONAL = np.arange(8) < 4  # directions 0..3


def _fronts(labels: np.ndarray) -> np.ndarray:
    """Per object and direction, the largest projection of its cells on the direction."""
    n = int(labels.max()) + 1
    fronts = np.full((max(n, 1), 8), np.iinfo(np.intp).min, dtype=np.intp)
    inside = labels >= 0
    rr, cc = np.nonzero(inside)
    for d, (dr, dc) in enumerate(DIRECTIONS):
        np.maximum.at(fronts[:, d], labels[inside], rr * dr + cc * dc)
    return fronts


def _record(paints: np.ndarray, fits: np.ndarray, unit: tuple[int, int, int], idx: np.ndarray,
            flat_out: np.ndarray, own: int) -> None:
    """Store one ray's cells and the colours it may take (the output's, when all one)."""
    paints[unit][idx] = True
    if idx.size == 0:
        fits[unit] = True
        return
    colours = flat_out[idx]
    low = int(colours.min())
    if low == int(colours.max()):
        fits[unit][low] = True
        fits[unit][10] = low == own


def _units(rays: PairRays, atom: Atom) -> tuple[np.ndarray, int]:
    """(the (cell, direction) units an atom selects, its colour column in `fits`)."""
    units = rays.emitters[atom.cells][:, None] & rays.selected[atom.dirs]
    return units, 10 if atom.color == OWN_COLOR else atom.color


def consistent(rays: PairRays, atom: Atom) -> bool:
    """True when every ray the atom casts lies on cells the output paints in its colour."""
    units, column = _units(rays, atom)
    return bool(rays.fits[:, :, atom.stop, column][units].all())


def covered(rays: PairRays, atom: Atom) -> np.ndarray:
    """The cells (flat) the atom's rays paint."""
    units, _ = _units(rays, atom)
    return rays.paints[:, :, atom.stop][units].any(axis=0)


def _fit(pairs: list[PairRays], atoms: list[Atom]) -> tuple[Atom, ...] | None:
    """The first atom, else pair of atoms, consistent with every pair and covering its changes
    (atoms that paint the same cells as a simpler one are skipped; pairs are sought among the
    first `MAX_PAIRED` distinct ones)."""
    changed = np.concatenate([p.changed for p in pairs])
    if not changed.any():
        return None
    distinct: dict[bytes, tuple[Atom, np.ndarray]] = {}
    for a in atoms:
        if all(consistent(p, a) for p in pairs):
            mask = np.concatenate([covered(p, a) for p in pairs])
            if mask.any():
                distinct.setdefault(np.packbits(mask).tobytes(), (a, mask))
    useful = list(distinct.values())
    for a, mask in useful:
        if np.array_equal(mask, changed):
            return (a,)
    useful = useful[:MAX_PAIRED]
    for i, (a, ma) in enumerate(useful):
        for b, mb in useful[i + 1:]:
            if np.array_equal(ma | mb, changed):
                return (a, b)
    return None


def _predicts(rays: PairRays, found: tuple[Atom, ...]) -> bool:
    mask = np.zeros_like(rays.changed)
    for atom in found:
        if not consistent(rays, atom):
            return False
        mask |= covered(rays, atom)
    return bool(np.array_equal(mask, rays.changed))


def _on_lines(value: np.ndarray, changed: np.ndarray, bg: int) -> bool:
    """True when every changed cell shares a row, column or diagonal with a non-bg cell."""
    rows, cols = np.nonzero(value != bg)
    r, c = np.nonzero(changed)
    return bool((np.isin(r, rows) | np.isin(c, cols) | np.isin(r - c, rows - cols)
                 | np.isin(r + c, rows + cols)).all())


def apply_rule(value: np.ndarray, rule: LineRule) -> np.ndarray:
    """The rule's atoms cast on a value, overlaid in order."""
    out = np.asarray(cast_rays(value, *rule.atoms[0], rule.bg))
    for atom in rule.atoms[1:]:
        out = np.asarray(overlay(out, cast_rays(value, *atom, rule.bg), rule.bg))
    return out


def learn_line_rule(values: tuple, task: Challenge, bg: int, cross_validate: bool = False
                    ) -> LineRule | None:
    """The simplest line rule adding every train output's new cells to its train value, or
    None (the acceptance rule is the module's)."""
    edits = addition_pairs(values, task, bg)
    if edits is None:
        return None
    train, outputs, tests, added = edits
    for v, o in zip(train, outputs):
        if np.count_nonzero(v != bg) > MAX_EMITTERS or not _on_lines(v, v != o, bg):
            return None
    colours = {int(c) for v in train for c in np.unique(v[v != bg])}
    atoms = atom_order(colours, added)
    pairs = [pair_rays(v, o, bg) for v, o in zip(train, outputs)]
    found = _fit(pairs, atoms)
    if found is None:
        return None
    if cross_validate or len(found) > 1:
        if len(pairs) < 2:
            return None
        for i, held in enumerate(pairs):
            rest = _fit(pairs[:i] + pairs[i + 1:], atoms)
            if rest is None or not _predicts(held, rest):
                return None
    rule = LineRule(found, bg)
    for v, o in zip(train, outputs):
        if not np.array_equal(apply_rule(v, rule), o):
            return None
    if any(np.array_equal(apply_rule(t, rule), t) for t in tests):
        return None
    return rule


def line_rule_node(node: Node, rule: LineRule) -> Node:
    """`cast_rays(node, cells, dirs, stop, colour, bg)` as a new node (cost + 1), or two such
    calls overlaid (cost + 3)."""
    def call(atom: Atom) -> ast.Call:
        return ast.Call("cast_rays", (
            node.expr, *(ast.Literal(v, "int") for v in atom), ast.Literal(rule.bg, "color")))

    expr = call(rule.atoms[0])
    for atom in rule.atoms[1:]:
        expr = ast.Call("overlay", (expr, call(atom), ast.Literal(rule.bg, "color")))
    values = tuple(apply_rule(np.asarray(v), rule) for v in node.values)
    return Node(GRID, values, node.cost + 2 * len(rule.atoms) - 1, expr)

"""Output by pieces: a base grid plus overlaid pieces each right where they paint, or layers.

Many outputs are an input-like grid with a few things drawn on it, where no single enumerated
value is right everywhere but several are each right on part of the output. Given candidate
values (each candidate's grid on every train pair, all shaped like the train outputs),
`compose` picks a base — one of the candidates with the most cells right — and then, greedily,
pieces whose painted cells (those not of the background colour) are all right on every train
pair, each covering the most cells the grid built so far still gets wrong, until every train
output is reproduced. The answer is `overlay(...overlay(base, piece1, bg)..., pieceK, bg)`,
which the caller builds and verifies like any other program.

When no base works, `compose` falls back on layers chosen top-down (icecuber's greedy
composition of pieces): the first layer is the value right on the most cells where it is
active, each next one must be right only where it is active on cells the layers above leave
uncovered, and the last covers what is left. A layer is active on its painted cells
(`overlay`) or, with `blanks`, on its background cells (it blanks them: `fill_mask(grid,
mask_of(piece, bg), bg)`); the bottom layer is taken whole. Lower layers may be wrong under
the layers above, which the base-first rule never allows. Candidates come simplest first (the
enumeration's and the closure's order); the greedy runs on the first `FIRST_PREFIX` of them,
then `PREFIX_GROWTH` times as many, and so on, and the compositions are ranked as icecuber
ranks them: fewer layers first, then the shorter prefix (shallower values). The first in that
order is the answer, except that one of `CROSS_VALIDATED_LAYERS` layers or more (every
layered one) must survive leave-one-out: the layers the greedy chooses on every train pair
but one must be right on the pair held out, for each pair (layered fits of noise, wrong on
963e52fc's test with six layers unchecked, do not). Sets of cells are bit-packed (64 cells a
word), so composing costs far less than evaluating and the layers can look at many more
values; the base-and-pieces rule, unchecked, looks only at the first `covering` of them (as
many as it was always given: one an evaluation), since more of them only fit more noise
(tiny outputs).

Composing costs one evaluation of work per `CELLS_PER_EVALUATION` value-cells (candidate
values times train output cells; `values_per_evaluation`, at least one value an evaluation,
the CPU time it takes; values a caller gathers as one array per train pair go to
`compose_stacks`, the same composition without a grid per value) and gets `PIECES_SHARE` of a
stage's budget: `pieces_allowance` is how many values that share pays for (the work it has
left in reproducible mode, its seconds left at `EVALUATIONS_PER_SECOND` otherwise), so
composing never spends a later stage's budget.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synth.data.task import Grid

MAX_PIECES = 3
MAX_LAYERS = 6   # layers above the bottom one
CROSS_VALIDATED_LAYERS = 1  # compositions of this many layers or more must survive leave-one-out
FIRST_PREFIX = 16  # the layers first try this many candidates, then PREFIX_GROWTH times as many
PREFIX_GROWTH = 4
BASES_TRIED = 5
OVERLAY, BLANK = "overlay", "blank"  # how a piece goes onto the grid below it
PIECES_SHARE = 0.1  # of a proposer's stage budget, kept for composing the output by pieces
MAX_PIECE_VALUES = 20_000
PIECE_CELLS = 4_000_000  # candidate values kept for pieces x train output cells
# enumerator evaluations per CPU-second (~17 k, `synth.proposers.closure`'s measurement): what a
# wall-clock share pays for
EVALUATIONS_PER_SECOND = 17_000
# value-cells (candidate values x train output cells) composed in the CPU time of one
# evaluation: `compose`, layers included, takes ~0.027 us a value-cell (bit-packed)
CELLS_PER_EVALUATION = 2_000


def piece_limit(targets: Sequence[Grid]) -> int:
    """How many candidate values `compose` may be given for these train outputs (memory bound)."""
    cells = sum(t.size for t in targets)
    return max(2, min(MAX_PIECE_VALUES, PIECE_CELLS // max(1, cells)))


def values_per_evaluation(targets: Sequence[Grid]) -> int:
    """Candidate values composed per evaluation of work for these train outputs: about
    `CELLS_PER_EVALUATION` value-cells, and never fewer than one value."""
    return max(1, CELLS_PER_EVALUATION // max(1, sum(t.size for t in targets)))


def pieces_allowance(work_left: int | None, seconds_left: float, per_evaluation: int = 1
                     ) -> int:
    """Candidate values (`per_evaluation` an evaluation) the pieces share pays for:
    `work_left` evaluations in reproducible mode (None: wall clock), else `seconds_left` of
    evaluations."""
    if work_left is not None:
        return max(0, work_left) * per_evaluation
    return max(0, int(seconds_left * EVALUATIONS_PER_SECOND)) * per_evaluation


def pieces_work(values: int, per_evaluation: int = 1) -> int:
    """Evaluations of work that composing `values` candidate values counts as."""
    return -(-values // per_evaluation)


@dataclass(frozen=True)
class Composition:
    """Indices into the candidate list: the base, then the pieces in overlay order (bottom
    to top); `modes[i]` says how piece i goes on (`OVERLAY` when `modes` is empty)."""

    base: int
    pieces: tuple[int, ...]
    modes: tuple[str, ...] = ()

    def mode(self, i: int) -> str:
        """How the i-th piece goes onto the grid below it."""
        return self.modes[i] if self.modes else OVERLAY


def compose(candidates: Sequence[Sequence[Grid]], targets: Sequence[Grid], bg: int,
            max_pieces: int = MAX_PIECES, bases: int = BASES_TRIED, blanks: bool = False,
            layers: int = MAX_LAYERS, covering: int | None = None) -> Composition | None:
    """A base and at most `max_pieces` pieces, of the first `covering` candidates (None: all),
    whose overlay reproduces every target, or None; failing that, the first composition of
    top-down layers in `_ranked_layers`' order (`blanks`: layers may also blank cells), at
    most `layers` above the bottom one.

    `candidates[k][i]` is candidate k's grid on train pair i (shaped like `targets[i]`)."""
    if len(candidates) < 2:
        return None
    return compose_stacks([np.stack([c[i] for c in candidates]) for i in range(len(targets))],
                          targets, bg, max_pieces, bases, blanks, layers, covering)


def compose_stacks(stacks: Sequence[np.ndarray], targets: Sequence[Grid], bg: int,
                   max_pieces: int = MAX_PIECES, bases: int = BASES_TRIED,
                   blanks: bool = False, layers: int = MAX_LAYERS,
                   covering: int | None = None) -> Composition | None:
    """`compose` of candidates given as one stack per train pair: `stacks[i][k]` is candidate
    k's grid on train pair i (shaped like `targets[i]`), as a caller holding its values in one
    array gathers them without a grid per value."""
    if len(stacks[0]) < 2:
        return None
    right = _packed(np.concatenate([(s == t[None]).reshape(len(s), -1)
                                    for s, t in zip(stacks, targets)], axis=1))
    paint = _packed(np.concatenate([(s != bg).reshape(len(s), -1) for s in stacks], axis=1))
    bounds = np.cumsum([0] + [t.size for t in targets])
    columns = np.arange(bounds[-1])
    pairs = _packed(np.stack([(columns >= a) & (columns < b)
                              for a, b in zip(bounds, bounds[1:])]))
    cells = np.bitwise_or.reduce(pairs, axis=0)
    wrong = ~right & cells
    if not wrong.any(axis=1).all():
        return None  # one candidate is exact already: no composition needed
    first = slice(0, covering)
    consistent = (paint[first] & cells).any(axis=1) & ~(paint[first] & wrong[first]).any(axis=1)
    if len(consistent) > 1 and consistent.any():
        correct = _count(right[first] & cells)
        for base in np.argsort(-correct, kind="stable")[:bases]:
            pieces = _cover(int(base), wrong[first], paint[first], consistent, max_pieces)
            if pieces is not None:
                return Composition(int(base), pieces)
    if layers == 0:
        return None
    return _ranked_layers(right, paint, pairs, layers, blanks)


def _count(words: np.ndarray) -> np.ndarray:
    """Set bits per row of `_packed` words."""
    return np.bitwise_count(words).sum(axis=1, dtype=np.int64)


def _packed(bits: np.ndarray) -> np.ndarray:
    """A (N, cells) boolean matrix as (N, words) 64-bit words, zero-padded: the layers'
    set operations and counts run a word (64 cells) at a time."""
    packed = np.packbits(bits, axis=1)
    pad = -packed.shape[1] % 8
    return np.pad(packed, ((0, 0), (0, pad))).view(np.uint64)


def prefixes(count: int) -> list[int]:
    """The candidate prefixes layers are looked for in: `FIRST_PREFIX`, `PREFIX_GROWTH` times
    as many, ..., then all `count` candidates."""
    sizes = []
    size = FIRST_PREFIX
    while size < count:
        sizes.append(size)
        size *= PREFIX_GROWTH
    return sizes + [count]


def _ranked_layers(right: np.ndarray, paint: np.ndarray, pairs: np.ndarray, max_layers: int,
                   blanks: bool) -> Composition | None:
    """The first composition of top-down layers (`_layers`, on each prefix of the candidates)
    in icecuber's order: fewer layers first, then shallower candidates (a shorter prefix);
    one of `CROSS_VALIDATED_LAYERS` layers or more only when it survives leave-one-out
    (`_held_out_right`). Arguments are `_packed`; `pairs[i]` marks train pair i's cells."""
    cells = np.bitwise_or.reduce(pairs, axis=0)
    found: list[tuple[int, int, Composition]] = []
    for rank, size in enumerate(prefixes(right.shape[0])):
        composition = _layers(right[:size], paint[:size], cells, max_layers, blanks)
        if composition is not None:
            found.append((len(composition.pieces), rank, composition))
    for count, _, composition in sorted(found, key=lambda item: item[:2]):
        if count < CROSS_VALIDATED_LAYERS or _held_out_right(
                right, paint, pairs, composition, max_layers, blanks):
            return composition
    return None


def _held_out_right(right: np.ndarray, paint: np.ndarray, pairs: np.ndarray,
                    composition: Composition, max_layers: int, blanks: bool) -> bool:
    """Whether the layers chosen on every train pair but one, from the candidates the
    composition drew on, are right on the pair held out, for every pair."""
    if len(pairs) < 2:
        return False
    size = max(composition.base, *composition.pieces) + 1
    size = next(p for p in prefixes(right.shape[0]) if p >= size)
    cells = np.bitwise_or.reduce(pairs, axis=0)
    for held in pairs:
        chosen = _layers(right[:size], paint[:size], cells & ~held, max_layers, blanks)
        if chosen is None or not _composed_right(chosen, right, paint, held):
            return False
    return True


def _composed_right(composition: Composition, right: np.ndarray, paint: np.ndarray,
                    cells: np.ndarray) -> bool:
    """Whether the composition is right on every one of `cells`: each cell takes the topmost
    layer active on it, else the bottom value."""
    ok = right[composition.base].copy()
    for i, index in enumerate(composition.pieces):
        active = paint[index] if composition.mode(i) == OVERLAY else ~paint[index]
        ok = (active & right[index]) | (~active & ok)
    return not (cells & ~ok).any()


def _layers(right: np.ndarray, paint: np.ndarray, cells: np.ndarray, max_layers: int,
            blanks: bool) -> Composition | None:
    """Top-down greedy layers over `cells` (arguments `_packed`): each the (candidate, mode)
    covering the most uncovered cells while right on every uncovered cell it is active on
    (ties: the earlier candidate); the bottom one, right on every cell still uncovered, is
    taken whole."""
    wrong = ~right
    open_ = cells.copy()
    chosen: list[tuple[int, str]] = []
    for _ in range(max_layers + 1):
        whole = ~(wrong & open_).any(axis=1)
        if whole.any():
            layers = chosen[::-1]
            return Composition(int(np.argmax(whole)), tuple(k for k, _ in layers),
                               tuple(m for _, m in layers))
        if len(chosen) == max_layers:
            return None
        best: tuple[int, int, str] | None = None
        for mode in (OVERLAY, BLANK) if blanks else (OVERLAY,):
            active = (paint if mode == OVERLAY else ~paint) & open_
            gain = _count(active)
            gain[(active & wrong).any(axis=1)] = 0
            k = int(np.argmax(gain))
            if gain[k] > 0 and (best is None or gain[k] > best[0]):
                best = (int(gain[k]), k, mode)
        if best is None:
            return None
        _, k, mode = best
        chosen.append((k, mode))
        open_ &= ~paint[k] if mode == OVERLAY else paint[k]
    return None


def _cover(base: int, wrong: np.ndarray, paint: np.ndarray, consistent: np.ndarray,
           max_pieces: int) -> tuple[int, ...] | None:
    """Greedy cover of the base's wrong cells by consistent pieces (arguments `_packed`)."""
    left = wrong[base].copy()
    chosen: list[int] = []
    for _ in range(max_pieces):
        gain = _count(paint & left)
        gain[~consistent] = 0
        gain[base] = 0
        best = int(np.argmax(gain))
        if gain[best] == 0:
            return None
        chosen.append(best)
        left &= ~paint[best]
        if not left.any():
            return tuple(chosen)
    return None

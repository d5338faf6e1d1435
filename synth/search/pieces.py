"""Output by pieces: a base grid plus overlaid pieces that are each right where they paint.

Many outputs are an input-like grid with a few things drawn on it, where no single enumerated
value is right everywhere but several are each right on part of the output. Given candidate
values (each candidate's grid on every train pair, all shaped like the train outputs),
`compose` picks a base — one of the candidates with the most cells right — and then, greedily,
pieces whose painted cells (those not of the background colour) are all right on every train
pair, each covering the most cells the grid built so far still gets wrong, until every train
output is reproduced. The answer is `overlay(...overlay(base, piece1, bg)..., pieceK, bg)`,
which the caller builds and verifies like any other program.

Pieces cost one evaluation of work per candidate value, and get `PIECES_SHARE` of a stage's
budget: `pieces_allowance` is how many values that share pays for (the work it has left in
reproducible mode, its seconds left at `EVALUATIONS_PER_SECOND` otherwise), so composing never
spends a later stage's budget.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synth.data.task import Grid

MAX_PIECES = 3
BASES_TRIED = 5
PIECES_SHARE = 0.1  # of a proposer's stage budget, kept for composing the output by pieces
MAX_PIECE_VALUES = 20_000
PIECE_CELLS = 4_000_000  # candidate values kept for pieces x train output cells
# enumerator evaluations per CPU-second (~17 k, `synth.proposers.closure`'s measurement): what a
# wall-clock share pays for
EVALUATIONS_PER_SECOND = 17_000


def piece_limit(targets: Sequence[Grid]) -> int:
    """How many candidate values `compose` may be given for these train outputs (memory bound)."""
    cells = sum(t.size for t in targets)
    return max(2, min(MAX_PIECE_VALUES, PIECE_CELLS // max(1, cells)))


def pieces_allowance(work_left: int | None, seconds_left: float) -> int:
    """Candidate values (one evaluation each) the pieces share pays for: `work_left`
    evaluations in reproducible mode (None: wall clock), else `seconds_left` of evaluations."""
    if work_left is not None:
        return max(0, work_left)
    return max(0, int(seconds_left * EVALUATIONS_PER_SECOND))


@dataclass(frozen=True)
class Composition:
    """Indices into the candidate list: the base, then the pieces in overlay order."""

    base: int
    pieces: tuple[int, ...]


def _flat(stacks: Sequence[np.ndarray]) -> np.ndarray:
    """Per-pair (N, h, w) boolean stacks as one (N, cells) matrix."""
    return np.concatenate([s.reshape(s.shape[0], -1) for s in stacks], axis=1)


def compose(candidates: Sequence[Sequence[Grid]], targets: Sequence[Grid], bg: int,
            max_pieces: int = MAX_PIECES, bases: int = BASES_TRIED) -> Composition | None:
    """A base and at most `max_pieces` pieces whose overlay reproduces every target, or None.

    `candidates[k][i]` is candidate k's grid on train pair i (shaped like `targets[i]`)."""
    if len(candidates) < 2:
        return None
    stacks = [np.stack([c[i] for c in candidates]) for i in range(len(targets))]
    right = _flat([s == t[None] for s, t in zip(stacks, targets)])
    paint = _flat([s != bg for s in stacks])
    consistent = paint.any(axis=1) & ~(paint & ~right).any(axis=1)
    if not consistent.any():
        return None
    correct = right.sum(axis=1)
    if correct.max() == right.shape[1]:
        return None  # one candidate is exact already: no composition needed
    for base in np.argsort(-correct, kind="stable")[:bases]:
        pieces = _cover(int(base), right, paint, consistent, max_pieces)
        if pieces is not None:
            return Composition(int(base), pieces)
    return None


def _cover(base: int, right: np.ndarray, paint: np.ndarray, consistent: np.ndarray,
           max_pieces: int) -> tuple[int, ...] | None:
    """Greedy cover of the base's wrong cells by consistent pieces."""
    wrong = ~right[base]
    if not wrong.any():
        return None
    chosen: list[int] = []
    for _ in range(max_pieces):
        gain = (paint & wrong[None]).sum(axis=1)
        gain[~consistent] = 0
        gain[base] = 0
        best = int(np.argmax(gain))
        if gain[best] == 0:
            return None
        chosen.append(best)
        wrong &= ~paint[best]
        if not wrong.any():
            return tuple(chosen)
    return None

"""What every solver takes and returns: SolveConfig in, Solution (two attempts per test) out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synth.task import Grid


@dataclass(frozen=True)
class SolveConfig:
    """Per-task solver settings (time limit in seconds, beam width, seed, early stopping)."""

    time_limit: float = 30.0
    beam: int = 100
    seed: int = 0
    enough: int = 3


@dataclass(frozen=True)
class Solution:
    """Two attempts per test input, plus the program and proposer that produced attempt 1.

    `alternatives` lists the options the solver ranked (JSON-able dicts with at least
    `outputs`, one grid per test input as nested lists, and `verified`), best first.
    """

    attempts: tuple[tuple[Grid, Grid], ...]
    program: str | None = None
    proposer: str | None = None
    candidates: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    alternatives: tuple[dict[str, Any], ...] = ()

"""What every solver takes and returns: SolveConfig in, Solution (two attempts per test) out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synth.data.task import Grid


@dataclass(frozen=True)
class SolveConfig:
    """Per-task solver settings.

    `agreement`: stop searching once this many distinct verified programs that obey the
    task's invariants agree on the test outputs; `z3`: infer laws and invariants with Z3 and
    fill sketch holes (`z3_timeout_ms` per query); `voter`: a meta-voter file to rank with.
    """

    time_limit: float = 30.0
    beam: int = 100
    seed: int = 0
    agreement: int = 3
    z3: bool = True
    z3_timeout_ms: int = 300
    voter: str | None = None


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

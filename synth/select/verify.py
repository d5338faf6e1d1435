"""Verification: a program candidate is accepted only if it reproduces every train output
exactly and its test outputs are valid ARC grids (1..30 per side, colours 0..9)."""
from __future__ import annotations

from synth.data.scoring import train_matches
from synth.data.task import Challenge, valid_grid
from synth.proposers.base import GridCandidate, ProgramCandidate


def verified(candidate: ProgramCandidate, task: Challenge) -> bool:
    """Exact on all train pairs and valid test outputs."""
    return (train_matches(candidate.train_outputs, task)
            and len(candidate.test_outputs) == len(task.test_inputs)
            and all(valid_grid(g) for g in candidate.test_outputs))


def valid_answer(candidate: GridCandidate, task: Challenge) -> bool:
    """A grid answer gives one valid grid per test input."""
    return (len(candidate.test_outputs) == len(task.test_inputs)
            and all(valid_grid(g) for g in candidate.test_outputs))

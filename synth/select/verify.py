"""Verification: a program candidate is accepted only if it reproduces every train output
exactly, its test outputs are valid ARC grids (1..30 per side, colours 0..9) and its program
text parses and type-checks (literals inside the registry's domains), so no candidate wins on
outputs its own text cannot reproduce."""
from __future__ import annotations

from functools import lru_cache

from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.typecheck import check_program
from synth.data.scoring import train_matches
from synth.data.task import Challenge, valid_grid
from synth.proposers.base import GridCandidate, ProgramCandidate


def verified(candidate: ProgramCandidate, task: Challenge) -> bool:
    """Exact on all train pairs, valid test outputs, and a well-typed program text."""
    return (train_matches(candidate.train_outputs, task)
            and len(candidate.test_outputs) == len(task.test_inputs)
            and all(valid_grid(g) for g in candidate.test_outputs)
            and well_typed(candidate.program))


@lru_cache(maxsize=4096)
def well_typed(program: str) -> bool:
    """True when the program text parses and type-checks against the default registry."""
    try:
        check_program(parse_program(program))
    except DSLError:
        return False
    return True


def valid_answer(candidate: GridCandidate, task: Challenge) -> bool:
    """A grid answer gives one valid grid per test input."""
    return (len(candidate.test_outputs) == len(task.test_inputs)
            and all(valid_grid(g) for g in candidate.test_outputs))

"""Programs found on a view of a task (`synth.search.normalise`) as candidates on the task.

Shared by the proposers that search views (`views`: the enumerator; `closure`: the native
closure on the colour view): the view's analysis, whose invariant check maps outputs back
first, and a candidate verified on the view mapped back (`mapped_back`), re-run by the
reference interpreter on every original input, kept only when it reproduces every original
train output.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from dsl.errors import DSLError
from dsl.parser import parse_program
from dsl.printer import format_program
from synth.analysis.features import TaskAnalysis, analyse
from synth.data.scoring import train_matches
from synth.data.task import Challenge, Grid
from synth.proposers.base import ProgramCandidate, interpreted_grids
from synth.search.normalise import backward_outputs, mapped_back

VIEW_CALLS = 2  # a mapped-back program's extra calls: into the view and back


def view_analysis(view: str, task: Challenge, view_task: Challenge,
                  analysis: TaskAnalysis) -> TaskAnalysis:
    """The view's analysis; its outputs are checked against the original task's invariants
    after mapping them back."""
    def consistent(outputs: Sequence[Grid]) -> bool:
        if not all(isinstance(g, np.ndarray) for g in outputs):
            return analysis.consistent_outputs(outputs)
        return analysis.consistent_outputs(backward_outputs(view, task, outputs))

    return replace(analyse(view_task), consistent_outputs=consistent)


def original_candidate(view: str, candidate: ProgramCandidate, task: Challenge,
                       proposer: str) -> ProgramCandidate | None:
    """`candidate` (verified on the view) as a program on `task`, run by the reference
    interpreter; None unless it reproduces every original train output. It keeps the
    candidate's prior and way of voting (`votes_as_one`), and costs the two view calls more."""
    try:
        program = mapped_back(view, parse_program(candidate.program))
    except DSLError:
        return None
    results = None if program is None else interpreted_grids(program, task.inputs)
    if results is None:
        return None
    n = len(task.train)
    if not train_matches(results[:n], task):
        return None
    return ProgramCandidate(format_program(program), proposer, tuple(results[:n]),
                            tuple(results[n:]), prior=candidate.prior,
                            cost=candidate.cost + VIEW_CALLS, origin=view,
                            votes_as_one=candidate.votes_as_one)

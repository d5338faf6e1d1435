"""The library proposer: known (golden) programs and their parameter variants.

Only variants that reproduce every train output are yielded. Programs run as compiled plans
(`dsl.compile`), which give the interpreter's results faster.

Each program of the library is run on the task as written, then with one colour literal at
a time replaced by another colour of the task's palette, and with `connect=4`/`8` swapped.
Leave-one-out: a program written for the task being solved (same file stem as the task id) is
never used, so training-set evaluations stay honest. After the verified ones, the closest
near misses (right shapes, most train cells right) are yielded unverified, with their cell
accuracy as prior: material for the sketch proposer's hole filling.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np

from dsl import ast
from dsl.errors import DSLError
from dsl.compile import run_compiled
from dsl.parser import parse_program
from dsl.printer import format_program
from synth.analysis.features import TaskAnalysis
from synth.data.golden import LIBRARY_ROOT
from synth.proposers.base import (Budget, Candidate, Pool, ProgramCandidate, keep_best,
                                  train_accuracy, train_matches)
from synth.data.task import Task

MAX_VARIANTS = 40
N_NEAR_MISSES = 8
MIN_NEAR_MISS_ACCURACY = 0.5


@cache
def load_library(root: Path = LIBRARY_ROOT) -> tuple[tuple[str, ast.Program], ...]:
    """Every parseable `.dsl` program under the library root, with its file stem."""
    programs = []
    for path in sorted(root.glob("*/*.dsl")):
        try:
            programs.append((path.stem, parse_program(path.read_text(encoding="utf-8"))))
        except (DSLError, OSError):
            continue
    return tuple(programs)


def _map_expr(expr: ast.Expr, fn) -> ast.Expr:
    expr = fn(expr)
    if isinstance(expr, ast.Call):
        return replace(expr, args=tuple(_map_expr(a, fn) for a in expr.args),
                       kwargs=tuple((k, _map_expr(v, fn)) for k, v in expr.kwargs))
    if isinstance(expr, ast.Lambda):
        return replace(expr, body=_map_expr(expr.body, fn))
    return expr


def _map_program(program: ast.Program, fn) -> ast.Program:
    return ast.Program(tuple(
        replace(d, body=tuple(replace(s, expr=_map_expr(s.expr, fn)) for s in d.body))
        for d in program.definitions))


def _literals(program: ast.Program) -> list[ast.Literal]:
    found: list[ast.Literal] = []

    def visit(expr: ast.Expr) -> ast.Expr:
        if isinstance(expr, ast.Literal) and expr.kind == "color":
            found.append(expr)
        return expr

    _map_program(program, visit)
    return found


def variants(program: ast.Program, palette: Sequence[int]) -> Iterator[ast.Program]:
    """The program, then single colour-literal substitutions, then connectivity swaps."""
    yield program
    count = 0
    for colour in sorted({lit.value for lit in _literals(program)}):
        for new in palette:
            if new == colour or count >= MAX_VARIANTS:
                continue
            count += 1
            yield _map_program(program, lambda e, c=colour, n=new: ast.Literal(n, "color")
                               if isinstance(e, ast.Literal) and e.kind == "color"
                               and e.value == c else e)
    swapped = _map_program(program, _swap_connect)
    if swapped != program:
        yield swapped


def _swap_connect(expr: ast.Expr) -> ast.Expr:
    if isinstance(expr, ast.Call) and any(k == "connect" for k, _ in expr.kwargs):
        return replace(expr, kwargs=tuple(
            (k, ast.Literal(12 - v.value, "int") if k == "connect" and isinstance(v, ast.Literal)
             and v.value in (4, 8) else v) for k, v in expr.kwargs))
    return expr


@dataclass
class LibraryProposer:
    """Runs library programs (leave-one-out) and their variants on the task."""

    root: Path = LIBRARY_ROOT
    name: str = "library"
    tried: int = 0
    left_out: list[str] = field(default_factory=list)

    def warm_up(self) -> None:
        """Parse the library (cached per process)."""
        load_library(self.root)

    def propose(self, task: Task, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        near: list[tuple[float, int, ProgramCandidate]] = []
        yield from self._verified(task, analysis, budget, near)
        for _, _, cand in sorted(near, key=lambda item: item[:2], reverse=True):
            yield cand

    def _verified(self, task: Task, analysis: TaskAnalysis, budget: Budget,
                  near: list[tuple[float, int, ProgramCandidate]]) -> Iterator[Candidate]:
        """Verified programs; the best near misses are kept in the heap `near`."""
        inputs = [ex.input for ex in task.train] + [ex.input for ex in task.test]
        n = len(task.train)
        seen: set[str] = set()
        for stem, program in load_library(self.root):
            if stem == task.id:
                self.left_out.append(stem)
                continue
            for variant in variants(program, sorted(analysis.palette)):
                if budget.expired():
                    return
                text = format_program(variant)
                if text in seen:
                    continue
                seen.add(text)
                self.tried += 1
                try:
                    outputs = run_compiled(variant, inputs, typecheck=False)
                except DSLError:
                    continue
                if not all(isinstance(o, np.ndarray) and o.dtype == np.uint8 for o in outputs):
                    continue
                cand = ProgramCandidate(text, self.name, tuple(outputs[:n]), tuple(outputs[n:]),
                                        prior=0.5, cost=len(variant.entry.body))
                if train_matches(outputs[:n], task):
                    yield cand
                    continue
                accuracy = train_accuracy(outputs[:n], task)
                if accuracy >= MIN_NEAR_MISS_ACCURACY:
                    keep_best(near, (accuracy, -self.tried, replace(cand, prior=0.5 * accuracy)),
                              N_NEAR_MISSES)

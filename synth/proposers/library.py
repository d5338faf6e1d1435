"""The library proposer: known (golden) programs and their parameter variants.

Only variants that reproduce every train output are yielded. Programs run as compiled plans
(`dsl.compile`), which give the interpreter's results faster.

Every program of the library is first run on the task as written; then, programs whose plain
run came closest to the train outputs first, with one colour literal at a time replaced by
another colour of the task's palette, and with `connect=4`/`8` swapped. Programs equally close
(most often: none of their plain runs had the right shapes) are ordered by the guide's score
when a guide is given (`program_scores`: the mean log-probability the guide gives, for this
task, to the primitives each program uses), then by library order.
Leave-one-out: a program written for the task being solved (same file stem as the task id) is
never used, so training-set evaluations stay honest. After the verified ones, the closest
near misses (right shapes, most train cells right) are yielded unverified, with their cell
accuracy as prior: material for the sketch proposer's hole filling.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from pathlib import Path

import numpy as np

from dsl import ast
from dsl.errors import DSLError
from dsl.compile import run_compiled
from dsl.parser import parse_program
from dsl.printer import format_program
from synth.analysis.features import TaskAnalysis
from synth.learn.guide import Guide
from synth.data.golden import DEFAULT_LIBRARY, library_files
from synth.data.scoring import train_matches
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate, keep_best
from synth.search.closeness import train_accuracy
from synth.data.task import Challenge, Grid

MAX_VARIANTS = 40
N_NEAR_MISSES = 8
MIN_NEAR_MISS_ACCURACY = 0.5


@dataclass(frozen=True)
class Library:
    """The parsed programs of some golden-program folders, and the files that failed."""

    folders: tuple[Path, ...]
    programs: tuple[tuple[str, ast.Program], ...]
    unparseable: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        """What was loaded: folders, program count, and every file that failed to parse."""
        return {"folders": [_shown(f) for f in self.folders], "programs": len(self.programs),
                "unparseable": list(self.unparseable)}


def _shown(folder: Path) -> str:
    """A library folder as `library/NAME` when it is one of the shipped ones."""
    root = DEFAULT_LIBRARY.parent
    return f"library/{folder.name}" if folder.parent == root else str(folder)


@cache
def load_library(folders: tuple[Path, ...] = (DEFAULT_LIBRARY,)) -> Library:
    """Every `.dsl` program of the folders with its file stem; a file that cannot be read or
    parsed is listed in `unparseable` (path and reason), never dropped in silence."""
    programs, failed = [], []
    for path in (p for folder in folders for p in library_files(folder)):
        try:
            programs.append((path.stem, parse_program(path.read_text(encoding="utf-8"))))
        except (DSLError, OSError, UnicodeDecodeError) as err:
            failed.append(f"{path}: {err}")
    return Library(folders, tuple(programs), tuple(failed))


def program_scores(programs: Sequence[tuple[str, ast.Program]], probabilities: dict[str, float]
                   ) -> list[float]:
    """Per program, the mean log-probability of the registry names it uses (0 for none)."""
    scores = []
    for _, program in programs:
        logs = [math.log(max(probabilities[n], 1e-12)) for n in ast.program_names(program)
                if n in probabilities]
        scores.append(sum(logs) / len(logs) if logs else 0.0)
    return scores


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

    folders: tuple[Path, ...] = (DEFAULT_LIBRARY,)
    guide: Guide | None = None
    name: str = "library"
    tried: int = 0
    left_out: list[str] = field(default_factory=list)

    def warm_up(self) -> None:
        """Parse the library (cached per process)."""
        load_library(self.folders)

    def stats(self) -> dict[str, Any]:
        """Programs tried, those left out (leave-one-out), and what failed to parse."""
        library = load_library(self.folders)
        return {"tried": self.tried, "programs": len(library.programs),
                "left_out": list(self.left_out), "unparseable": len(library.unparseable)}

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        self.tried, self.left_out = 0, []
        near: list[tuple[float, int, ProgramCandidate]] = []
        yield from self._verified(task, analysis, budget, near)
        for _, _, cand in sorted(near, key=lambda item: item[:2], reverse=True):
            yield cand

    def _verified(self, task: Challenge, analysis: TaskAnalysis, budget: Budget,
                  near: list[tuple[float, int, ProgramCandidate]]) -> Iterator[Candidate]:
        """Verified programs; the best near misses are kept in the heap `near`.

        Two passes: every program as written first, then the variants of the programs, those
        whose plain run came closest to the train outputs first (ties: the guide's score, then
        library order)."""
        inputs = list(task.inputs)
        seen: set[str] = set()
        closeness: list[tuple[float, int]] = []
        programs = load_library(self.folders).programs
        for index, (stem, program) in enumerate(programs):
            if stem == task.id:
                self.left_out.append(stem)
                continue
            if budget.expired():
                return
            found, accuracy = self._try(program, stem, task, inputs, budget, seen, near)
            if found is not None:
                yield found
            closeness.append((accuracy, index))
        palette = sorted(analysis.palette)
        scores = [0.0] * len(programs) if self.guide is None else program_scores(
            programs, self.guide.primitive_probabilities([(ex.input, ex.output)
                                                          for ex in task.train]))
        for _, index in sorted(closeness, key=lambda item: (item[0], scores[item[1]], -item[1]),
                               reverse=True):
            stem, program = programs[index]
            for variant in itertools.islice(variants(program, palette), 1, None):
                if budget.expired():
                    return
                found, _ = self._try(variant, stem, task, inputs, budget, seen, near)
                if found is not None:
                    yield found

    def _try(self, program: ast.Program, stem: str, task: Challenge, inputs: list[Grid],
             budget: Budget, seen: set[str], near: list[tuple[float, int, ProgramCandidate]]
             ) -> tuple[ProgramCandidate | None, float]:
        """Run one program (once per text): the candidate when it fits every train pair, and
        its train accuracy (0 when it fails); close misses go onto `near`."""
        text = format_program(program)
        if text in seen:
            return None, 0.0
        seen.add(text)
        self.tried += 1
        budget.spend()
        try:
            outputs = run_compiled(program, inputs, typecheck=False)
        except DSLError:
            return None, 0.0
        if not all(isinstance(o, np.ndarray) and o.dtype == np.uint8 for o in outputs):
            return None, 0.0
        n = len(task.train)
        cand = ProgramCandidate(text, self.name, tuple(outputs[:n]), tuple(outputs[n:]),
                                origin=f"golden:{stem}", prior=0.5,
                                cost=len(program.entry.body))
        if train_matches(outputs[:n], task):
            return cand, 1.0
        accuracy = train_accuracy(outputs[:n], task)
        if accuracy >= MIN_NEAR_MISS_ACCURACY:
            keep_best(near, (accuracy, -self.tried, replace(cand, prior=0.5 * accuracy)),
                      N_NEAR_MISSES)
        return None, accuracy

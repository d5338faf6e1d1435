"""Prompts for program-writing models: a DSL reference from the registry, worked examples,
the task as text grids, and refinement prompts that show a program's mistakes.

Everything a prompt says about the language is generated from the registry, so a new
primitive is in every prompt at once. Worked examples are golden programs of training tasks
chosen by the caller (never the task's own, never an evaluation-set program); the task's test
outputs never appear (a `Challenge` has none).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dsl.registry import FAMILIES, Registry
from synth.data.golden import diff_cells
from synth.data.task import Challenge, Grid
from synth.models.gridtext import grid_to_text, task_text

FENCE = re.compile(r"```[a-zA-Z]*\n(.*?)```", re.DOTALL)
MAX_WRONG_PAIRS = 3

INSTRUCTIONS = """You write programs in a small typed language of grid primitives. A program \
maps every example input grid to its output grid. Grids are written one digit (a colour 0-9) \
per cell, one line per row. Programs are straight-line: one call per line, each result \
assigned to a new variable, the last assignment (`O`) is the answer. Colours may be written \
as numbers or names (black blue red green yellow grey magenta orange sky maroon).
Reply with the program only, in this form:
solve(I: Grid) -> Grid:
    x1 = ...
    O = ..."""


@dataclass(frozen=True)
class Example:
    """A worked example: a training task and the golden program that solves it."""

    task: Challenge
    program: str


def dsl_reference(registry: Registry, names: Sequence[str] | None = None) -> str:
    """One line per primitive (signature and doc line), grouped by family; `names` limits it."""
    wanted = set(names) if names is not None else None
    lines = []
    for family in FAMILIES:
        prims = [p for p in registry.family(family) if wanted is None or p.name in wanted]
        if prims:
            lines.append(f"# {family}")
            lines.extend(f"{p.signature}  -- {p.doc}" for p in prims)
    return "\n".join(lines)


def program_prompt(task: Challenge, reference: str, examples: Sequence[Example]) -> str:
    """The prompt asking for a program that solves `task`."""
    parts = [INSTRUCTIONS, "Primitives:\n" + reference]
    for i, ex in enumerate(examples, 1):
        parts.append(f"Example task {i}:\n{task_text(ex.task)}\nA program that solves it:\n"
                     f"{ex.program.strip()}")
    parts.append(f"Task:\n{task_text(task)}\nA program that solves it:")
    return "\n\n".join(parts) + "\n"


def transduction_prompt(task: Challenge, test_index: int) -> str:
    """The task's pairs as text grids, ending with one test input and an open `output:` for a
    grid-writing model to continue."""
    return task_text(task, test_index)


def _verdict(index: int, output: Grid | None, expected: Grid) -> str | None:
    if output is None:
        return f"pair {index}: the program failed on this input"
    if output.shape == expected.shape and (output == expected).all():
        return None
    return (f"pair {index}: {diff_cells(output, expected)}\n"
            f"it produced:\n{grid_to_text(output)}")


def refine_prompt(base: str, program: str, task: Challenge,
                  outputs: Sequence[Grid | None]) -> str:
    """`base` followed by a previous attempt, what it got wrong per pair, and a request to
    fix it (at most `MAX_WRONG_PAIRS` wrong pairs are shown)."""
    verdicts = [v for i, (out, ex) in enumerate(zip(outputs, task.train))
                if (v := _verdict(i, out, ex.output)) is not None][:MAX_WRONG_PAIRS]
    right = len(task.train) - sum(1 for out, ex in zip(outputs, task.train)
                                  if _verdict(0, out, ex.output) is not None)
    return (f"{base}{program.strip()}\n\nThis program is right on {right} of "
            f"{len(task.train)} examples. Its mistakes:\n" + "\n".join(verdicts)
            + "\n\nWrite a corrected program:\n")


def extract_program(text: str) -> str:
    """The program in a model's reply: the first fenced block if any, else the text from the
    first `solve(` (or `def `) line on."""
    fenced = FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.lstrip().startswith(("solve(", "def "))), 0)
    return "\n".join(lines[start:]).strip() + "\n"

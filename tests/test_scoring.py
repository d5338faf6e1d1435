"""pass@2 scoring, the two aggregates, and Kaggle submission files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synth.data.scoring import aggregate, grids_equal, output_correct, task_score
from synth.data.submission import (empty_entry, submission_entry, validate_submission,
                              write_json_atomic)
from synth.data.task import make_grid

TRUTH = make_grid([[1, 2, 3], [4, 5, 6]])
SAME_CELLS_OTHER_SHAPE = make_grid([[1, 2], [3, 4], [5, 6]])
FLAT = make_grid([[1, 2, 3, 4, 5, 6]])
WRONG = make_grid([[1, 2, 3], [4, 5, 0]])


def test_grids_equal_needs_same_shape() -> None:
    assert grids_equal(TRUTH, make_grid([[1, 2, 3], [4, 5, 6]]))
    assert not grids_equal(TRUTH, SAME_CELLS_OTHER_SHAPE)
    assert not grids_equal(TRUTH, FLAT)
    assert not grids_equal(TRUTH, None) and not grids_equal(None, None)


@pytest.mark.parametrize(("attempts", "expected"), [
    ((TRUTH, WRONG), True),
    ((WRONG, TRUTH), True),
    ((TRUTH, TRUTH), True),
    ((WRONG, WRONG), False),
    ((SAME_CELLS_OTHER_SHAPE, FLAT), False),
    ((WRONG, SAME_CELLS_OTHER_SHAPE, TRUTH), False),
    ((TRUTH,), True),
    ((), False),
])
def test_output_correct_pass_at_2(attempts: tuple, expected: bool) -> None:
    assert output_correct(attempts, TRUTH) is expected


def test_output_correct_unknown_truth() -> None:
    assert output_correct((TRUTH, TRUTH), None) is None


def test_task_score() -> None:
    assert task_score([True, False]) == 0.5
    assert task_score([True, True, True]) == 1.0
    assert task_score([False]) == 0.0
    assert task_score([True, None]) is None
    assert task_score([]) is None


def test_aggregates_differ_on_multi_output_tasks() -> None:
    # Task A: 1 of 2 outputs solved (0.5); B: 1 of 1 (1.0); C: 0 of 3 (0.0).
    # score_task = (0.5 + 1.0 + 0.0) / 3 = 0.5; score_output = (1 + 1 + 0) / (2 + 1 + 3) = 1/3.
    score_task, score_output = aggregate([[True, False], [True], [False, False, False]])
    assert score_task == pytest.approx(0.5)
    assert score_output == pytest.approx(1 / 3)


def test_aggregates_agree_on_single_output_tasks() -> None:
    score_task, score_output = aggregate([[True], [False], [True], [True]])
    assert score_task == score_output == pytest.approx(0.75)


def test_tasks_without_outputs_are_excluded() -> None:
    # The hidden task (unknown outputs) counts neither as a task nor as outputs.
    with_hidden = aggregate([[True, False], [None, None], [True], [True, None]])
    assert with_hidden == aggregate([[True, False], [True]])
    assert with_hidden == (pytest.approx(0.75), pytest.approx(2 / 3))


def test_aggregate_of_nothing_is_zero() -> None:
    assert aggregate([]) == (0.0, 0.0)
    assert aggregate([[None]]) == (0.0, 0.0)


def _valid_submission() -> dict[str, Any]:
    return {"a": submission_entry([(TRUTH, WRONG)]),
            "b": submission_entry([(TRUTH, TRUTH), (WRONG, FLAT)])}


N_TESTS = {"a": 1, "b": 2}


def test_submission_entry_form() -> None:
    entry = submission_entry([(TRUTH, FLAT)])
    assert entry == [{"attempt_1": [[1, 2, 3], [4, 5, 6]], "attempt_2": [[1, 2, 3, 4, 5, 6]]}]
    assert all(type(v) is int for v in entry[0]["attempt_1"][0])
    assert empty_entry(2) == [{"attempt_1": [[0]], "attempt_2": [[0]]}] * 2


def test_valid_submission_has_no_problems() -> None:
    submission = json.loads(json.dumps(_valid_submission()))
    assert validate_submission(submission, N_TESTS) == []


def test_missing_task() -> None:
    submission = _valid_submission()
    del submission["b"]
    assert validate_submission(submission, N_TESTS) == ["b: expected a list of 2 attempt dicts"]


def test_wrong_count() -> None:
    submission = _valid_submission()
    submission["b"] = submission["b"][:1]
    submission["a"] = submission["a"] * 2
    assert validate_submission(submission, N_TESTS) == [
        "a: expected a list of 1 attempt dicts", "b: expected a list of 2 attempt dicts"]


def test_missing_attempt_key() -> None:
    submission = _valid_submission()
    del submission["b"][1]["attempt_2"]
    assert validate_submission(submission, N_TESTS) == [
        "b[1].attempt_2: missing or not a valid grid"]


@pytest.mark.parametrize("grid", [
    [[1, 2], [3]],
    [[10]],
    [[-1]],
    [[True]],
    [[1.0]],
    [["1"]],
    [],
    [[]],
    [[0]] * 31,
    [[0] * 31],
    None,
    "[[0]]",
])
def test_bad_grid(grid: Any) -> None:
    submission = _valid_submission()
    submission["a"][0]["attempt_1"] = grid
    assert validate_submission(submission, N_TESTS) == [
        "a[0].attempt_1: missing or not a valid grid"]


def test_attempt_not_a_dict_and_extra_task() -> None:
    submission = _valid_submission()
    submission["a"] = [[[0]]]
    submission["zzz"] = empty_entry(1)
    assert validate_submission(submission, N_TESTS) == [
        "a[0].attempt_1: missing or not a valid grid",
        "a[0].attempt_2: missing or not a valid grid",
        "zzz: not in the dataset"]


def test_write_json_atomic(tmp_path: Path) -> None:
    path = tmp_path / "out" / "submission.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, _valid_submission())
    assert json.loads(path.read_text(encoding="utf-8")) == _valid_submission()
    assert [p.name for p in path.parent.iterdir()] == ["submission.json"]


def test_write_json_atomic_failure_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "submission.json"
    write_json_atomic(path, {"a": 1})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"a": object()})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["submission.json"]

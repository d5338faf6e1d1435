"""Kaggle submission files: building entries, validating them, and atomic JSON writes."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from synth.data.atomic import write_json_atomic
from synth.data.errors import InputError
from synth.data.task import Grid, grid_to_list, parse_grid

__all__ = ["empty_entry", "submission_entry", "validate_submission", "write_json_atomic"]


EMPTY_ATTEMPT: list[list[int]] = [[0]]


def submission_entry(attempts: Sequence[tuple[Grid, Grid]]) -> list[dict[str, list[list[int]]]]:
    """One `{"attempt_1", "attempt_2"}` dict per test input, in order."""
    return [{"attempt_1": grid_to_list(a1), "attempt_2": grid_to_list(a2)} for a1, a2 in attempts]


def empty_entry(n_test: int) -> list[dict[str, list[list[int]]]]:
    """The entry for a task where nothing was found: `[[0]]` for both attempts."""
    return [{"attempt_1": EMPTY_ATTEMPT, "attempt_2": EMPTY_ATTEMPT} for _ in range(n_test)]


def _valid_grid(value: Any) -> bool:
    """A JSON grid passing the same validation as task files (`synth.data.task.parse_grid`)."""
    try:
        parse_grid(value, "attempt")
    except InputError:
        return False
    return True


def validate_submission(submission: Mapping[str, Any], n_tests: Mapping[str, int]) -> list[str]:
    """Return the problems found (empty when valid): every task, every test, both attempts."""
    problems = []
    for task_id, n in n_tests.items():
        entry = submission.get(task_id)
        if not isinstance(entry, list) or len(entry) != n:
            problems.append(f"{task_id}: expected a list of {n} attempt dicts")
            continue
        for i, attempt in enumerate(entry):
            for key in ("attempt_1", "attempt_2"):
                if not isinstance(attempt, dict) or not _valid_grid(attempt.get(key)):
                    problems.append(f"{task_id}[{i}].{key}: missing or not a valid grid")
    problems += [f"{task_id}: not in the dataset" for task_id in submission if task_id not in n_tests]
    return problems

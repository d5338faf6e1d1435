"""The `synth` command end to end: solve (text, --json, --out), dsl list/check/fmt."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.cli.main import main


def test_solve_prints_program_attempts_and_verdict(examples_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(examples_dir / "3c9b0459.json"), "--time-limit", "10"]) == 0
    out = capsys.readouterr().out
    assert "program found by" in out and "rot180(I)" in out
    assert "test 0: correct (pass@2 against the known output)" in out
    assert "search:" in out and "verified" in out
    assert "laws (Z3" in out and "out_h = " in out and "agreement:" in out


def test_solve_with_a_bad_voter_file_is_exit_2(examples_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "voter.json"
    bad.write_text("{not json")
    assert main(["solve", str(examples_dir / "3c9b0459.json"), "--voter", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err
    assert main(["eval", str(examples_dir), "--voter", str(tmp_path / "missing.json"),
                 "--out", str(tmp_path / "run")]) == 2
    assert "missing.json" in capsys.readouterr().err and not (tmp_path / "run").exists()


def test_solve_json_and_submission_entry(examples_dir: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "submission.json"
    assert main(["solve", str(examples_dir / "a416b8f3.json"), "--time-limit", "10", "--json",
                 "--out", str(target)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["task"] == "a416b8f3" and result["program"]
    assert set(result["attempts"][0]) == {"attempt_1", "attempt_2"}
    assert json.loads(target.read_text()) == {"a416b8f3": result["attempts"]}


def test_dsl_list_check_and_fmt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dsl", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 100 and {"name", "family", "signature", "doc"} <= set(rows[0])
    program = tmp_path / "p.dsl"
    program.write_text("solve(I:Grid)->Grid:\n  O=rot180( I )\n")
    assert main(["dsl", "check", str(program), "--task", "arc1:train:3c9b0459"]) == 0
    assert "solves arc1:train:3c9b0459" in capsys.readouterr().out
    assert main(["dsl", "fmt", "--write", str(program)]) == 0
    assert program.read_text() == "solve(I: Grid) -> Grid:\n    O = rot180(I)\n"
    program.write_text("solve(I: Grid) -> Grid:\n    O = rot90(I)\n")
    assert main(["dsl", "check", str(program), "--task", "arc1:train:3c9b0459"]) == 3


@pytest.mark.parametrize("body, where", [
    ("    x1 = objects(I, connect=8\n    O = crop(I, bbox(x1))\n", "line 2"),
    ("    O = rot91(I)\n", "unknown primitive"),
    ("    O = tile(I, I, 2)\n", "line 2"),
])
def test_dsl_check_of_a_bad_program_is_bad_input(tmp_path: Path, body: str, where: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    program = tmp_path / "bad.dsl"
    program.write_text("solve(I: Grid) -> Grid:\n" + body)
    assert main(["dsl", "check", str(program)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(f"synth: error: {program}: ") and where in captured.err


def test_a_task_reference_with_an_unknown_dataset_names_the_task(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "arc3:eval:00576224"]) == 2
    err = capsys.readouterr().err
    assert "TASK: 'arc3:eval:00576224' is neither a task file nor DATASET:ID" in err
    assert "DATASET:" not in err.split("TASK:")[0]


def test_the_plain_eval_log_names_the_running_mean(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    task = {"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[2]],
                                                                      "output": [[2]]}]}
    (folder / "same.json").write_text(json.dumps(task))
    assert main(["eval", str(folder), "--solver", "baseline", "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "[1/1] same solved" in err and "(running mean score_task 1.000)" in err

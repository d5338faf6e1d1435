"""The solve loop's contracts: proposers by name, grid answers in the ranking, answer-free
solvers, the library's scope, reproducible mode and the one configuration table."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from synth.analysis.features import TaskAnalysis
from synth.cli.main import build_parser, main
from synth.data.errors import InputError
from synth.data.golden import library_scope
from synth.data.options import flagged_fields, settings
from synth.data.task import Challenge, Example, Task, make_grid
from synth.proposers.base import Budget, GridCandidate, Pool, ProgramCandidate, SearchOptions
from synth.proposers.library import load_library
from synth.proposers.registry import PROPOSERS, Stage, parse_plan, plan_text
from synth.run.config import EvalConfig, SolveConfig
from synth.run.evaluate import run_identity
from synth.run.solve import solve_task
from synth.select.rank import rank

FLIP = Task("flip", (Example(make_grid([[1, 2], [3, 4]]), make_grid([[2, 1], [4, 3]])),
                     Example(make_grid([[5, 0, 0]]), make_grid([[0, 0, 5]]))),
            (Example(make_grid([[7, 8]]), make_grid([[8, 7]])),))
FLIPPED = (make_grid([[8, 7]]),)
ODD = (make_grid([[3, 3]]),)


@dataclasses.dataclass
class GridProposer:
    """A direct-output proposer that lives in the tests: it answers fixed grids."""

    answers: tuple[tuple[np.ndarray, ...], ...]
    name: str = "grid-test"
    confidence: float = 0.5

    def warm_up(self) -> None:
        """Nothing to load."""

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[GridCandidate]:
        for outputs in self.answers:
            yield GridCandidate(outputs, self.name, self.confidence)

    def stats(self) -> dict[str, Any]:
        return {"answers": len(self.answers)}


@dataclasses.dataclass
class ProgramProposer:
    """Yields fixed program candidates (verified or not, as their train outputs say)."""

    candidates: tuple[ProgramCandidate, ...]
    name: str = "programs-test"

    def warm_up(self) -> None:
        """Nothing to load."""

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[ProgramCandidate]:
        yield from self.candidates

    def stats(self) -> dict[str, Any]:
        return {}


FLIP_H_TEXT = "solve(I: Grid) -> Grid:\n    O = flip_h(I)\n"
TRANSPOSE_TEXT = "solve(I: Grid) -> Grid:\n    O = transpose(I)\n"


def program(text: str, test_outputs: tuple[np.ndarray, ...], right: bool = True
            ) -> ProgramCandidate:
    train = tuple(ex.output if right else ex.input for ex in FLIP.train)
    return ProgramCandidate(text, "programs-test", train, test_outputs, prior=1.0, cost=2)


def solve_with(*proposers: Any, **config: Any) -> Any:
    stages = [Stage(p, 1.0) for p in proposers]
    return solve_task(FLIP.challenge(), SolveConfig(time_limit=10, **config), stages)


# ---------------------------------------------------------------- grid answers

def test_a_grid_answer_alone_becomes_attempt_1_with_its_proposer() -> None:
    solution = solve_with(GridProposer((FLIPPED,)))
    assert solution.program is None and solution.proposer == "grid-test"
    assert np.array_equal(solution.attempts[0][0], FLIPPED[0])
    assert solution.stats["grid_answers"] == 1
    assert solution.alternatives[0]["verified"] is False
    assert solution.alternatives[0]["grids"] == 1


def test_grid_answers_rank_below_verified_programs_and_above_partials() -> None:
    verified = program(FLIP_H_TEXT, ODD)
    partial = program(TRANSPOSE_TEXT, (make_grid([[1]]),), right=False)
    solution = solve_with(ProgramProposer((verified, partial)), GridProposer((FLIPPED,)))
    first, second = solution.attempts[0]
    assert np.array_equal(first, ODD[0]) and np.array_equal(second, FLIPPED[0])
    assert solution.program == FLIP_H_TEXT
    alone = rank(FLIP.challenge(), [], [partial],
                 grids=[GridCandidate(FLIPPED, "grid-test", 0.5)])
    assert np.array_equal(alone.attempts[0][0], FLIPPED[0])
    assert np.array_equal(alone.attempts[0][1], [[1]])


def test_a_program_and_a_grid_model_agreeing_count_as_agreement() -> None:
    solution = solve_with(ProgramProposer((program(FLIP_H_TEXT, FLIPPED),)), GridProposer((FLIPPED,)),
                          agreement=2)
    assert solution.stats["agreement"] == 2
    assert solution.alternatives[0]["proposers"] == ["grid-test", "programs-test"]
    assert solution.program == FLIP_H_TEXT and solution.proposer == "programs-test"
    alone = solve_with(GridProposer((FLIPPED,), name="a"), GridProposer((FLIPPED,), name="b"))
    assert alone.stats["agreement"] == 0, "grid answers alone do not end the search"


def test_malformed_grid_answers_are_counted_and_dropped() -> None:
    ragged = (make_grid(np.zeros((31, 2))),)
    solution = solve_with(GridProposer((ragged, FLIPPED + FLIPPED)))
    assert solution.stats["rejected_grid_answers"] == 2 and solution.proposer is None


# ---------------------------------------------------------------- proposers by name

def test_plan_text_round_trips_and_fills_default_shares() -> None:
    plan = parse_plan("library, enumerative:0.5,beam")
    assert plan == (("library", 0.1), ("enumerative", 0.5), ("beam", 1.0))
    assert parse_plan(plan_text(plan)) == plan


@pytest.mark.parametrize("text, message", [
    ("enumerativ", "did you mean 'enumerative'"),
    ("oracle", "unknown proposer 'oracle'"),
    ("beam:2", "(0, 1]"),
    ("beam,beam", "named twice"),
    ("", "no proposer"),
])
def test_bad_plans_are_input_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("]", r"\]")):
        parse_plan(text)


def test_every_registered_proposer_follows_the_protocol() -> None:
    for name, entry in PROPOSERS.items():
        proposer = entry.build(SearchOptions())
        assert proposer.name == name and entry.doc
        proposer.warm_up()
        assert isinstance(proposer.stats(), dict)


def test_the_plan_decides_which_stages_run() -> None:
    config = SolveConfig(time_limit=10, proposers="enumerative")
    solution = solve_task(FLIP.challenge(), config)
    assert list(solution.stats["stages"]) == ["enumerative"]
    assert "flip_h" in solution.program


def test_unknown_solver_and_proposer_names_exit_2_with_a_suggestion(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "examples/3c9b0459.json", "--solver", "serch"]) == 2
    assert "did you mean 'search'" in capsys.readouterr().err
    assert main(["solve", "examples/3c9b0459.json", "--proposers", "libary"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'library'" in err and err.count("\n") == 1


# ---------------------------------------------------------------- answer-free solvers

def test_a_challenge_has_no_test_outputs() -> None:
    challenge = FLIP.challenge()
    assert not hasattr(challenge, "test")
    assert all(isinstance(g, np.ndarray) for g in challenge.test_inputs)
    assert [f.name for f in dataclasses.fields(challenge)] == ["id", "train", "test_inputs"]


def test_a_peeking_solver_finds_no_answers_in_eval(tmp_path: Path) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    (folder / "flip.json").write_text(json.dumps(FLIP.to_json()))
    out = tmp_path / "out"
    code = main(["eval", str(folder), "--solver", "tests.helpers:peeking", "--out", str(out),
                 "--no-progress", "--time-limit", "10"])
    assert code == 0
    record = json.loads((out / "results.json").read_text())["tasks"]["flip"]
    assert record["status"] == "unsolved" and record["proposer"] is None


def test_a_peeking_solver_finds_no_answers_in_solve(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "arc1:train:3c9b0459", "--solver", "tests.helpers:peeking",
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["proposer"] is None and result["correct"] == [False]


# ---------------------------------------------------------------- the library's scope

def test_library_refuses_evaluation_folders(tmp_path: Path) -> None:
    named = tmp_path / "arc1-eval"
    named.mkdir()
    with pytest.raises(InputError, match="named for arc1:eval"):
        library_scope(str(named))
    sneaky = tmp_path / "mine"
    sneaky.mkdir()
    (sneaky / "00576224.dsl").write_text("solve(I: Grid) -> Grid:\n    O = I\n")
    with pytest.raises(InputError, match="evaluation tasks .00576224"):
        library_scope(str(sneaky))
    with pytest.raises(InputError, match="no library folder"):
        library_scope(str(tmp_path / "missing"))


def test_library_counts_programs_that_fail_to_parse(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "aaaa0001.dsl").write_text("solve(I: Grid) -> Grid:\n    O = rot90(I)\n")
    (folder / "aaaa0002.dsl").write_text("solve(I: Grid) -> Grid:\n    O = rot90(I\n")
    library = load_library(library_scope(str(folder)))
    assert len(library.programs) == 1 and len(library.unparseable) == 1
    assert "aaaa0002.dsl" in library.unparseable[0]
    assert main(["solve", "examples/3c9b0459.json", "--library", str(folder), "--json",
                 "--time-limit", "5"]) == 0
    captured = capsys.readouterr()
    assert "1 library program failed to parse" in captured.err
    stages = json.loads(captured.out)["stats"]["stages"]
    assert stages["library"]["unparseable"] == 1


# ---------------------------------------------------------------- one configuration

def test_every_setting_is_a_flag_and_the_identity_is_derived() -> None:
    names = {f.name for f, _ in flagged_fields(EvalConfig)}
    solve = {f.name for f in dataclasses.fields(SolveConfig)} - {"search"}
    search = {f.name for f in dataclasses.fields(SearchOptions)} - {"deterministic"}
    assert solve | search <= names
    identity = settings(EvalConfig("arc1:train"), identity_only=True)
    assert {"time_limit", "work_limit", "proposers", "beam", "seed", "memory_mb"} <= set(identity)
    assert "workers" not in identity and "out_dir" not in identity


def test_eval_help_gives_every_flag_a_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["eval", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for flag in ("--workers N", "--beam N", "--seed N", "--work-limit N"):
        assert flag in text
    assert text.count("(default") >= 14


def test_range_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["solve", "x.json", "--time-limit", "-1"], ["eval", "x", "--workers", "0"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "must be > 0" in err and "usage" not in err


# ---------------------------------------------------------------- reproducible mode

def test_reproducible_mode_gives_identical_results(tmp_path: Path) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    (folder / "flip.json").write_text(json.dumps(FLIP.to_json()))
    noise = Task("noise", (Example(make_grid([[1, 2]]), make_grid([[3]])),
                           Example(make_grid([[4, 4]]), make_grid([[9, 9, 9]]))),
                 (Example(make_grid([[5, 6]]), make_grid([[1]])),))
    (folder / "noise.json").write_text(json.dumps(noise.to_json()))
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["eval", str(folder), "--work-limit", "3000", "--out", str(out),
                     "--no-progress", "--time-limit", "60"]) == 0
        runs.append(json.loads((out / "results.json").read_text()))
    for run in runs:
        assert run["config"]["mode"] == "reproducible"
        for record in run["tasks"].values():
            record.pop("time_s")
    assert runs[0] == runs[1]


def test_the_work_budget_is_shared_and_counted() -> None:
    budget = Budget.from_seconds(100, work_limit=100)
    half = budget.share(0.5)
    assert half.work_limit == 50 and half.deadline == budget.deadline
    half.spend(49)
    assert not half.expired() and half.expired(pending=1)
    half.spend(1)
    assert half.expired() and not budget.expired()
    assert budget.share(0.5).work_limit == 75
    assert run_identity(EvalConfig("x", solve=SolveConfig(work_limit=5)),
                        type("D", (), {"version": "v"})())["work_limit"] == 5

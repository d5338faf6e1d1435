"""Tests of the meta-voter: named features and proposer columns, training rows, training on
fake runs, the voter file (the shipped one included), replay arithmetic and the orders."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from synth.cli import main as cli
from synth.data.errors import InputError
from synth.data.task import Challenge, Grid, parse_task
from synth.proposers.registry import PROPOSERS, RESERVED
from synth.select.voter import (BASE_FEATURES, Checks, Voter, alternative_checks,
                                alternative_features, feature_matrix, feature_names,
                                heuristic_order, invariant_order, load_runs, order_figures,
                                predict, replay, task_features, train_voter, training_rows,
                                voted_order)

N_TASKS = 40
UNKNOWN = {"size": None, "palette": None, "preserved": None}
SHIPPED = Path(__file__).resolve().parents[1] / "voters" / "arc1-train.json"


def no_checks(task: Challenge, outputs: Sequence[Sequence[Grid]]) -> list[Checks]:
    """A checker stub: no invariant known."""
    return [UNKNOWN] * len(outputs)


def grid(rng: np.random.Generator) -> list[list[int]]:
    """A random 3x3 grid of colours 1..4."""
    return rng.integers(1, 5, size=(3, 3)).tolist()


def alternative(outputs: list, verified: bool, members: int, **extra: Any) -> dict[str, Any]:
    """A recorded alternative with neutral support apart from `members`."""
    return {"outputs": outputs, "verified": verified, "proposers": ["enumerative"],
            "programs": 1, "members": members, "cost": 5, "prior": 0.5,
            "program": "solve(I: Grid) -> Grid:\n    O = I\n", **extra}


def challenge(train: list[tuple[list, list]], test: list[tuple[list, list]]) -> Challenge:
    """A Challenge from (input, output) pairs; the test outputs are dropped."""
    return parse_task({"train": [{"input": i, "output": o} for i, o in train],
                       "test": [{"input": i, "output": o} for i, o in test]}, "t").challenge()


def members_tasks(seed: int, right_proposers: Sequence[str] = ("enumerative",)
                  ) -> dict[str, tuple[dict, list[dict]]]:
    """Tasks whose right verified alternative has 5 members and the wrong ones 1, placed at a
    random rank among three verified alternatives, then one unverified fallback; the right
    one is supported by `right_proposers`."""
    rng = np.random.default_rng(seed)
    tasks = {}
    for k in range(N_TASKS):
        test_in, truth = grid(rng), grid(rng)
        task = {"train": [{"input": grid(rng), "output": grid(rng)}],
                "test": [{"input": test_in, "output": truth}]}
        wrong = [alternative([grid(rng)], True, 1) for _ in range(2)]
        verified = wrong[:]
        verified.insert(int(rng.integers(0, 3)),
                        alternative([truth], True, 5, proposers=list(right_proposers)))
        tasks[f"t{seed}_{k:02d}"] = (task, verified + [alternative([grid(rng)], False, 1)])
    return tasks


def make_run(root: Path, tasks: dict[str, tuple[dict, list[dict]]],
             dataset: str | None = None) -> Path:
    """A run folder over a folder dataset of `tasks` (config.json + records.jsonl)."""
    folder = root / "tasks"
    folder.mkdir(parents=True)
    for task_id, (task, _) in tasks.items():
        (folder / f"{task_id}.json").write_text(json.dumps(task))
    run = root / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"dataset": dataset or str(folder.resolve()),
                                                 "time_limit": 30.0, "solver": "search"}))
    lines = [{"id": task_id, "record": {}, "entry": [], "error": None,
              "extras": {"alternatives": alts}} for task_id, (_, alts) in tasks.items()]
    (run / "records.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    return run


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(voter file, a held-out run): trained on one members_tasks run, the other unseen."""
    root = tmp_path_factory.mktemp("voter")
    train_run = make_run(root / "a", members_tasks(1))
    held_out = make_run(root / "b", members_tasks(2))
    path = root / "voter.json"
    train_voter([train_run], path, seed=0, checker=no_checks)
    return path, held_out


def test_features_are_named_and_encode_outputs_and_checks() -> None:
    task = challenge([([[1, 2]], [[2, 1]])], [([[3, 4]], [[4, 3]])])
    alts = [alternative([[[3, 4]]], True, 2, proposers=["library", "beam"]),
            alternative([[[5, 5, 5]]], True, 1),
            alternative([[[4, 3]]], False, 1, proposers=["transduction"], grids=1,
                        confidence=0.75, program=None)]
    assert len(set(BASE_FEATURES)) == len(BASE_FEATURES)
    row = alternative_features(task, alts, 0, {"size": True, "palette": False, "preserved": None})
    assert set(row) == {*BASE_FEATURES, "proposer_library", "proposer_beam"}
    assert row["identity"] == 1.0 and row["same_shape"] == 1.0 and row["kept_cells"] == 1.0
    assert (row["check_size"], row["check_palette"], row["check_preserved"]) == (1.0, 0.0, -1.0)
    assert row["proposer_library"] == row["proposer_beam"] == 1.0 == row["n_proposers"] - 1
    assert row["n_verified"] == 2.0 and row["members_share"] == pytest.approx(2 / 3)
    assert row["grids"] == row["confidence"] == 0.0  # absent from older records: 0
    other = alternative_features(task, alts, 1, UNKNOWN)
    assert other["single_colour"] == 1.0 and other["new_colours"] == 1.0
    assert other["kept_cells"] == -1.0 and other["area_ratio"] == 1.5 and other["rank"] == 1.0
    fallback = alternative_features(task, alts, 2, UNKNOWN)
    assert fallback["verified"] == 0.0 and fallback["members_share"] == 0.0
    assert fallback["train_accuracy"] == 0.5  # missing: the prior of an unverified one
    assert fallback["grids"] == 1.0 and fallback["confidence"] == 0.75
    assert fallback["proposer_transduction"] == 1.0 and "proposer_enumerative" not in fallback


def test_feature_names_cover_the_registry_and_every_seen_proposer() -> None:
    rows = [{"proposer_zeta": 1.0, "members": 2.0}, {"proposer_alpha": 1.0}]
    names = feature_names(rows)
    assert names[:len(BASE_FEATURES)] == BASE_FEATURES
    columns = names[len(BASE_FEATURES):]
    assert columns == tuple(sorted(columns))  # deterministic
    assert set(columns) == {f"proposer_{p}" for p in (*PROPOSERS, *RESERVED, "zeta", "alpha")}
    assert feature_names(rows[::-1]) == names
    assert feature_names(rows, proposers=()) == (*BASE_FEATURES, "proposer_alpha", "proposer_zeta")
    x = feature_matrix(rows, ("proposer_alpha", "members", "proposer_beam"))
    assert x.dtype == np.float32 and x.tolist() == [[0.0, 2.0, 0.0], [1.0, 0.0, 0.0]]
    assert feature_matrix([], names).shape == (0, len(names))


def test_training_rows_label_every_alternative(tmp_path: Path) -> None:
    tasks = members_tasks(3)
    rows = training_rows([make_run(tmp_path, tasks)], checker=no_checks)
    x, y = rows.x, rows.y
    assert x.shape == (4 * N_TASKS, len(rows.names)) and rows.names == feature_names([])
    assert int(y.sum()) == N_TASKS and len(set(rows.keys)) == N_TASKS
    members = x[:, rows.names.index("members")]
    assert set(members[y == 1]) == {5.0} and set(members[y == 0]) == {1.0}


def test_voter_learns_members_and_puts_the_right_one_first(trained: tuple[Path, Path]) -> None:
    path, held_out = trained
    voter = Voter.load(path, checker=no_checks)
    assert voter.meta["training"]["tasks"] == N_TASKS
    assert voter.meta["training"]["positives"] == N_TASKS
    tasks = load_runs([held_out])[0].tasks
    voted = [voter.order(rt.task, rt.alternatives) for rt in tasks]
    heuristic = [heuristic_order(rt.alternatives) for rt in tasks]
    assert order_figures(tasks, voted) == {"n_tasks": N_TASKS, "any_correct": N_TASKS,
                                           "score_task": 1.0, "ranking_gap": 0}
    assert all(rt.alternatives[o[0]]["members"] == 5 for rt, o in zip(tasks, voted))
    assert order_figures(tasks, heuristic)["ranking_gap"] > 0


def test_voter_order_keeps_unverified_alternatives_last(trained: tuple[Path, Path]) -> None:
    voter = Voter.load(trained[0], checker=no_checks)
    task = challenge([([[1]], [[2]])], [([[3]], [[4]])])
    alts = [alternative([[[4]]], False, 50), alternative([[[5]]], True, 1),
            alternative([[[6]]], False, 50), alternative([[[7]]], True, 5)]
    assert voter.order(task, alts) == [3, 1, 0, 2]
    assert voter.order(task, [alts[0], alts[2]]) == [0, 1]


def test_pure_orders() -> None:
    alts = [{"verified": True}, {"verified": False}, {"verified": True}, {"verified": True}]
    assert voted_order(alts, [0.2, 0.9, 0.7, 0.7]) == [2, 3, 0, 1]
    checks = [{"size": False, "palette": True}, UNKNOWN, {"size": None}, {"palette": True}]
    assert invariant_order(alts, checks) == [2, 3, 0, 1]


def test_recorded_checks_are_used_when_every_alternative_has_them() -> None:
    task = challenge([([[1]], [[2]])], [([[3]], [[4]])])
    calls: list[int] = []

    def counting(task: Challenge, outputs: Sequence[Sequence[Grid]]) -> list[Checks]:
        calls.append(len(outputs))
        return [{"size": True}] * len(outputs)

    alts = [alternative([[[4]]], True, 1, checks={"size": False}),
            alternative([[[5]]], True, 1, checks={})]
    assert alternative_checks(task, alts, counting) == [{"size": False}, {}] and calls == []
    assert alternative_checks(task, [alts[0], alternative([[[6]]], True, 1)], counting) == \
        [{"size": True}] * 2 and calls == [2]


def test_replay_arithmetic() -> None:
    alts = [{"correct": [True, False]}, {"correct": [False, False]}, {"correct": [False, True]},
            {"correct": [None, None]}]
    assert replay(alts, [0, 2], 2) == [True, True]
    assert replay(alts, [0, 1, 2], 2) == [True, False]
    assert replay(alts, [2, 0], 2) == [True, True]
    assert replay(alts, [1], 2) == [False, False]  # the identity fill-in counts as wrong
    assert replay(alts, [3, 1], 2) == [False, False]
    assert replay([], [], 1) == [False]


def test_training_refuses_evaluation_sets(tmp_path: Path) -> None:
    for dataset in ("arc1:eval", "arc2:eval", "/data/arc-agi_evaluation_challenges.json"):
        run = make_run(tmp_path / dataset.replace("/", "_"), members_tasks(4), dataset=dataset)
        with pytest.raises(InputError, match="evaluation set") as err:
            train_voter([run], tmp_path / "v.json", checker=no_checks)
        assert err.value.field == "dataset" and "config.json" in (err.value.file or "")
    flagged = make_run(tmp_path / "flagged", members_tasks(4))
    config = json.loads((flagged / "config.json").read_text())
    (flagged / "config.json").write_text(json.dumps({**config, "evaluation": True}))
    with pytest.raises(InputError, match="evaluation set"):
        train_voter([flagged], tmp_path / "v.json", checker=no_checks)
    assert not (tmp_path / "v.json").exists()


def test_cli_refuses_evaluation_sets_with_exit_2(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path, members_tasks(5), dataset="arc1:eval")
    assert cli.main(["voter", "train", str(run), "--out", str(tmp_path / "v.json")]) == 2
    assert "evaluation set" in capsys.readouterr().err


def test_malformed_alternative_names_file_task_and_field(tmp_path: Path) -> None:
    tasks = members_tasks(8)
    task_id = next(iter(tasks))
    tasks[task_id][1][1]["outputs"] = [[[1, 2], [3]]]
    with pytest.raises(InputError, match="ragged rows") as err:
        load_runs([make_run(tmp_path, tasks)])
    assert err.value.file.endswith("records.jsonl") and err.value.task_id == task_id
    assert err.value.field == "extras.alternatives[1].outputs[0][1]"


def test_bad_voter_files_are_input_errors(tmp_path: Path, trained: tuple[Path, Path]) -> None:
    with pytest.raises(InputError, match="no such file"):
        Voter.load(tmp_path / "missing.json")
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"format": "synth-vo')
    with pytest.raises(InputError, match="invalid JSON") as err:
        Voter.load(corrupt)
    assert err.value.file == str(corrupt)
    good = json.loads(trained[0].read_text())
    renamed = [{"members": "member_count"}.get(n, n) for n in good["features"]]
    cases = {"features": {**good, "features": good["features"][:-1]},
             "format": {**good, "format": "other"},
             "model": {**good, "model": {"learner": "nonsense"}},
             "unknown": {**good, "features": renamed},
             "twice": {**good, "features": good["features"][:-1] + ["verified"]}}
    for name, data in cases.items():
        bad = tmp_path / f"{name}.json"
        bad.write_text(json.dumps(data))
        with pytest.raises(InputError) as err:
            Voter.load(bad)
        field = "features" if name in ("unknown", "twice") else name
        assert err.value.field == field and err.value.file == str(bad)
    with pytest.raises(InputError, match="'member_count'"):
        Voter.load(tmp_path / "unknown.json")


def test_a_new_proposer_gets_its_column_without_editing_a_list(tmp_path: Path) -> None:
    run = make_run(tmp_path / "a", members_tasks(9, right_proposers=("enumerative", "oracle")))
    meta = train_voter([run], tmp_path / "v.json", checker=no_checks)
    assert "proposer_oracle" in meta["features"] and "proposer_llm" in meta["features"]
    voter = Voter.load(tmp_path / "v.json", checker=no_checks)
    assert voter.features == tuple(meta["features"])
    rows = training_rows([run], checker=no_checks)
    assert rows.names == voter.features
    column = rows.x[:, rows.names.index("proposer_oracle")]
    assert (column == rows.y).all()  # only the right alternatives have it
    task = challenge([([[1]], [[2]])], [([[3]], [[4]])])
    alts = [alternative([[[5]]], True, 1), alternative([[[4]]], True, 1,
                                                      proposers=["enumerative", "oracle"])]
    assert voter.order(task, alts) == [1, 0]


def test_a_voter_trained_without_a_proposer_ignores_its_column(
        trained: tuple[Path, Path]) -> None:
    voter = Voter.load(trained[0], checker=no_checks)
    assert "proposer_oracle" not in voter.features
    task = challenge([([[1]], [[2]])], [([[3]], [[4]])])
    plain = [alternative([[[5]]], True, 1), alternative([[[6]]], True, 5),
             alternative([[[7]]], True, 1)]
    extra = [dict(a, proposers=["oracle"]) for a in plain]
    rows = task_features(task, extra, [UNKNOWN] * 3)
    assert all(row["proposer_oracle"] == 1.0 for row in rows)
    x = feature_matrix(rows, voter.features)
    assert x[:, voter.features.index("proposer_enumerative")].tolist() == [0.0] * 3
    assert voter.order(task, plain) == voter.order(task, extra) == [1, 0, 2]
    assert voter.scores(task, extra).tolist() == \
        predict(voter.booster, x, voter.features).tolist()


def shipped_scores_case() -> tuple[Challenge, list[dict[str, Any]]]:
    """A task and four alternatives scored by the shipped voter before named features."""
    task = challenge([([[1, 2], [2, 1]], [[2, 1], [1, 2]]), ([[3, 0], [0, 3]], [[0, 3], [3, 0]])],
                     [([[1, 0], [0, 4]], [[0, 1], [4, 0]])])
    alts = [alternative([[[0, 1], [4, 0]]], True, 3, proposers=["enumerative", "library"],
                        programs=2, cost=4, prior=0.6, program="x",
                        checks={"size": True, "palette": True, "preserved": None}),
            alternative([[[1, 0], [0, 4]]], True, 1, proposers=["beam"], cost=2, prior=0.8,
                        program="x", checks={"size": True, "palette": True, "preserved": True}),
            alternative([[[5, 5, 5]]], True, 2, proposers=["sketch", "enumerative"], cost=7,
                        prior=0.3, program="x",
                        checks={"size": False, "palette": False, "preserved": None}),
            alternative([[[4, 0], [0, 1]]], False, 1, cost=3, prior=0.4, program="x",
                        checks={"size": True, "palette": True, "preserved": False})]
    return task, alts


def test_the_shipped_voter_loads_and_scores_as_before() -> None:
    voter = Voter.load(SHIPPED)
    assert "grids" not in voter.features and "proposer_library" in voter.features
    task, alts = shipped_scores_case()
    scores = voter.scores(task, alts)
    # computed with the fixed-list features (FEATURES) before they became named
    assert scores.tolist() == pytest.approx(
        [0.02442506141960621, 0.097875215113163, 0.01864609867334366, 0.0275222547352314],
        rel=1e-6)
    # the old row: every column computed, a proposer one as membership, in the stored order
    stored = [[float(name.removeprefix("proposer_") in alt["proposers"])
               if name.startswith("proposer_") else
               alternative_features(task, alts, i, alt["checks"])[name]
               for name in voter.features] for i, alt in enumerate(alts)]
    old_way = predict(voter.booster, np.array(stored, dtype=np.float32), voter.features)
    assert scores.tolist() == old_way.tolist()
    assert voter.order(task, alts) == [1, 0, 2, 3]
    # the base features added since do not move its scores; a proposer it was not trained
    # on counts in n_proposers only, like any other unknown one
    with_grids = [dict(a, grids=1, confidence=0.9) for a in alts]
    assert voter.scores(task, with_grids).tolist() == scores.tolist()
    llm, oracle = ([dict(a, proposers=[*a["proposers"], p]) for a in alts]
                   for p in ("llm", "oracle"))
    assert all(row["proposer_llm"] == 1.0
               for row in task_features(task, llm, [a["checks"] for a in alts]))
    assert voter.scores(task, llm).tolist() == voter.scores(task, oracle).tolist()


def test_voter_file_records_its_training(trained: tuple[Path, Path]) -> None:
    meta = Voter.load(trained[0], checker=no_checks).meta
    assert meta["features"] == list(feature_names([]))
    assert meta["training"]["rows"] == 4 * N_TASKS
    run = meta["training"]["runs"][0]
    assert run["dataset"].endswith("tasks") and run["time_limit"] == 30.0
    assert {"synth_version", "date", "params"} <= set(meta)


def test_cli_train_then_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "a", members_tasks(6))
    held_out = make_run(tmp_path / "b", members_tasks(7))
    path = tmp_path / "voter.json"
    assert cli.main(["voter", "train", str(run), "--out", str(path), "--seed", "1"]) == 0
    assert f"{4 * N_TASKS} alternatives of {N_TASKS} tasks, {N_TASKS} right" in \
        capsys.readouterr().out
    assert cli.main(["voter", "eval", str(held_out), "--voter", str(path)]) == 0
    assert "voter 1.0000 (gap 0)" in capsys.readouterr().out
    assert cli.main(["voter", "eval", str(held_out), "--voter", str(tmp_path / "no.json")]) == 2

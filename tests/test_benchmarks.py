"""Smoke tests of the offline benchmarks: they run on tiny inputs and report sane figures."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import bench_ranking  # noqa: E402
from tests.test_voter import make_run, members_tasks  # noqa: E402


def test_bench_ranking_cross_validates_on_training_runs(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    run = make_run(tmp_path / "a", members_tasks(3))
    out = tmp_path / "ranking.json"
    assert bench_ranking.main([str(run), "--folds", "4", "--json", str(out)]) == 0
    (figures,) = json.loads(out.read_text())["runs"]
    assert figures["votable"] == figures["any_correct"] == 40
    assert figures["voter_source"] == "4-fold cv"
    # the right alternative sits at a random rank among three: recorded order loses some
    assert figures["heuristic"]["ranking_gap"] > 0
    assert figures["voter"]["ranking_gap"] < figures["heuristic"]["ranking_gap"]
    assert "no voting" in capsys.readouterr().out


def test_bench_ranking_refuses_too_few_tasks_for_the_folds(tmp_path: Path) -> None:
    run = make_run(tmp_path / "a", dict(list(members_tasks(4).items())[:3]))
    assert bench_ranking.main([str(run), "--folds", "5"]) == 2


def test_bench_guide_compares_arms_on_the_same_tasks(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import bench_guide
    ids = tmp_path / "ids.txt"
    ids.write_text("007bbfb7\n")
    out = tmp_path / "guide.json"
    assert bench_guide.main(["arc1:train", "--ids", str(ids), "--arms", "unguided,pcfg",
                             "--proposers", "enumerative", "--work-limit", "40000",
                             "--time-limit", "60", "--workers", "1", "--out",
                             str(tmp_path / "runs"), "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert set(result["arms"]) == {"unguided", "pcfg"}
    for arm in result["arms"].values():
        assert arm["n_tasks"] == 1 and arm["solved_by_enumeration"] == ["007bbfb7"]
    comparison = result["nodes_to_first_vs_unguided"]["pcfg"]
    assert comparison["tasks"] == 1 and comparison["median_ratio"] > 0
    assert "nodes to first program" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        bench_guide.main(["arc1:train", "--arms", "nope"])

    from benchmarks import failures
    categories = failures.categorise(tmp_path / "runs" / "unguided")
    assert categories["tasks"] == 1 and categories["unsolved"] == []
    assert categories["categories"]["shape"] == {"scale or tile / solved": 1}
    evaluation = tmp_path / "eval-run"
    evaluation.mkdir()
    (evaluation / "config.json").write_text(json.dumps({"dataset": "arc1:eval"}))
    with pytest.raises(SystemExit, match="training tasks only"):
        failures.categorise(evaluation)


FAKE_ICECUBER = '''#!{python}
"""A stand-in for icecuber's `run INDEX DEPTH`: answers each test output with the right image
second (after a wrong one) when the task id sorts first, else with a wrong image only."""
import json, sys
from pathlib import Path
index, depth = int(sys.argv[1]), sys.argv[2]
samples = []
for path in sorted(Path("dataset/training").glob("*.json")):
    for i, test in enumerate(json.loads(path.read_text())["test"]):
        samples.append((path.stem, i, test["output"], path.stem == min(
            p.stem for p in Path("dataset/training").glob("*.json"))))
task_id, i, output, right = samples[index]
image = "|" + "|".join("".join(map(str, row)) for row in output) + "|"
lines = [f"{{task_id}}_{{i}}", "|9| 3.0", "|9| 2.5"]
if right:
    lines.append(f"{{image}} 1.0")
Path(f"output/answer_{{index}}_{{depth}}.csv").write_text("\\n".join(lines) + "\\n")
'''


def fake_icecuber(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout holding the stand-in `run`, and an id list of two training tasks."""
    checkout = tmp_path / "ARC-solution"
    checkout.mkdir()
    binary = checkout / "run"
    binary.write_text(FAKE_ICECUBER.format(python=sys.executable))
    binary.chmod(0o755)
    ids = tmp_path / "ids.txt"
    ids.write_text("007bbfb7\n00d62c1b\n")
    return checkout, ids


def test_icecuber_reference_scores_pass_at_2_and_compares(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from benchmarks import icecuber_reference
    checkout, ids = fake_icecuber(tmp_path)
    run = tmp_path / "synth-run"
    run.mkdir()
    (run / "records.jsonl").write_text("".join(
        json.dumps({"id": task_id, "record": {"score": score}}) + "\n"
        for task_id, score in (("007bbfb7", 0.0), ("00d62c1b", 1.0))))
    out = tmp_path / "ice.json"
    assert icecuber_reference.main(["arc1:train", "--ids", str(ids), "--icecuber",
                                    str(checkout), "--compare", str(run),
                                    "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    # the duplicate wrong image counts once, so the right one is the second attempt
    assert result["tasks"] == {"007bbfb7": 1.0, "00d62c1b": 0.0}
    assert result["compare"]["icecuber_only"] == ["007bbfb7"]
    assert result["compare"]["synth_only"] == ["00d62c1b"]
    assert "1.0 / 2" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        icecuber_reference.main(["arc1:train", "--icecuber", str(tmp_path / "missing")])


def test_icecuber_reference_runs_samples_in_parallel_and_scores_answer_folders(
        tmp_path: Path) -> None:
    from benchmarks import icecuber_reference
    checkout, ids = fake_icecuber(tmp_path)
    parallel = tmp_path / "parallel.json"
    assert icecuber_reference.main(["arc1:train", "--ids", str(ids), "--icecuber",
                                    str(checkout), "--jobs", "2", "--json",
                                    str(parallel)]) == 0
    assert json.loads(parallel.read_text())["tasks"] == {"007bbfb7": 1.0, "00d62c1b": 0.0}
    answers = tmp_path / "output"
    answers.mkdir()
    from synth.data.datasets import load_dataset
    right = icecuber_reference.encode_grid(
        load_dataset("arc1:train").entries["00d62c1b"].test[0].output.tolist())
    (answers / "answer_0_3.csv").write_text(f"00d62c1b_0\n|9| 2.0\n{right} 1.0\n")
    (answers / "answer_1_3.csv").write_text("007bbfb7_0\n|9| 2.0\n")
    (answers / "answer_1_2.csv").write_text(f"007bbfb7_0\n{right} 2.0\n")
    scored = tmp_path / "scored.json"
    assert icecuber_reference.main(["arc1:train", "--ids", str(ids), "--answers", str(answers),
                                    "--depth", "3", "--json", str(scored)]) == 0
    # only depth-3 files count: a right image among the first two scores, a wrong one does not
    assert json.loads(scored.read_text())["tasks"] == {"007bbfb7": 0.0, "00d62c1b": 1.0}


def test_arc2_new_tasks_drops_shared_ids_and_shared_input_grids() -> None:
    from benchmarks.arc2_new_tasks import new_task_ids
    from synth.data.task import parse_task

    def task(task_id: str, first_cell: int) -> object:
        pair = {"input": [[first_cell, 0], [0, 1]], "output": [[1]]}
        return parse_task({"train": [pair], "test": [pair]}, task_id)

    source = {"a": task("a", 1), "b": task("b", 2), "c": task("c", 3), "d": task("d", 4)}
    excluded = [{"a": task("a", 7)}, {"z": task("z", 3)}]  # "a" by id, "c" by its input grid
    assert new_task_ids(source, excluded) == ["b", "d"]


def test_arc2_new_task_list_matches_the_datasets(tmp_path: Path) -> None:
    from benchmarks import arc2_new_tasks
    out = tmp_path / "ids.txt"
    assert arc2_new_tasks.main([str(out)]) == 0
    shipped = Path(__file__).resolve().parents[1] / "benchmarks/samples/arc2-train-new.txt"
    assert out.read_text() == shipped.read_text()
    ids = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    assert len(ids) == 233 and "9caf5b84" in ids and "007bbfb7" not in ids


def test_selected_tasks_skip_comment_lines_of_an_id_file(tmp_path: Path) -> None:
    from benchmarks.common import selected_tasks
    ids = tmp_path / "ids.txt"
    ids.write_text("# a header\n9caf5b84\n\n5751f35e  # icecuber solves it\n")
    assert [task_id for task_id, _ in selected_tasks("arc2:train", str(ids))] == \
        ["9caf5b84", "5751f35e"]


def test_closure_views_reach_takes_training_sets_only(tmp_path: Path) -> None:
    from benchmarks import closure_views_reach
    ids = tmp_path / "ids.txt"
    ids.write_text("# one task\n9caf5b84\n")
    out = tmp_path / "reach.json"
    assert closure_views_reach.main(["--dataset", "arc2:train", "--ids", str(ids), "--work", "300",
                                     "--json", str(out), "--quiet"]) == 0
    report = json.loads(out.read_text())
    assert report["dataset"] == "arc2:train" and list(report["per_task"]) == ["9caf5b84"]
    with pytest.raises(SystemExit):
        closure_views_reach.main(["--dataset", "arc1:eval", "--limit", "1"])


def test_lookup_reach_scores_training_tasks_only(tmp_path: Path) -> None:
    from benchmarks import lookup_reach
    ids = tmp_path / "ids.txt"
    ids.write_text("794b24be\n007bbfb7\n")
    out = tmp_path / "lookup.json"
    lookup_reach.main(["--ids", str(ids), "--json", str(out)])
    result = json.loads(out.read_text())
    assert result["tasks"] == 2 and result["right_first"] == ["794b24be"]
    assert "007bbfb7" not in result["per_task"], "outputs all distinct: no lookup"
    with pytest.raises(SystemExit):
        lookup_reach.main(["--dataset", "arc1:eval"])


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

"""`benchmarks/bench_issue14.py`: arms parsed from the command line, the per-arm summary with
ratios to the first arm, and one short run of two arms from this tree on one task."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_issue14 import Arm, main, parse_arm, summary

REPO = Path(__file__).resolve().parents[1]


def test_parse_arm_reads_name_root_and_kind() -> None:
    arm = parse_arm("old=/tmp/some:tree:enumerate")
    assert arm == Arm("old", Path("/tmp/some:tree").resolve(), "enumerate")
    for bad in ("old=/tmp/x:search", "=/tmp/x:closure", "old=:closure", "old"):
        with pytest.raises(ValueError):
            parse_arm(bad)


def test_summary_gives_medians_and_ratios_to_the_first_arm() -> None:
    arms = [Arm("a", REPO, "enumerate"), Arm("b", REPO, "closure")]

    def row(rate: float, depth: int) -> dict[str, float]:
        return {"values_per_cpu_s": rate, "depth_completed": depth, "values": rate,
                "cpu_s": 1.0}

    rows = {"t1": {"a": row(10, 1), "b": row(40, 3)},
            "t2": {"a": row(20, 2), "b": row(20, 2)},
            "t3": {"a": row(30, 1), "b": row(300, 3)}}
    out = summary(arms, rows)
    assert out["a"]["values_per_cpu_s"]["median"] == 20
    assert out["a"]["ratio_to_a"] == {"median": 1.0, "mean": 1.0}
    assert out["b"]["ratio_to_a"]["median"] == 4.0
    assert out["b"]["ratio_to_a"]["mean"] == pytest.approx((4 + 1 + 10) / 3, abs=0.01)
    assert out["b"]["depth_completed"]["median"] == 3


def test_two_arms_run_interleaved_on_one_task(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("007bbfb7\n")
    out = tmp_path / "speed.json"
    assert main(["--ids", str(ids), "--seconds", "0.3", "--quiet", "--json", str(out),
                 "--arm", f"enum={REPO}:enumerate", "--arm", f"closure={REPO}:closure"]) == 0
    result = json.loads(out.read_text())
    row = result["tasks"]["007bbfb7"]
    assert set(row) == {"enum", "closure"}
    assert row["enum"]["values"] > 0 and row["closure"]["values"] > 0
    assert row["enum"]["depth_completed"] >= 0 and row["closure"]["depth_completed"] >= 1
    assert result["summary"]["enum"]["ratio_to_enum"]["median"] == 1.0

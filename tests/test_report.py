"""Tests of the HTML report: self-contained, well-formed, every task and mark shown, compact."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from synth.data.datasets import Dataset
from synth.data.errors import InputError
from synth.data.palette import PALETTE_HEX
from synth.run.report import grid_html, render_report, time_histogram_svg, write_report
from synth.data.task import parse_task

TASK = parse_task({"train": [{"input": [[1]], "output": [[1]]}],
                   "test": [{"input": [[1, 2]], "output": [[1, 2]]},
                            {"input": [[3]], "output": [[4]]}]}, "t1")
HIDDEN = parse_task({"train": [{"input": [[1]], "output": [[1]]}],
                     "test": [{"input": [[5]]}]}, "t2")
BAD = InputError("invalid JSON: Expecting value", file="t3.json", task_id="t3")


def _record(status: str, score: float | None, correct: list, time_s: float,
            program: str | None = None) -> dict[str, Any]:
    return {"score": score, "correct": correct, "status": status, "time_s": time_s,
            "program": program, "proposer": "beam" if program else None, "candidates": 3}


def _fixture() -> tuple[dict[str, Any], Dataset, dict[str, Any]]:
    dataset = Dataset("folder", "folder sha256:abc", {"t1": TASK, "t2": HIDDEN, "t3": BAD})
    tasks = {"t1": _record("unsolved", 0.5, [True, False], 1.25, "O = f(I) <g> & h"),
             "t2": _record("timeout", None, [None], 3.5),
             "t3": _record("error", 0.0, [], 0.0)}
    results = {"dataset": "folder", "data_version": "folder sha256:abc", "synth_version": "0.1.0",
               "config": {"solver": "baseline", "time_limit": 2.0, "workers": 1},
               "n_tasks": 3, "score_task": 0.5, "score_output": 0.5, "tasks": tasks}
    records = {"t1": {"entry": [{"attempt_1": [[9, 9]], "attempt_2": [[1, 2]]},
                                {"attempt_1": [[3]], "attempt_2": [[0]]}], "error": None},
               "t2": {"entry": [{"attempt_1": [[0]], "attempt_2": [[0]]}],
                      "error": "killed after the 2 s time limit"},
               "t3": {"entry": [{"attempt_1": [[0]], "attempt_2": [[0]]}],
                      "error": BAD.message}}
    return results, dataset, records


class _Checker(HTMLParser):
    """Collects start tags and checks that non-void, non-optional elements are balanced."""

    OPTIONAL_END = {"td", "tr", "meta"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.OPTIONAL_END:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> after {self.stack}"
        self.stack.pop()


def _parse(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker


def test_report_is_self_contained_and_well_formed(tmp_path: Path) -> None:
    results, dataset, records = _fixture()
    write_report(tmp_path / "report.html", results, dataset, records)
    text = (tmp_path / "report.html").read_text()
    checker = _parse(text)
    assert checker.stack == []
    assert not {"script", "link", "img", "iframe"} & {tag for tag, _ in checker.tags}
    assert "src=" not in text and "@import" not in text
    assert all(hex_ in text for hex_ in PALETTE_HEX)
    assert all(f".c{i}" in text for i in range(10))


def test_report_shows_summary_and_every_task(tmp_path: Path) -> None:
    results, dataset, records = _fixture()
    text = render_report(results, dataset, records)
    assert "folder sha256:abc" in text and "0.500" in text
    assert all(f"id='t-{i}'" in text and f"href='#t-{i}'" in text for i in ("t1", "t2", "t3"))
    assert "O = f(I) &lt;g&gt; &amp; h" in text
    assert "killed after the 2 s time limit" in text and "invalid JSON" in text
    assert "attempt 1 ✗ wrong" in text and "attempt 2 ✓ right" in text
    assert "attempt 1 ? unknown" in text and "test 0 expected" in text
    assert "<svg" in text and "<title>timeout: 1</title>" in text


def test_report_shows_the_ranking_gap_when_answers_were_found() -> None:
    results, dataset, records = _fixture()
    assert "not chosen" not in render_report(results, dataset, records)
    results["tasks"]["t1"]["any_correct"] = True
    results["ranking_gap"] = 1
    assert "1 / 1</b><span>right answer among verified candidates / of those not chosen" in \
        render_report(results, dataset, records)


def test_report_marks_in_progress_runs() -> None:
    results, dataset, records = _fixture()
    assert "3 / 10" in render_report(results, dataset, records, total=10)


def test_grid_html_has_one_cell_per_value() -> None:
    text = grid_html([[0, 1, 2], [9, 0, 5]])
    checker = _parse(text)
    cells = [attrs.get("class") for tag, attrs in checker.tags if tag == "td"]
    assert cells == [None, "c1", "c2", "c9", None, "c5"]
    assert len([tag for tag, _ in checker.tags if tag == "tr"]) == 2


def test_histogram_handles_zero_times_and_no_tasks() -> None:
    assert "<svg" in time_histogram_svg({"a": _record("error", 0.0, [], 0.0)})
    assert "<svg" not in time_histogram_svg({})


def test_report_for_400_large_tasks_stays_small() -> None:
    grid = [[(r * 30 + c) % 10 for c in range(30)] for r in range(30)]
    task = parse_task({"train": [{"input": grid, "output": grid}],
                       "test": [{"input": grid, "output": grid}]}, "x")
    ids = [f"{i:08x}" for i in range(400)]
    dataset = Dataset("big", "v", {i: task for i in ids})
    tasks = {i: _record("solved", 1.0, [True], 0.1 * (n % 30)) for n, i in enumerate(ids)}
    results = {"dataset": "big", "data_version": "v", "synth_version": "0", "config": {},
               "n_tasks": 400, "score_task": 1.0, "score_output": 1.0, "tasks": tasks}
    records = {i: {"entry": [{"attempt_1": grid, "attempt_2": grid}], "error": None}
               for i in ids}
    text = render_report(results, dataset, records)
    assert len(text.encode()) < 25_000_000
    assert text.count("<section") == 400

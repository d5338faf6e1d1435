"""Malformed input: `synth solve` on each file of tests/malformed exits 2 with one exact line.

`tests/malformed/expected.json` maps each reference (a task file, or `BUNDLE.json:ID` for the
Kaggle bundles in subfolders) to the message printed after `synth: error: `, as seen when the
command runs from the repository root with the path `tests/malformed/REF`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from synth.cli.main import main
from synth.data.datasets import load_dataset
from synth.data.errors import InputError

CORPUS = Path(__file__).resolve().parent / "malformed"
CORPUS_REL = "tests/malformed"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
PREFIX = "synth: error: "
UNKNOWN_DATASET = ("DATASET: unknown dataset 'arc9:train' (known: arc1:train, arc1:eval, "
                   "arc2:train, arc2:eval, a task JSON, a folder of task JSONs, or a Kaggle "
                   "*_challenges.json)")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI in-process; return the exit code and the error line (prefix removed)."""
    code = main(argv)
    err = capsys.readouterr().err
    assert err.startswith(PREFIX), err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    return code, err[len(PREFIX):-1]


def _file_of(ref: str) -> str:
    """The file part of a reference: `dir/x_challenges.json:ID` -> `dir/x_challenges.json`."""
    return ref.rpartition(".json")[0] + ".json"


def test_corpus_is_large_and_fully_listed() -> None:
    top_level = {p.name for p in CORPUS.glob("*.json")} - {"expected.json"}
    listed_files = {_file_of(ref) for ref in EXPECTED}
    assert len(top_level) >= 24
    assert top_level <= listed_files, top_level - listed_files
    assert all((CORPUS / f).is_file() for f in listed_files)
    bundle_dirs = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert bundle_dirs == {f.split("/")[0] for f in listed_files if "/" in f}


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_solve_reports_exact_error(ref: str, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS.parent.parent)
    code, message = _run(["solve", f"{CORPUS_REL}/{ref}"], capsys)
    assert code == 2
    assert message == EXPECTED[ref]


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_message_names_file_and_task(ref: str) -> None:
    message = EXPECTED[ref]
    assert message.startswith(f"{CORPUS_REL}/")
    if "/" not in ref:
        assert message.startswith(f"{CORPUS_REL}/{ref}: task {Path(ref).stem}: ")


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    code, message = _run(["solve", str(path)], capsys)
    assert (code, message) == (2, f"{path}: no such file")


def test_not_a_file_nor_dataset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ref = str(tmp_path / "absent")
    code, message = _run(["show", ref], capsys)
    expected = f"{ref}: no such file, and not DATASET:ID (e.g. arc1:train:007bbfb7)"
    assert (code, message) == (2, expected)


def test_unknown_dataset_raises() -> None:
    with pytest.raises(InputError) as info:
        load_dataset("arc9:train")
    assert info.value.message == UNKNOWN_DATASET


def test_eval_unknown_dataset_exits_2(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    pytest.importorskip("synth.run.evaluate")
    code, message = _run(["eval", "arc9:train", "--out", str(tmp_path / "run"),
                          "--no-progress"], capsys)
    assert (code, message) == (2, UNKNOWN_DATASET)


def test_unknown_task_in_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    code, message = _run(["show", "arc1:train:nonexistent"], capsys)
    assert (code, message) == (2, "arc1:train: task nonexistent: no such task in this dataset")

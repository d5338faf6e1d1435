"""Every golden program in library/ must parse, type-check, be in canonical form and
reproduce every train and test output of its task exactly."""
from __future__ import annotations

from pathlib import Path

import pytest

from synth.data.datasets import load_dataset
from synth.data.golden import DATASET_OF_FOLDER, LIBRARY_ROOT, library_files, verify_program_file

MIN_GOLDEN_ARC1_TRAIN = 2

FILES = [path for folder in sorted(LIBRARY_ROOT.iterdir()) if folder.is_dir()
         for path in library_files(folder)]


@pytest.fixture(scope="module")
def datasets() -> dict:
    return {}


def _task(path: Path, cache: dict):
    spec = DATASET_OF_FOLDER[path.parent.name]
    if spec not in cache:
        cache[spec] = load_dataset(spec).entries
    return cache[spec][path.stem]


def test_library_size() -> None:
    assert len(library_files(LIBRARY_ROOT / "arc1-train")) >= MIN_GOLDEN_ARC1_TRAIN


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_program_solves_its_task(path: Path, datasets: dict) -> None:
    report = verify_program_file(path, _task(path, datasets))
    assert not report.error, report.error
    failures = [f"{p.split}[{p.index}]: {p.reason}" for p in report.pairs if not p.ok]
    assert not failures, failures
    assert report.canonical, "not in canonical form (run it through dsl.printer)"

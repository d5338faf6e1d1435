"""Test-time training on CPU with the tiny model: leave-one-out tasks, the loss drop, the
adapter cache, and the base weights restored afterwards."""
from __future__ import annotations

from pathlib import Path

import pytest

from synth.data.augment import IDENTITY, views
from synth.data.task import Challenge, Example, make_grid
from synth.models.spec import ModelSpec
from synth.models.ttt import PRESETS, Preset, leave_one_out, tuned

COPY = Challenge("copy", tuple(Example(make_grid(g), make_grid(g)) for g in
                               ([[1, 2], [2, 1]], [[3, 0], [0, 3]], [[4, 4], [0, 4]])),
                 (make_grid([[5, 6], [6, 5]]),))
FAST = Preset(rank=8, alpha=16, lr=3e-3, epochs=3)


@pytest.fixture()
def backend(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from synth.models.local import TransformersBackend

    monkeypatch.setenv("SYNTH_TTT_CACHE", str(tmp_path / "ttt"))
    return TransformersBackend(ModelSpec("tiny", "transformers", str(tiny_model_dir),
                                         role="transduction", device="cpu"))


def test_leave_one_out_tasks_hold_out_each_pair_under_each_view() -> None:
    examples = leave_one_out(COPY, [IDENTITY])
    assert len(examples) == 3
    prompt, answer = examples[0]
    assert prompt.endswith("input:\n12\n21\noutput:\n") and answer == "12\n21\n"
    assert prompt.count("input:") == 3, "the two other pairs, then the query"
    assert len(leave_one_out(COPY, views(COPY, 3, seed=1))) == 9


def test_training_lowers_the_answer_loss_and_restores_the_base(backend) -> None:
    augs = views(COPY, 2, seed=0)
    probe = backend.score("input:\n12\n21\noutput:\n", ["12\n21\n"])
    with tuned(backend, COPY, augs, FAST, seed=0, seconds=60) as run:
        assert run.steps == 3 * len(leave_one_out(COPY, augs)) and not run.cut_short
        assert run.loss_after < run.loss_before - 0.1
        assert backend.score("input:\n12\n21\noutput:\n", ["12\n21\n"]) != probe
    assert backend.score("input:\n12\n21\noutput:\n", ["12\n21\n"]) == pytest.approx(probe)
    with tuned(backend, COPY, augs, FAST, seed=0, seconds=60) as again:
        assert again.cached and again.steps == 0
        assert again.loss_after == pytest.approx(run.loss_after, abs=1e-3)


def test_training_stops_at_its_deadline(backend) -> None:
    with tuned(backend, COPY, [IDENTITY], FAST, seed=0, seconds=0.0) as run:
        assert run.cut_short and run.steps == 0


def test_the_presets_are_the_roadmaps_and_the_papers() -> None:
    assert (PRESETS["mit"].rank, PRESETS["mit"].alpha, PRESETS["mit"].lr,
            PRESETS["mit"].epochs) == (128, 16, 5e-5, 2)
    assert (PRESETS["roadmap"].lr, PRESETS["roadmap"].epochs) == (1e-5, 10)

"""The primitive guide (`synth.learn.guide`, `synth.learn.train_guide`, `synth train guide`):
the numpy forward equals torch's, bad files are named, features are deterministic, training
end to end writes a loadable file, and the shipped guide beats the frequency prior on synthetic
tasks it was not trained on."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dsl.registry import default_registry
from synth.cli.main import main
from synth.data.task import load_task_file
from synth.learn.generate import GenerateConfig, generate, primitive_counts
from synth.learn.guide import (SHIPPED_GUIDE, Guide, feature_count, load_shipped,
                               pair_features, pair_grids, task_inputs)

torch = pytest.importorskip("torch")
train_guide = pytest.importorskip("synth.learn.train_guide")

NAMES = default_registry().names()


def _random_task(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    def grid() -> np.ndarray:
        return rng.integers(0, 10, (rng.integers(1, 31), rng.integers(1, 31))).astype(np.uint8)
    return [(grid(), grid()) for _ in range(int(rng.integers(1, 6)))]


def _tiny_guide(tmp_path: Path, tasks: list[list[tuple[np.ndarray, np.ndarray]]]
                ) -> tuple[object, object, Path]:
    """A random torch net (conv 4 -> 6, hidden 8), its arrays for `tasks`, and its export."""
    torch.manual_seed(0)
    examples = [train_guide.Example(str(k), "p", *task_inputs(t), frozenset({"rot90"}))
                for k, t in enumerate(tasks)]
    arrays = train_guide.to_arrays(examples, NAMES)
    mean, std = train_guide._standardisation(arrays)
    config = train_guide.TrainConfig(conv=(4, 6), hidden=(8,))
    net = train_guide.build_net(config, len(NAMES), mean, std)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.3)
    path = tmp_path / "tiny.npz"
    train_guide.export(net, NAMES, train_guide.frequency_prior(arrays.labels), 0.01, path)
    return net, arrays, path


def test_numpy_forward_equals_torch(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    tasks = [_random_task(rng) for _ in range(6)]
    net, arrays, path = _tiny_guide(tmp_path, tasks)
    expected = train_guide.predict(net, arrays)
    guide = Guide.load(path)
    assert guide.primitive_names == tuple(NAMES)
    for task, row in zip(tasks, expected):
        probabilities = guide.primitive_probabilities(task)
        got = np.array([probabilities[name] for name in NAMES])
        np.testing.assert_allclose(got, row, atol=1e-5)
    with torch.no_grad():
        f, g, m, _ = train_guide._tensors(arrays, np.arange(1))
        hidden = net.hidden(f, g, m).numpy()[0]
    np.testing.assert_allclose(guide.embedding(tasks[0]), hidden / np.linalg.norm(hidden),
                               atol=1e-5)


def test_features_are_deterministic_and_sized() -> None:
    rng = np.random.default_rng(5)
    grid, out = rng.integers(0, 10, (7, 9)), rng.integers(0, 10, (9, 7))
    first = pair_features(grid, out)
    assert first.shape == (feature_count(),) and first.dtype == np.float32
    assert np.array_equal(first, pair_features(grid.copy(), out.copy()))
    assert np.array_equal(pair_grids(grid, out), pair_grids(grid, out))
    assert np.isfinite(first).all()
    rotated = pair_features(grid, np.rot90(grid))
    assert not np.array_equal(rotated, first)


def test_load_names_the_file_on_bad_input(tmp_path: Path) -> None:
    text = tmp_path / "text.npz"
    text.write_text("not numpy")
    with pytest.raises(ValueError, match="text.npz"):
        Guide.load(text)
    missing = tmp_path / "missing.npz"
    with pytest.raises(ValueError, match="missing.npz"):
        Guide.load(missing)
    rng = np.random.default_rng(1)
    _, _, path = _tiny_guide(tmp_path, [_random_task(rng) for _ in range(2)])
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    broken = tmp_path / "broken.npz"
    np.savez(broken, **{**arrays, "feature_mean": arrays["feature_mean"][:-1]})
    with pytest.raises(ValueError, match="broken.npz.*pair features"):
        Guide.load(broken)
    renamed = tmp_path / "renamed.npz"
    names = arrays["primitive_names"].copy()
    names[0] = "no_such_primitive"
    np.savez(renamed, **{**arrays, "primitive_names": names})
    with pytest.raises(ValueError, match="renamed.npz.*no_such_primitive"):
        Guide.load(renamed)
    no_prior = tmp_path / "no_prior.npz"
    np.savez(no_prior, **{k: v for k, v in arrays.items() if k != "prior"})
    with pytest.raises(ValueError, match="no_prior.npz.*'prior'"):
        Guide.load(no_prior)


def _train(data: Path, out: Path) -> int:
    return main(["train", "guide", "--data", str(data), "--out", str(out), "--seed", "3",
                 "--epochs", "1", "--no-progress"])


def test_train_guide_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    generate(GenerateConfig(n=60, seed=11), data, input_sets=[])
    out = tmp_path / "guide.npz"
    assert _train(data, out) == 0
    printed = capsys.readouterr().out
    assert "epoch 1: train bce" in printed and "validation bce" in printed
    assert "prior" in printed
    guide = Guide.load(out)
    task = load_task_file(next((data / "tasks").glob("*.json")))
    probabilities = guide.primitive_probabilities([(e.input, e.output) for e in task.train])
    assert set(probabilities) == set(NAMES)
    assert all(0.0 < p < 1.0 for p in probabilities.values())
    assert guide.embedding([(e.input, e.output) for e in task.train]).shape == (256,)


def test_train_guide_rejects_a_folder_without_index(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _train(tmp_path, tmp_path / "g.npz") == 2
    assert "index.json" in capsys.readouterr().err


def test_metrics_rank_a_perfect_table_first() -> None:
    labels = np.array([[1, 0, 0, 1], [0, 1, 0, 0]], dtype=np.float32)
    perfect = train_guide.evaluate(labels * 0.9 + 0.05, labels)
    flat = train_guide.evaluate(np.full(labels.shape, 0.5), labels)
    assert perfect["map"] == 1.0 and perfect["recall@5"] == 1.0
    assert perfect["bce"] < flat["bce"]
    assert train_guide.average_precision(np.array([0.1, 0.9, 0.5]), np.array([1, 0, 0])) \
        == pytest.approx(1 / 3)


@pytest.mark.skipif(not SHIPPED_GUIDE.exists(), reason="no shipped guide")
def test_shipped_guide_beats_the_frequency_prior(tmp_path: Path) -> None:
    guide = load_shipped()
    assert guide is not None
    data = tmp_path / "held-out"
    generate(GenerateConfig(n=40, seed=90210), data, input_sets=[])
    prior = guide.prior_probabilities()
    model_ap, prior_ap, model_ll, prior_ll = [], [], [], []
    for path in sorted((data / "tasks").glob("*.json")):
        task = load_task_file(path)
        truth = set(primitive_counts([data / "programs" / f"{task.id}.dsl"], default_registry()))
        predicted = guide.primitive_probabilities([(e.input, e.output) for e in task.train])
        for table, ap, ll in ((predicted, model_ap, model_ll), (prior, prior_ap, prior_ll)):
            scores = np.array([table[n] for n in NAMES])
            labels = np.array([n in truth for n in NAMES], dtype=np.float64)
            ap.append(train_guide.average_precision(scores, labels))
            ll.append(float(np.mean(np.log(scores[labels > 0]))))
    assert np.mean(model_ap) > np.mean(prior_ap) + 0.05
    assert np.mean(model_ll) > np.mean(prior_ll)

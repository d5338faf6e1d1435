"""The primitive guide (`synth.learn.guide`, `synth.learn.train_guide`, `synth train guide`):
the numpy forward equals torch's (one network, an ensemble, the shipped weights), colour-
permuted views are deterministic and averaged, bad files are named, features are deterministic,
training end to end writes a loadable file, and the shipped guide beats the frequency prior on
synthetic tasks it was not trained on; the label shift moves probabilities toward real
frequencies."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dsl.registry import default_registry
from synth.cli.main import main
from synth.data.task import Challenge, Example, load_task_file, make_grid
from synth.learn.generate import GenerateConfig, generate, primitive_counts
from synth.learn.guide import (SHIPPED_GUIDE, Guide, colour_permutations, feature_count,
                               label_shifted, load_shipped, member_arrays, member_count,
                               pair_features, pair_grids, read_arrays, recoloured, task_inputs,
                               task_seed)
from synth.proposers.guidance import Guidance, library_counts, presence_frequencies

torch = pytest.importorskip("torch")
train_guide = pytest.importorskip("synth.learn.train_guide")

NAMES = default_registry().names()


def _random_task(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    def grid() -> np.ndarray:
        return rng.integers(0, 10, (rng.integers(1, 31), rng.integers(1, 31))).astype(np.uint8)
    return [(grid(), grid()) for _ in range(int(rng.integers(1, 6)))]


def _tiny_guide(tmp_path: Path, tasks: list[list[tuple[np.ndarray, np.ndarray]]],
                seed: int = 0) -> tuple[object, object, Path]:
    """A random torch net (conv 4 -> 6, hidden 8), its arrays for `tasks`, and its export."""
    torch.manual_seed(seed)
    examples = [train_guide.Example(str(k), "p", *task_inputs(t), frozenset({"rot90"}))
                for k, t in enumerate(tasks)]
    arrays = train_guide.to_arrays(examples, NAMES)
    mean, std = train_guide._standardisation(arrays)
    config = train_guide.TrainConfig(conv=(4, 6), hidden=(8,))
    net = train_guide.build_net(config, len(NAMES), mean, std)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.3)
    path = tmp_path / f"tiny{seed}.npz"
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


def test_ensemble_forward_is_the_mean_of_its_torch_members(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    tasks = [_random_task(rng) for _ in range(4)]
    (net_a, arrays, path_a), (net_b, _, path_b) = (_tiny_guide(tmp_path, tasks, seed)
                                                   for seed in (0, 1))
    expected = (train_guide.predict(net_a, arrays) + train_guide.predict(net_b, arrays)) / 2
    assert np.abs(train_guide.predict(net_a, arrays) - expected).max() > 1e-3
    ensemble = tmp_path / "ensemble.npz"
    train_guide.export_ensemble([path_a, path_b], ensemble)
    guide = Guide.load(ensemble)
    assert len(guide.members) == 2 and guide.primitive_names == tuple(NAMES)
    for task, row in zip(tasks, expected):
        probabilities = guide.primitive_probabilities(task)
        np.testing.assert_allclose([probabilities[name] for name in NAMES], row, atol=1e-5)
    with torch.no_grad():
        f, g, m, _ = train_guide._tensors(arrays, np.arange(1))
        hidden = net_a.hidden(f, g, m).numpy()[0]
    np.testing.assert_allclose(guide.embedding(tasks[0]), hidden / np.linalg.norm(hidden),
                               atol=1e-5)
    nested = tmp_path / "nested.npz"
    train_guide.export_ensemble([ensemble, path_a], nested)
    assert len(Guide.load(nested).members) == 3


def _torch_twin(network: dict[str, np.ndarray], n_names: int) -> object:
    """The torch net whose parameters are one network's arrays of a guide file."""
    conv = [network[f"conv{k}_weight"] for k in range(int(network["conv_layers"]))]
    dense = [network[f"dense{k}_weight"] for k in range(int(network["dense_layers"]))]
    config = train_guide.TrainConfig(conv=tuple(w.shape[0] for w in conv),
                                     hidden=tuple(w.shape[0] for w in dense[:-1]))
    net = train_guide.build_net(config, n_names, network["feature_mean"], network["feature_std"])
    with torch.no_grad():
        for prefix, layers in (("conv", net.conv), ("dense", net.dense)):
            for k, layer in enumerate(layers):
                layer.weight.copy_(torch.from_numpy(network[f"{prefix}{k}_weight"]))
                layer.bias.copy_(torch.from_numpy(network[f"{prefix}{k}_bias"]))
    return net


@pytest.mark.skipif(not SHIPPED_GUIDE.exists(), reason="no shipped guide")
def test_shipped_guide_numpy_forward_equals_torch() -> None:
    guide = load_shipped()
    assert guide is not None
    data = read_arrays(SHIPPED_GUIDE)
    rng = np.random.default_rng(12)
    tasks = [_random_task(rng) for _ in range(3)]
    examples = [train_guide.Example(str(k), "p", *task_inputs(t), frozenset())
                for k, t in enumerate(tasks)]
    arrays = train_guide.to_arrays(examples, guide.primitive_names)
    nets = [_torch_twin(member_arrays(data, k), len(guide.primitive_names))
            for k in range(member_count(data))]
    assert len(nets) == len(guide.members)
    expected = np.mean([train_guide.predict(net, arrays) for net in nets], axis=0)
    np.testing.assert_allclose([guide.probabilities(t) for t in tasks], expected, atol=1e-5)


def test_ensemble_files_are_checked(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    _, _, path = _tiny_guide(tmp_path, [_random_task(rng) for _ in range(2)])
    ensemble = tmp_path / "ensemble.npz"
    train_guide.export_ensemble([path, path], ensemble)
    arrays = read_arrays(ensemble)
    empty = tmp_path / "empty.npz"
    np.savez(empty, **{**arrays, "members": np.array(0)})
    with pytest.raises(ValueError, match="empty.npz.*0 members"):
        Guide.load(empty)
    short = tmp_path / "short.npz"
    np.savez(short, **{k: v for k, v in arrays.items() if not k.startswith("member1/")})
    with pytest.raises(ValueError, match="short.npz.*'member1/feature_mean'"):
        Guide.load(short)
    future = tmp_path / "future.npz"
    np.savez(future, **{**arrays, "format": np.array(9)})
    with pytest.raises(ValueError, match="future.npz.*format 9"):
        Guide.load(future)
    renamed = dict(read_arrays(path))
    renamed["primitive_names"] = renamed["primitive_names"][::-1].copy()
    other = tmp_path / "other.npz"
    np.savez(other, **renamed)
    with pytest.raises(ValueError, match="different primitives"):
        train_guide.export_ensemble([path, other], tmp_path / "never.npz")
    assert not (tmp_path / "never.npz").exists()


def test_colour_permutations_keep_background_and_are_seeded() -> None:
    maps = colour_permutations(6, seed=7)
    assert np.array_equal(maps[0], np.arange(10))
    assert all(row[0] == 0 and sorted(row) == list(range(10)) for row in maps)
    assert len({tuple(row) for row in maps}) == 6
    assert np.array_equal(maps, colour_permutations(6, seed=7))
    assert np.array_equal(maps[:3], colour_permutations(3, seed=7))
    moved = colour_permutations(20, seed=7, permute_background=True)
    assert any(row[0] != 0 for row in moved)
    with pytest.raises(ValueError, match="at least 1"):
        colour_permutations(0, seed=7)
    rng = np.random.default_rng(8)
    task = _random_task(rng)
    assert task_seed(task) == task_seed([(i.copy(), o.copy()) for i, o in task])
    assert task_seed(task) != task_seed(task[::-1]) or len(task) == 1
    swapped = recoloured(task, maps[1])
    assert all(np.array_equal(maps[1][i], si) for (i, _), (si, _) in zip(task, swapped))


def test_augmented_guide_averages_the_recoloured_views(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    tasks = [_random_task(rng) for _ in range(3)]
    _, _, path = _tiny_guide(tmp_path, tasks)
    plain = Guide.load(path)
    assert plain.augmentations == 1
    augmented = Guide.load(path, augmentations=4)
    for task in tasks:
        maps = colour_permutations(4, task_seed(task))
        views = np.array([plain.probabilities(recoloured(task, m)) for m in maps])
        np.testing.assert_allclose(augmented.probabilities(task), views.mean(axis=0),
                                   atol=1e-12)
        assert not np.allclose(augmented.probabilities(task), plain.probabilities(task))
        np.testing.assert_allclose(augmented.embedding(task), plain.embedding(task))
    with pytest.raises(ValueError, match="at least 1"):
        Guide.load(path, augmentations=0)


def test_label_shift_moves_log_odds_toward_the_real_frequencies() -> None:
    guide = {"a": 0.2, "b": 0.2, "c": 0.5, "new": 0.3}
    trained, real = {"a": 0.2, "b": 0.2, "c": 0.1}, {"a": 0.6, "b": 0.05, "c": 0.1}
    assert label_shifted(guide, trained, real, 0.0) == pytest.approx(guide)
    full = label_shifted(guide, trained, real, 1.0)
    assert full["a"] == pytest.approx(0.6) and full["b"] == pytest.approx(0.05)
    assert full["c"] == pytest.approx(0.5) and full["new"] == 0.3
    half = label_shifted(guide, trained, real, 0.5)
    assert 0.2 < half["a"] < 0.6 and 0.05 < half["b"] < 0.2


def test_library_frequencies_leave_the_task_out() -> None:
    folders = Guidance().folders
    stem, counts = library_counts(folders)[0]
    used = next(iter(counts))
    with_task = presence_frequencies(folders, "no-such-task", NAMES)
    without = presence_frequencies(folders, stem, NAMES)
    assert without[used] < with_task[used]
    assert all(0.0 < value < 1.0 for value in with_task.values())


@pytest.mark.skipif(not SHIPPED_GUIDE.exists(), reason="no shipped guide")
def test_guidance_applies_the_label_shift() -> None:
    pairs = [(np.array([[1, 2], [3, 0]]), np.array([[2, 1], [0, 3]])),
             (np.array([[5, 5, 0], [0, 6, 7]]), np.array([[0, 5, 5], [7, 6, 0]]))]
    task = Challenge("t", tuple(Example(make_grid(i), make_grid(o)) for i, o in pairs),
                     (make_grid([[1]]),))
    plain = Guidance(guide=SHIPPED_GUIDE, label_shift=0.0).probabilities(task)
    shifted = Guidance(guide=SHIPPED_GUIDE, label_shift=0.5).probabilities(task)
    assert Guidance(guide=SHIPPED_GUIDE).probabilities(task) == shifted  # the default
    assert plain != shifted and set(plain) == set(shifted)


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

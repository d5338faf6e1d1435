"""Augmentations (synth/data/augment.py): every one is undone by its inverse, keys parse back
and compose, D8 is closed, tasks keep consistent shapes and reorder their train pairs, colour
permutations keep the background, and `views` is distinct, identity first and seeded."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.primitives import geometry as dsl_geometry
from synth.data.augment import (GEOMETRIES, IDENTITY, IDENTITY_COLORS, AugmentKeyError,
                                Augmentation, color_permutations, compose, forward_challenge,
                                forward_grid, forward_task, inverse_grid, parse_key, views)
from synth.data.task import Challenge, Example, Task, make_grid
from tests.strategies import grids, small_grids

FAST = settings(max_examples=60, deadline=None)

geometries = st.sampled_from(GEOMETRIES)
color_perms = st.permutations(list(range(10))).map(tuple)


@st.composite
def augmentations(draw: st.DrawFn, n_train: int | None = None) -> Augmentation:
    """Any geometry, any colour permutation, an order of `n_train` (or 0..8) train pairs."""
    n = draw(st.integers(0, 8)) if n_train is None else n_train
    order = draw(st.permutations(list(range(n))))
    return Augmentation(draw(geometries), draw(color_perms), tuple(order))


@st.composite
def tasks(draw: st.DrawFn) -> Task:
    """1..5 train pairs and 1..3 test pairs of small grids; test outputs sometimes unknown."""
    def pair(known: bool) -> Example:
        return Example(draw(small_grids()), draw(small_grids()) if known else None)
    train = tuple(pair(True) for _ in range(draw(st.integers(1, 5))))
    test = tuple(pair(draw(st.booleans())) for _ in range(draw(st.integers(1, 3))))
    return Task("t", train, test)


def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)


@FAST
@given(grids(), color_perms)
def test_every_geometry_is_undone_by_its_inverse(grid: np.ndarray, colors: tuple) -> None:
    for geometry in GEOMETRIES:
        aug = Augmentation(geometry, colors)
        out = forward_grid(aug, grid)
        assert out.dtype == np.uint8 and not out.flags.writeable
        assert out.shape == (grid.shape[::-1] if aug.swaps_axes else grid.shape)
        assert same(inverse_grid(aug, out), grid)
        assert same(forward_grid(aug, inverse_grid(aug, grid)), grid)
        assert same(forward_grid(aug.inverse(), out), grid)


@FAST
@given(grids())
def test_geometries_are_the_dsl_primitives_of_the_same_name(grid: np.ndarray) -> None:
    for geometry in GEOMETRIES[1:]:
        assert same(forward_grid(Augmentation(geometry), grid),
                    getattr(dsl_geometry, geometry)(grid))
    assert same(forward_grid(IDENTITY, grid), grid)


@FAST
@given(st.integers(0, 8).flatmap(lambda n: st.tuples(augmentations(n), augmentations(n))),
       small_grids())
def test_compose_is_one_then_the_other(pair: tuple, grid: np.ndarray) -> None:
    a, b = pair
    ab = compose(a, b)
    assert same(forward_grid(ab, grid), forward_grid(b, forward_grid(a, grid)))
    assert same(inverse_grid(ab, forward_grid(b, forward_grid(a, grid))), grid)
    assert parse_key(ab.key) == ab
    assert compose(ab, b.inverse()) == a
    assert compose(a, compose(b, a)) == compose(compose(a, b), a)


@settings(max_examples=200, deadline=None)
@given(augmentations())
def test_keys_parse_back_and_inverse_composes_to_identity(aug: Augmentation) -> None:
    assert parse_key(aug.key) == aug
    assert parse_key(aug.key).key == aug.key
    assert str(aug) == aug.key
    assert compose(aug, aug.inverse()) == IDENTITY
    assert compose(aug.inverse(), aug) == IDENTITY
    assert aug.inverse().inverse() == aug
    assert compose(aug, IDENTITY) == aug == compose(IDENTITY, aug)
    assert (aug.key == "id") == aug.is_identity


def test_d8_is_closed_and_a_group() -> None:
    probe = make_grid(np.arange(12).reshape(3, 4) % 10)
    images = {g: forward_grid(Augmentation(g), probe) for g in GEOMETRIES}
    assert len({(im.shape, im.tobytes()) for im in images.values()}) == 8
    for a in GEOMETRIES:
        row = [compose(Augmentation(a), Augmentation(b)).geometry for b in GEOMETRIES]
        assert sorted(row) == sorted(GEOMETRIES)          # closed, and a Latin square
        for b, ab in zip(GEOMETRIES, row):
            assert same(images[ab], forward_grid(Augmentation(b), images[a]))
    assert Augmentation("rot90").inverse().geometry == "rot270"
    assert all(Augmentation(g).inverse().geometry == g
               for g in ("rot180", "flip_h", "flip_v", "transpose", "antitranspose"))


def test_keys_look_as_documented() -> None:
    assert IDENTITY.key == "id" and IDENTITY.is_identity
    aug = Augmentation("rot90", (0, 2, 1, 3, 4, 5, 6, 7, 8, 9), (1, 0, 2))
    assert aug.key == "rot90.c0213456789.o102"
    assert Augmentation(colors=(1, 0, 2, 3, 4, 5, 6, 7, 8, 9)).key == "c1023456789"
    assert Augmentation(order=(0, 1, 2)).key == "id" and Augmentation(order=[0, 1]) == IDENTITY
    assert Augmentation(order=tuple(range(11, -1, -1))).key == "oba9876543210"
    assert parse_key("flip_h.o10") == Augmentation("flip_h", order=(1, 0))


@pytest.mark.parametrize("key, reason", [
    ("", "empty key"),
    ("rot45", "unknown part 'rot45'"),
    ("rot90..o10", "unknown part ''"),
    ("rot90.rot180", "more than one geometry"),
    ("c012", "permutation of the 10 digits"),
    ("c0123456788", "permutation of the 10 digits"),
    ("c012345678x", "permutation of the 10 digits"),
    ("o", "base-36 digits"),
    ("o00", "not a permutation"),
    ("o12", "not a permutation"),
    ("o1-0", "base-36 digits"),
    ("o10.o10", "more than one order"),
    ("c1023456789.rot90", "write 'rot90.c1023456789'"),
    ("id.o10", "write 'o10'"),
    ("rot90.c0123456789", "write 'rot90'"),
    ("o012", "write 'id'"),
    ("ROT90", "unknown part"),
])
def test_bad_keys_say_why(key: str, reason: str) -> None:
    with pytest.raises(AugmentKeyError) as info:
        parse_key(key)
    assert isinstance(info.value, ValueError)
    assert repr(key) in str(info.value) and reason in str(info.value)


@pytest.mark.parametrize("kwargs, reason", [
    ({"geometry": "rot45"}, "unknown geometry"),
    ({"colors": (0, 0, 2, 3, 4, 5, 6, 7, 8, 9)}, "not a permutation of 0..9"),
    ({"colors": (0, 1, 2)}, "not a permutation of 0..9"),
    ({"order": (0, 2)}, "not a permutation"),
    ({"order": tuple(range(37, -1, -1))}, "at most 36"),
])
def test_bad_augmentations_are_refused(kwargs: dict, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Augmentation(**kwargs)


def test_compose_refuses_orders_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="reorder 2 and 3 train pairs"):
        compose(Augmentation(order=(1, 0)), Augmentation(order=(2, 1, 0)))
    assert compose(Augmentation(order=(1, 0)), Augmentation("rot90")).key == "rot90.o10"


@FAST
@given(tasks(), st.data())
def test_forward_task_keeps_shapes_and_reorders_train_pairs(task: Task, data: st.DataObject
                                                            ) -> None:
    aug = data.draw(augmentations(len(task.train)))
    out = forward_task(aug, task)
    order = aug.order or tuple(range(len(task.train)))
    assert out.id == task.id and len(out.train) == len(task.train)
    assert len(out.test) == len(task.test)
    for i, j in enumerate(order):
        for new, old in ((out.train[i].input, task.train[j].input),
                         (out.train[i].output, task.train[j].output)):
            assert new.shape == (old.shape[::-1] if aug.swaps_axes else old.shape)
            assert same(new, forward_grid(aug, old))
    for new, old in zip(out.test, task.test):               # test pairs keep their order
        assert same(new.input, forward_grid(aug, old.input))
        assert (new.output is None) == (old.output is None)
    back = forward_task(aug.inverse(), out)
    assert all(same(a.input, b.input) and same(a.output, b.output)
               for a, b in zip(back.train + back.test, task.train + task.test))


@FAST
@given(tasks(), st.data())
def test_forward_challenge_agrees_with_forward_task(task: Task, data: st.DataObject) -> None:
    aug = data.draw(augmentations(len(task.train)))
    got = forward_challenge(aug, task.challenge())
    want = forward_task(aug, task).challenge()
    assert got.id == want.id
    assert all(same(a.input, b.input) and same(a.output, b.output)
               for a, b in zip(got.train, want.train, strict=True))
    assert all(same(a, b) for a, b in zip(got.test_inputs, want.test_inputs, strict=True))
    # a transduction answer maps back: "answer" the augmented test inputs with themselves
    assert all(same(inverse_grid(aug, g), x)
               for g, x in zip(got.test_inputs, task.challenge().test_inputs))


def test_forward_task_refuses_an_order_of_the_wrong_length() -> None:
    task = Task("t", (Example(make_grid([[1]]), make_grid([[2]])),) * 2, ())
    with pytest.raises(ValueError, match="reorders 3 train pairs, the task has 2"):
        forward_task(Augmentation(order=(2, 1, 0)), task)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([None, *range(10)]),
       st.lists(st.integers(0, 9), max_size=3, unique=True), st.integers(0, 2**32 - 1),
       st.integers(0, 30), st.booleans())
def test_color_permutations_keep_the_background(background: int | None, fixed: list[int],
                                                seed: int, n: int, use_numpy: bool) -> None:
    def rng() -> random.Random | np.random.Generator:
        return np.random.default_rng(seed) if use_numpy else random.Random(seed)
    kept = set(fixed) | ({background} if background is not None else set())
    n = min(n, math.factorial(10 - len(kept)))
    perms = color_permutations(rng(), background, n, fixed)
    assert len(perms) == n and len(set(perms)) == n
    assert perms == color_permutations(rng(), background, n, fixed)
    for p in perms:
        assert sorted(p) == list(IDENTITY_COLORS)
        assert all(p[c] == c for c in kept)
        assert same(inverse_grid(Augmentation(colors=p), forward_grid(Augmentation(colors=p),
                                                                        make_grid([p]))),
                    make_grid([p]))


def test_color_permutations_small_spaces() -> None:
    everything = color_permutations(random.Random(1), 0, 6, fixed=(1, 2, 3, 4, 5, 6))
    assert len(set(everything)) == 6                        # 3 free colours: all 3! of them
    with pytest.raises(ValueError, match="there are 6"):
        color_permutations(random.Random(1), 0, 7, fixed=(1, 2, 3, 4, 5, 6))
    assert color_permutations(random.Random(1), None, 0) == []


def _challenge(n_train: int, colors: tuple[int, ...] = (0, 1, 2, 3)) -> Challenge:
    rng = np.random.default_rng(n_train)
    def grid() -> np.ndarray:
        return make_grid(rng.choice(np.array(colors, dtype=np.uint8), size=(3, 4)))
    return Challenge("c", tuple(Example(grid(), grid()) for _ in range(n_train)), (grid(),))


@pytest.mark.parametrize("n_train", [1, 3])
def test_views_are_distinct_identity_first_and_seeded(n_train: int) -> None:
    challenge = _challenge(n_train)
    got = views(challenge, 24, seed=5)
    assert len(got) == 24 and got[0] == IDENTITY
    assert len({v.key for v in got}) == 24
    assert {v.geometry for v in got[:8]} == set(GEOMETRIES)
    assert all(v.colors[0] == 0 for v in got)
    assert all(len(v.order) in (0, n_train) for v in got)
    assert got == views(challenge, 24, seed=5)
    assert views(challenge, 1, seed=5) == [IDENTITY]
    assert views(challenge, 8, seed=5) == got[:8]
    assert all(parse_key(v.key) == v for v in got)
    for v in got:
        forward_challenge(v, challenge)                     # every order fits the challenge


def test_views_keep_the_colours_asked_for_and_stop_when_exhausted() -> None:
    challenge = _challenge(2)
    kept = views(challenge, 16, seed=0, background=3, fixed=(1,))
    assert all(v.colors[3] == 3 and v.colors[1] == 1 for v in kept)
    assert any(v.colors[0] != 0 for v in kept)
    assert any(v.colors[0] != 0 for v in views(challenge, 16, seed=0, background=None))
    only_background = _challenge(1, colors=(0,))
    assert len(views(only_background, 20, seed=0)) == 8      # D8 is all that can differ
    with pytest.raises(ValueError, match="at least 1"):
        views(challenge, 0)

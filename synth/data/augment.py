"""Invertible task augmentations, each named by a stable key: the 8 rotations/reflections (D8),
colour permutations and train-pair reorderings.

An `Augmentation` applies its geometry and its colour permutation to every grid, and reorders
the train pairs of a task or challenge (test pairs keep their order, so answers map back by
index). Its `key` names it, identity parts left out: `id`, `rot90`, `c0213456789`,
`flip_h.c1023456789.o201`. `parse_key` reads a key back, `compose(a, b)` is `a` then `b`, and
`inverse()` undoes it; a transduction proposer answers an augmented challenge and maps each
answer grid back with `inverse_grid`.

- geometry: one of `GEOMETRIES`, named as the DSL names them (`rot90` is a quarter turn
  clockwise, `flip_h` mirrors left-right, `flip_v` top-bottom, `antitranspose` reflects in the
  anti-diagonal).
- colours: `colors[c]` is the new colour of colour `c`, a permutation of 0..9.
- order: augmented train pair `i` is original train pair `order[i]`; `()` keeps the order.
  In a key the indices are base-36 digits (`o102`), so at most 36 train pairs can be reordered.
"""
from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from synth.data.task import N_COLORS, Challenge, Example, Grid, Task

GEOMETRIES: tuple[str, ...] = ("id", "rot90", "rot180", "rot270", "flip_h", "flip_v",
                               "transpose", "antitranspose")
IDENTITY_COLORS: tuple[int, ...] = tuple(range(N_COLORS))
ORDER_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
MAX_ORDER = len(ORDER_DIGITS)

_TRANSFORMS: MappingProxyType[str, Callable[[np.ndarray], np.ndarray]] = MappingProxyType({
    "id": lambda g: g,
    "rot90": lambda g: np.rot90(g, k=-1),
    "rot180": lambda g: g[::-1, ::-1],
    "rot270": lambda g: np.rot90(g, k=1),
    "flip_h": lambda g: g[:, ::-1],
    "flip_v": lambda g: g[::-1, :],
    "transpose": lambda g: g.T,
    "antitranspose": lambda g: g[::-1, ::-1].T,
})
_SWAPS_AXES = frozenset({"rot90", "rot270", "transpose", "antitranspose"})

Rng = random.Random | np.random.Generator


class AugmentKeyError(ValueError):
    """An augmentation key that does not parse; the message quotes the key and says why."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"augmentation key {key!r}: {reason}")


def _geometry_table() -> tuple[MappingProxyType[tuple[str, str], str],
                               MappingProxyType[str, str]]:
    """The D8 product (`a` then `b`) and inverses, read off a probe grid with distinct cells."""
    probe = np.arange(6).reshape(2, 3)
    images = {name: _TRANSFORMS[name](probe) for name in GEOMETRIES}

    def named(image: np.ndarray) -> str:
        return next(n for n, im in images.items()
                    if im.shape == image.shape and np.array_equal(im, image))

    product = {(a, b): named(_TRANSFORMS[b](images[a])) for a in GEOMETRIES for b in GEOMETRIES}
    inverse = {a: next(b for b in GEOMETRIES if product[a, b] == "id") for a in GEOMETRIES}
    return MappingProxyType(product), MappingProxyType(inverse)


_PRODUCT, _INVERSE = _geometry_table()


@dataclass(frozen=True)
class Augmentation:
    """A D8 geometry, a colour permutation and a train-pair order; the default is the identity.

    Construction normalises (lists become tuples, an identity order becomes `()`), so equal
    augmentations compare equal and `parse_key(a.key) == a`."""

    geometry: str = "id"
    colors: tuple[int, ...] = IDENTITY_COLORS
    order: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.geometry not in _TRANSFORMS:
            raise ValueError(f"unknown geometry {self.geometry!r}; expected one of "
                             f"{', '.join(GEOMETRIES)}")
        colors = tuple(int(c) for c in self.colors)
        if sorted(colors) != list(IDENTITY_COLORS):
            raise ValueError(f"colors {list(colors)} is not a permutation of 0..9")
        order = tuple(int(i) for i in self.order)
        if sorted(order) != list(range(len(order))):
            raise ValueError(f"order {list(order)} is not a permutation of 0..{len(order) - 1}")
        if order == tuple(range(len(order))):
            order = ()
        if len(order) > MAX_ORDER:
            raise ValueError(f"order has {len(order)} train pairs, at most {MAX_ORDER} fit a key")
        object.__setattr__(self, "colors", colors)
        object.__setattr__(self, "order", order)

    @property
    def key(self) -> str:
        """The stable name: `GEOMETRY.cPERM.oORDER`, identity parts left out (`id` if all are)."""
        parts = [] if self.geometry == "id" else [self.geometry]
        if self.colors != IDENTITY_COLORS:
            parts.append("c" + "".join(str(c) for c in self.colors))
        if self.order:
            parts.append("o" + "".join(ORDER_DIGITS[i] for i in self.order))
        return ".".join(parts) or "id"

    @property
    def is_identity(self) -> bool:
        """True when it changes nothing."""
        return self.geometry == "id" and self.colors == IDENTITY_COLORS and not self.order

    @property
    def swaps_axes(self) -> bool:
        """True when the geometry turns an h×w grid into a w×h one (rot90, transpose, ...)."""
        return self.geometry in _SWAPS_AXES

    def inverse(self) -> Augmentation:
        """The augmentation that undoes this one: `compose(a, a.inverse())` is the identity."""
        colors = [0] * N_COLORS
        for c, d in enumerate(self.colors):
            colors[d] = c
        order = [0] * len(self.order)
        for i, j in enumerate(self.order):
            order[j] = i
        return Augmentation(_INVERSE[self.geometry], tuple(colors), tuple(order))

    def __str__(self) -> str:
        return self.key


IDENTITY = Augmentation()


def compose(first: Augmentation, then: Augmentation) -> Augmentation:
    """The augmentation that applies `first`, then `then`.

    Both orders must reorder the same number of train pairs, unless one of them keeps it."""
    if first.order and then.order and len(first.order) != len(then.order):
        raise ValueError(f"cannot compose {first.key!r} and {then.key!r}: they reorder "
                         f"{len(first.order)} and {len(then.order)} train pairs")
    if not then.order:
        order = first.order
    elif not first.order:
        order = then.order
    else:
        order = tuple(first.order[j] for j in then.order)
    return Augmentation(_PRODUCT[first.geometry, then.geometry],
                        tuple(then.colors[c] for c in first.colors), order)


def _parse_order(key: str, part: str) -> tuple[int, ...]:
    digits = part[1:]
    if not digits or any(ch not in ORDER_DIGITS for ch in digits):
        raise AugmentKeyError(key, f"order part {part!r} must be 'o' followed by train indices "
                                   "as base-36 digits (0-9, a-z)")
    order = tuple(ORDER_DIGITS.index(ch) for ch in digits)
    if sorted(order) != list(range(len(order))):
        raise AugmentKeyError(key, f"order part {part!r} is not a permutation of "
                                   f"0..{ORDER_DIGITS[len(order) - 1]}")
    return order


def _parse_colors(key: str, part: str) -> tuple[int, ...]:
    digits = part[1:]
    if len(digits) != N_COLORS or not digits.isdigit() or sorted(digits) != list("0123456789"):
        raise AugmentKeyError(key, f"colour part {part!r} must be 'c' followed by a permutation "
                                   "of the 10 digits 0-9")
    return tuple(int(ch) for ch in digits)


def parse_key(key: str) -> Augmentation:
    """Read a key written by `Augmentation.key` back; anything else is an `AugmentKeyError`.

    Only canonical keys parse (parts in the order geometry, colours, order; identity parts left
    out), so every augmentation has exactly one key."""
    if not isinstance(key, str) or not key:
        raise AugmentKeyError(str(key), "empty key; the identity is 'id'")
    found: dict[str, object] = {}
    for part in key.split("."):
        if part in _TRANSFORMS:
            kind, value = "geometry", part
        elif part.startswith("c"):
            kind, value = "colors", _parse_colors(key, part)
        elif part.startswith("o"):
            kind, value = "order", _parse_order(key, part)
        else:
            raise AugmentKeyError(key, f"unknown part {part!r}; expected a geometry "
                                       f"({', '.join(GEOMETRIES)}), 'c' + 10 colour digits or "
                                       "'o' + train indices")
        if kind in found:
            raise AugmentKeyError(key, f"more than one {kind} part")
        found[kind] = value
    try:
        aug = Augmentation(**found)  # type: ignore[arg-type]
    except ValueError as exc:
        raise AugmentKeyError(key, str(exc)) from None
    if aug.key != key:
        raise AugmentKeyError(key, f"not in canonical form (parts in the order geometry, "
                                   f"colours, order; identity parts left out): write "
                                   f"{aug.key!r}")
    return aug


def _apply(geometry: str, colors: tuple[int, ...], grid: Grid) -> Grid:
    lut = np.array(colors, dtype=np.uint8)
    out = np.ascontiguousarray(lut[_TRANSFORMS[geometry](np.asarray(grid))])
    out.setflags(write=False)
    return out


def forward_grid(aug: Augmentation, grid: Grid) -> Grid:
    """The grid under the augmentation's geometry and colours (a new read-only grid)."""
    return _apply(aug.geometry, aug.colors, grid)


def inverse_grid(aug: Augmentation, grid: Grid) -> Grid:
    """Undo `forward_grid(aug, ·)`: maps an answer to an augmented challenge back."""
    inv = aug.inverse()
    return _apply(inv.geometry, inv.colors, grid)


def _forward_example(aug: Augmentation, ex: Example) -> Example:
    return Example(forward_grid(aug, ex.input),
                   None if ex.output is None else forward_grid(aug, ex.output))


def _reorder(aug: Augmentation, train: tuple[Example, ...]) -> tuple[Example, ...]:
    if not aug.order:
        return train
    if len(aug.order) != len(train):
        raise ValueError(f"augmentation {aug.key!r} reorders {len(aug.order)} train pairs, "
                         f"the task has {len(train)}")
    return tuple(train[j] for j in aug.order)


def forward_task(aug: Augmentation, task: Task) -> Task:
    """The task with every grid augmented and its train pairs reordered (same id; test pairs
    keep their order, unknown outputs stay None). `forward_task(aug.inverse(), ·)` undoes it."""
    train = _reorder(aug, task.train)
    return Task(task.id, tuple(_forward_example(aug, ex) for ex in train),
                tuple(_forward_example(aug, ex) for ex in task.test))


def forward_challenge(aug: Augmentation, challenge: Challenge) -> Challenge:
    """The challenge with every grid augmented and its train pairs reordered (same id)."""
    train = _reorder(aug, challenge.train)
    return Challenge(challenge.id, tuple(_forward_example(aug, ex) for ex in train),
                     tuple(forward_grid(aug, g) for g in challenge.test_inputs))


def _shuffled(rng: Rng, items: Sequence[int]) -> list[int]:
    """A shuffled copy, from either kind of seeded generator."""
    if isinstance(rng, np.random.Generator):
        return [items[i] for i in rng.permutation(len(items))]
    out = list(items)
    rng.shuffle(out)
    return out


def _free_colors(background: int | None, fixed: Iterable[int]) -> list[int]:
    kept = set(fixed) | (set() if background is None else {background})
    if not kept <= set(IDENTITY_COLORS):
        raise ValueError(f"fixed colours {sorted(kept)} must lie in 0..9")
    return [c for c in IDENTITY_COLORS if c not in kept]


def _colors_from(free: list[int], image: Sequence[int]) -> tuple[int, ...]:
    colors = list(IDENTITY_COLORS)
    for c, d in zip(free, image):
        colors[c] = d
    return tuple(colors)


def color_permutations(rng: Rng, background: int | None, n: int,
                       fixed: Iterable[int] = ()) -> list[tuple[int, ...]]:
    """`n` distinct colour permutations, drawn uniformly, that keep `background` and every
    colour in `fixed` (`background=None`: no background kept); the same for the same seed.

    E.g. `color_permutations(random.Random(0), 0, 3)` gives three permutations with `p[0] == 0`.
    More than the (number of free colours)! that exist is a ValueError."""
    free = _free_colors(background, fixed)
    total = math.factorial(len(free))
    if not 0 <= n <= total:
        raise ValueError(f"asked for {n} distinct colour permutations; with {len(free)} free "
                         f"colours there are {total}")
    if 2 * n > total:
        every = list(itertools.permutations(free))
        return [_colors_from(free, every[i]) for i in _shuffled(rng, range(total))[:n]]
    seen: dict[tuple[int, ...], None] = {}
    while len(seen) < n:
        seen.setdefault(_colors_from(free, _shuffled(rng, free)), None)
    return list(seen)


def _palette(challenge: Challenge) -> tuple[int, ...]:
    grids = [*challenge.inputs, *(ex.output for ex in challenge.train if ex.output is not None)]
    return tuple(sorted({int(c) for g in grids for c in np.unique(g)}))


def views(challenge: Challenge, count: int, seed: int = 0, *, background: int | None = 0,
          fixed: Iterable[int] = ()) -> list[Augmentation]:
    """`count` augmentations of the challenge that differ in effect, the identity first.

    View `k` takes geometry `GEOMETRIES[k % 8]` (so the first 8 cover D8), a random colour
    permutation keeping `background` (0 unless the analysis says otherwise; None keeps no
    colour) and `fixed`, and a random train order. Two views count as the same when they agree
    on the geometry, the order and the new colours of the challenge's own colours; a challenge
    that admits fewer distinct views gets fewer. The same arguments give the same list."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    rng = random.Random(seed)
    free = _free_colors(background, fixed)
    palette = _palette(challenge)
    n_train = len(challenge.train)
    out = [IDENTITY]
    seen = {("id", palette, ())}
    attempts = 0
    while len(out) < count and attempts < 64 * count:
        attempts += 1
        colors = _colors_from(free, _shuffled(rng, free))
        order = tuple(_shuffled(rng, range(n_train))) if n_train <= MAX_ORDER else ()
        aug = Augmentation(GEOMETRIES[attempts % len(GEOMETRIES)], colors, order)
        effect = (aug.geometry, tuple(aug.colors[c] for c in palette), aug.order)
        if effect not in seen:
            seen.add(effect)
            out.append(aug)
    return out

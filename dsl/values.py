"""Runtime values of the DSL other than plain numbers: grids, masks, objects.

A Grid is a 2-D `uint8` numpy array; a Mask is a 2-D `bool` array (cells of a grid); an
Object is a patch of coloured cells: its bounding-box `colors` and `mask` arrays plus the
`top`/`left` offset where it sits in the grid it came from. Lists are tuples; Points are
`(row, col)` tuples. Values hash by content so equal results merge during search:
`value_key` is the content key, `value_hash` a native 64-bit hash with the same equality;
`value_nbytes` estimates the bytes a value holds (natively; `value_nbytes_reference` is its
oracle).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from native import fastprims, gridhash
from native.gridhash import ARRAY_OVERHEAD, CONTAINER_OVERHEAD, OBJECT_OVERHEAD, SCALAR_BYTES

Grid = np.ndarray
Mask = np.ndarray
Point = tuple[int, int]


def frozen(arr: np.ndarray) -> np.ndarray:
    """Mark an array read-only (values are immutable) and return it (natively: every
    primitive's result passes here)."""
    return fastprims.freeze(arr)


def as_grid(arr: np.ndarray) -> Grid:
    """A read-only C-contiguous uint8 copy-or-view of an array (the array itself when it is
    one already, checked natively)."""
    grid = fastprims.freeze_grid(arr)
    return frozen(np.ascontiguousarray(arr, dtype=np.uint8)) if grid is None else grid


@dataclass(frozen=True, eq=False, init=False)
class Object:
    """Coloured cells at an offset: `colors[mask]` are the cells, the rest is transparent.
    (`native.fastprims` builds instances directly, setting the four fields as plain instance
    attributes as `__init__` does: keep them so.)"""

    colors: np.ndarray
    mask: np.ndarray
    top: int
    left: int

    def __init__(self, colors: np.ndarray, mask: np.ndarray, top: int, left: int) -> None:
        """Set the fields straight in the instance's __dict__ (a frozen dataclass's own
        __init__ goes through `object.__setattr__` once per field; objects are built in bulk)."""
        fields = self.__dict__
        fields["colors"], fields["mask"], fields["top"], fields["left"] = colors, mask, top, left

    @property
    def height(self) -> int:
        """Rows of the bounding box."""
        return int(self.mask.shape[0])

    @property
    def width(self) -> int:
        """Columns of the bounding box."""
        return int(self.mask.shape[1])

    @property
    def size(self) -> int:
        """Number of cells."""
        return int(self.mask.sum())

    def key(self) -> tuple:
        """Content key: offset, shape, mask and the colours under the mask in reading order
        (computed once, kept in the instance's __dict__: the dataclass is frozen)."""
        cached = self.__dict__.get("_key")
        if cached is None:
            cached = (self.top, self.left, self.mask.shape, self.mask.tobytes(),
                      self.colors[self.mask].astype(np.uint8, copy=False).tobytes())
            self.__dict__["_key"] = cached
        return cached

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Object) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"Object({self.size} cells at ({self.top}, {self.left}), {self.height}x{self.width})"


def make_object(colors: np.ndarray, mask: np.ndarray, top: int = 0, left: int = 0) -> Object:
    """Build an Object trimmed to the bounding box of its mask (mask must be non-empty)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    sub_mask = np.ascontiguousarray(mask[r0:r1, c0:c1], dtype=bool)
    sub_colors = np.where(sub_mask, colors[r0:r1, c0:c1], 0).astype(np.uint8)
    return Object(frozen(sub_colors), frozen(sub_mask), int(top) + r0, int(left) + c0)


def near_grid(obj: Object, shape: tuple[int, int], margin: int = 0) -> bool:
    """True when the object's bounding box overlaps a grid of `shape` grown by `margin` cells
    on every side. Plain-int arithmetic, so it holds for offsets beyond 64 bits (an object
    moved absurdly far); a near object's offsets are small enough for numpy arithmetic."""
    h, w = shape
    return (-margin - obj.height < obj.top < h + margin
            and -margin - obj.width < obj.left < w + margin)


def value_nbytes_reference(value: object) -> int:
    """Roughly the bytes a value holds: array data plus a fixed overhead per array, object
    and list; an Object counts its arrays twice, as its content key (`Object.key`, cached once
    asked for) copies them. A memory estimate for the search's value bank (calibrated against
    tracemalloc on 30x30 tasks), not an exact accounting. The oracle of `value_nbytes`."""
    kind = type(value)
    if kind is np.ndarray or isinstance(value, np.ndarray):
        return value.nbytes + ARRAY_OVERHEAD
    if kind is tuple:  # items of the common kinds counted inline (lists of grids or objects)
        total = CONTAINER_OVERHEAD
        for item in value:
            item_kind = type(item)
            if item_kind is Object:
                total += OBJECT_OVERHEAD + 2 * (item.colors.nbytes + item.mask.nbytes
                                                + ARRAY_OVERHEAD)
            elif item_kind is np.ndarray:
                total += item.nbytes + ARRAY_OVERHEAD
            else:
                total += value_nbytes_reference(item)
        return total
    if isinstance(value, tuple):
        return CONTAINER_OVERHEAD + sum([value_nbytes_reference(v) for v in value])
    if kind is Object or isinstance(value, Object):
        return OBJECT_OVERHEAD + 2 * (value.colors.nbytes + value.mask.nbytes + ARRAY_OVERHEAD)
    return SCALAR_BYTES


def value_nbytes(value: object) -> int:
    """`value_nbytes_reference`'s count, computed natively (`native.gridhash`): it runs for
    every value the search stores and every result the memoised kernels keep."""
    return gridhash.value_nbytes(value, Object)


def value_hash(value: object) -> int:
    """A 64-bit content hash of any DSL value, computed natively (`native.gridhash`): equal
    `value_key`s give equal hashes, and different ones differ but for a ~2**-64 chance."""
    return gridhash.value_hash(value, Object)


def value_key(value: object) -> object:
    """A hashable content key for any DSL value (used for observational equivalence)."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, tuple):
        return tuple([value_key(v) for v in value])
    if isinstance(value, Object):
        return value.key()
    return value

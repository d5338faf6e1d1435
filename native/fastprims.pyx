# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Kernels for the enumerator's hottest primitives, with minimal call overhead: segmentation
into objects in one call, a grid's cells as one object, gap filling (`connect_same`,
`connect_pairs_h`), canonical colour normalisation, colour swaps, cell-wise logic, painting
the parts between separator lines, and freezing results.

Grids are 2-D uint8 arrays (C-contiguous; others are copied first); the grids and masks built
here are new read-only arrays. `segment` labels the active cells (mode ALL: every cell;
NOT_VALUE: cells != value; IS_VALUE: cells == value), 4- or 8-connected, joining neighbours
only of equal colour when `same_color`, and returns one object per component, sorted by
(top, left, majority colour, first cell in reading order), exactly as
`native.components.components` packs them. Objects are instances of the class passed in,
built without calling its `__new__` or `__init__`: the four fields `colors`, `mask`, `top`
and `left` are set as plain instance attributes (the generic `object.__setattr__`, past a
frozen class's own), as `dsl.values.Object.__init__` sets them.

`freeze` and `freeze_grid` mark arrays read-only for `dsl.values.frozen` and `as_grid`, which
every primitive's result passes through.
"""
import numpy as np
cimport numpy as cnp

from native.buffers cimport _box_not, _count_border, _data, _frozen, _new
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject_GenericSetAttr, PyTypeObject
from cpython.ref cimport Py_INCREF
from libc.stdlib cimport qsort
from libc.string cimport memcpy, memset

cnp.import_array()


cdef extern from "numpy/arrayobject.h":
    object PyArray_NewFromDescr(PyTypeObject* subtype, cnp.dtype descr, int nd,
                                cnp.npy_intp* dims, cnp.npy_intp* strides, void* data,
                                int flags, object obj)

cdef extern from "Python.h":
    object PyType_GenericNew(PyTypeObject* subtype, object args, object kwds)

cdef cnp.dtype _UINT8 = np.dtype(np.uint8)
cdef cnp.dtype _BOOL = np.dtype(np.bool_)

ALL = 0
NOT_VALUE = 1
IS_VALUE = 2
cdef enum:
    _N_COLORS = 10   # colour normalisation handles grids of colours 0..9
N_COLORS = _N_COLORS

cdef int _DR[8]
cdef int _DC[8]
_DR[:] = [0, 1, 0, -1, 1, 1, -1, -1]
_DC[:] = [1, 0, -1, 0, 1, -1, 1, -1]


cdef cnp.ndarray _grid(object value):
    """`value` as a C-contiguous 2-D uint8 ndarray (copied only if needed)."""
    cdef cnp.ndarray arr = <cnp.ndarray?>value
    if cnp.PyArray_TYPE(arr) != cnp.NPY_UINT8 or cnp.PyArray_NDIM(arr) != 2:
        raise TypeError(f"expected a 2-D uint8 array, got {arr.dtype} with {arr.ndim} "
                        f"dimensions")
    if not cnp.PyArray_IS_C_CONTIGUOUS(arr):
        arr = np.ascontiguousarray(arr)
    return arr


cdef cnp.ndarray _copy(cnp.ndarray grid):
    cdef cnp.ndarray out = _new(grid.shape[0], grid.shape[1])
    memcpy(_data(out), _data(grid), cnp.PyArray_SIZE(grid))
    return out


cdef object _view(cnp.ndarray base, cnp.dtype descr, Py_ssize_t offset, cnp.npy_intp h,
                  cnp.npy_intp w):
    """A read-only h x w view of a flat 1-byte buffer, starting at `offset`."""
    cdef cnp.npy_intp dims[2]
    dims[0] = h
    dims[1] = w
    Py_INCREF(descr)  # PyArray_NewFromDescr steals a reference
    view = PyArray_NewFromDescr(<PyTypeObject*>np.ndarray, descr, 2, dims, NULL,
                                <void*>(<char*>cnp.PyArray_DATA(base) + offset),
                                cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED, None)
    cnp.set_array_base(view, base)
    return view


cdef object _instance(object cls, object colors, object mask, long long top, long long left):
    """An instance of `cls` (a plain class with an instance dict) with the four fields set
    as instance attributes."""
    cdef object obj = PyType_GenericNew(<PyTypeObject*>cls, (), None)
    PyObject_GenericSetAttr(obj, "colors", colors)
    PyObject_GenericSetAttr(obj, "mask", mask)
    PyObject_GenericSetAttr(obj, "top", top)
    PyObject_GenericSetAttr(obj, "left", left)
    return obj


# --- segmentation ----------------------------------------------------------------------------

cdef inline bint _active(unsigned char v, int mode, long long value) noexcept:
    return mode == ALL or ((v != value) if mode == NOT_VALUE else (v == value))


cdef int _compare(const void* a, const void* b) noexcept nogil:
    cdef long long x = (<const long long*>a)[0], y = (<const long long*>b)[0]
    return (x > y) - (x < y)


cdef Py_ssize_t _label(unsigned char* p, Py_ssize_t h, Py_ssize_t w, int connect, int mode,
                       long long value, bint same_color, int* labels, int* stack,
                       Py_ssize_t* box, long long* keys) noexcept:
    """Label components in reading order of first cells (-1: inactive); per component k,
    box[4k:4k+4] = (top, left, bottom, right) and keys[k] its sort key. Returns their number."""
    cdef Py_ssize_t n = 0, r0, c0, r, c, y, x, top, bottom, left, right, cell, depth
    cdef Py_ssize_t hist[256]
    cdef int k, majority, color, bins = 1
    cdef unsigned char v
    for cell in range(h * w):
        labels[cell] = -1
        if p[cell] >= bins:
            bins = p[cell] + 1
    for r0 in range(h):
        for c0 in range(w):
            if labels[r0 * w + c0] >= 0 or not _active(p[r0 * w + c0], mode, value):
                continue
            labels[r0 * w + c0] = n
            stack[0] = r0 * w + c0
            depth = 1
            bottom, left, right = r0, c0, c0
            memset(hist, 0, bins * sizeof(Py_ssize_t))
            while depth > 0:
                depth -= 1
                r, c = stack[depth] // w, stack[depth] % w
                v = p[r * w + c]
                hist[v] += 1
                if r > bottom:
                    bottom = r
                if c < left:
                    left = c
                if c > right:
                    right = c
                for k in range(connect):
                    y, x = r + _DR[k], c + _DC[k]
                    if 0 <= y < h and 0 <= x < w and labels[y * w + x] < 0 \
                            and _active(p[y * w + x], mode, value) \
                            and (not same_color or p[y * w + x] == v):
                        labels[y * w + x] = n
                        stack[depth] = y * w + x
                        depth += 1
            majority = 0
            for color in range(bins):
                if hist[color] > hist[majority]:
                    majority = color
            box[4 * n], box[4 * n + 1], box[4 * n + 2], box[4 * n + 3] = r0, left, bottom, right
            keys[n] = ((r0 * w + left) * 256 + majority) * (h * w) + r0 * w + c0
            n += 1
    return n


def segment(grid, int connect, int mode, long long value, bint same_color, cls):
    """The components of the active cells as a tuple of `cls` instances (see the module
    docstring), each over its bounding box: mask = the component's cells, colours 0 off it."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], size = h * w, n, i, r, c, k, first
    cdef Py_ssize_t top, left, oh, ow, j, offset, total
    cdef int* labels = <int*>PyMem_Malloc(2 * size * sizeof(int) + 1)
    cdef Py_ssize_t* box = <Py_ssize_t*>PyMem_Malloc(4 * size * sizeof(Py_ssize_t) + 1)
    cdef long long* keys = <long long*>PyMem_Malloc(size * sizeof(long long) + 1)
    cdef cnp.ndarray colors, mask
    cdef unsigned char* cp
    cdef unsigned char* mp
    if labels == NULL or box == NULL or keys == NULL:
        PyMem_Free(labels)
        PyMem_Free(box)
        PyMem_Free(keys)
        raise MemoryError()
    try:
        n = _label(p, h, w, connect, mode, value, same_color, labels, labels + size, box, keys)
        qsort(keys, n, sizeof(long long), _compare)
        total = 0
        for i in range(n):
            k = labels[keys[i] % size]
            total += (box[4 * k + 2] - box[4 * k] + 1) * (box[4 * k + 3] - box[4 * k + 1] + 1)
        colors, mask = _new(1, total), _new(1, total, cnp.NPY_BOOL)
        cp, mp = _data(colors), _data(mask)
        out = []
        j = 0
        for i in range(n):
            k = labels[keys[i] % size]
            top, left = box[4 * k], box[4 * k + 1]
            oh, ow = box[4 * k + 2] - top + 1, box[4 * k + 3] - left + 1
            offset = j
            for r in range(top, top + oh):
                for c in range(left, left + ow):
                    if labels[r * w + c] == k:
                        mp[j], cp[j] = 1, p[r * w + c]
                    else:
                        mp[j], cp[j] = 0, 0
                    j += 1
            out.append(_instance(cls, _view(colors, _UINT8, offset, oh, ow),
                                 _view(mask, _BOOL, offset, oh, ow), top, left))
        return tuple(out)
    finally:
        PyMem_Free(labels)
        PyMem_Free(box)
        PyMem_Free(keys)


cdef bint _uniform(unsigned char* p, Py_ssize_t start, Py_ssize_t length, Py_ssize_t step,
                  int color) noexcept:
    """Whether the `length` cells from `start`, `step` apart, all have `color`."""
    cdef Py_ssize_t k
    for k in range(length):
        if p[start + k * step] != color:
            return False
    return True


# --- drawing ---------------------------------------------------------------------------------

cdef void _connect_lines(unsigned char* p, unsigned char* o, Py_ssize_t lines,
                         Py_ssize_t length, Py_ssize_t line_step, Py_ssize_t cell_step,
                         unsigned char bg) noexcept:
    """Fill each bg gap between two consecutive same-colour non-bg cells of every line (cell
    k of line i at i * line_step + k * cell_step) with their colour."""
    cdef Py_ssize_t i, k, j, prev
    cdef unsigned char v
    for i in range(lines):
        prev = -1
        for k in range(length):
            v = p[i * line_step + k * cell_step]
            if v == bg:
                continue
            if prev >= 0 and k > prev + 1 and p[i * line_step + prev * cell_step] == v:
                for j in range(prev + 1, k):
                    o[i * line_step + j * cell_step] = v
            prev = k


def connect_same(grid, int axis, unsigned char bg):
    """Fill each bg gap between two consecutive same-colour non-bg cells of a row (axis 0), a
    column (1) or both (2) with their colour; row fills win where both apply."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _copy(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1]
    if axis != 0:
        _connect_lines(_data(g), _data(out), w, h, 1, w, bg)
    if axis != 1:
        _connect_lines(_data(g), _data(out), h, w, w, 1, bg)
    return _frozen(out)


# --- colour normalisation --------------------------------------------------------------------

cdef bint _canonical_table(cnp.ndarray g, unsigned char* table) noexcept:
    """Fill `table[c]`, the canonical id of colour c (see `canonical_table`); False when the
    grid holds a colour of N_COLORS or more (the table is then undefined)."""
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], i, r, c
    cdef Py_ssize_t counts[256]
    cdef Py_ssize_t border[256]
    cdef int ranked[_N_COLORS]
    cdef bint used[_N_COLORS]
    cdef int n = 0, color, best, background = -1, spare
    cdef Py_ssize_t most = 0
    memset(counts, 0, sizeof(counts))
    memset(border, 0, sizeof(border))
    for i in range(h * w):
        counts[p[i]] += 1
    for color in range(_N_COLORS, 256):
        if counts[color]:
            return False
    _count_border(p, h, w, border)
    for color in range(_N_COLORS):
        if counts[color] > most:
            most = counts[color]
    for color in range(_N_COLORS):
        if counts[color] == most and (background < 0 or border[color] > border[background]):
            background = color
    memset(used, 0, sizeof(used))
    ranked[0], used[background], n = background, True, 1
    while True:
        best = -1
        for color in range(_N_COLORS):
            if counts[color] and not used[color] and (best < 0 or counts[color] > counts[best]):
                best = color
        if best < 0:
            break
        ranked[n], used[best], n = best, True, n + 1
    for i in range(n):
        table[ranked[i]] = i
    spare = n
    for color in range(_N_COLORS):
        if counts[color]:
            continue
        if color >= n:
            table[color] = color
            continue
        while counts[spare] == 0:   # the present colours >= n, ascending, fill the absent < n
            spare += 1
        table[color] = spare
        spare += 1
    return True


def canonical_table(grid):
    """`table[c]` = the canonical id of colour c in the grid, a permutation of 0..9 as a
    tuple (background 0, the other present colours 1, 2, ... by count, most first, ties to
    the smaller colour; absent colours keep their id when free, else take the ids left over,
    both ascending), or None when the grid holds a colour over 9."""
    cdef unsigned char table[_N_COLORS]
    if not _canonical_table(_grid(grid), table):
        return None
    return tuple([table[i] for i in range(_N_COLORS)])


def normalize_colors(grid):
    """The grid recoloured to canonical ids, or None when it holds a colour over 9."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char table[_N_COLORS]
    if not _canonical_table(g, table):
        return None
    cdef cnp.ndarray out = _new(g.shape[0], g.shape[1])
    cdef unsigned char* p = _data(g)
    cdef unsigned char* o = _data(out)
    cdef Py_ssize_t i
    for i in range(cnp.PyArray_SIZE(g)):
        o[i] = table[p[i]]
    return _frozen(out)


def denormalize_colors(grid, ref):
    """The grid's canonical ids mapped back to the colours of `ref`, or None when either
    grid holds a colour over 9."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char table[_N_COLORS]
    cdef unsigned char inverse[_N_COLORS]
    cdef Py_ssize_t i, size = cnp.PyArray_SIZE(g)
    cdef unsigned char* p = _data(g)
    if not _canonical_table(_grid(ref), table):
        return None
    for i in range(size):
        if p[i] >= _N_COLORS:
            return None
    for i in range(_N_COLORS):
        inverse[table[i]] = i
    cdef cnp.ndarray out = _new(g.shape[0], g.shape[1])
    cdef unsigned char* o = _data(out)
    for i in range(size):
        o[i] = inverse[p[i]]
    return _frozen(out)


# --- objects from grids ----------------------------------------------------------------------

def grid_object(grid, unsigned char bg, cls):
    """The grid's non-bg cells as one `cls` instance over their bounding box (colours 0 off
    the mask), or None when every cell is bg."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, j = 0
    cdef Py_ssize_t box[4]
    if not _box_not(p, h, w, bg, box):
        return None
    cdef Py_ssize_t top = box[0], left = box[1], bottom = box[2], right = box[3]
    cdef cnp.ndarray colors = _new(bottom - top + 1, right - left + 1)
    cdef cnp.ndarray mask = _new(bottom - top + 1, right - left + 1, cnp.NPY_BOOL)
    cdef unsigned char* cp = _data(colors)
    cdef unsigned char* mp = _data(mask)
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            mp[j] = p[r * w + c] != bg
            cp[j] = p[r * w + c] if mp[j] else 0
            j += 1
    return _instance(cls, _frozen(colors), _frozen(mask), top, left)


# --- separator lines -------------------------------------------------------------------------

cdef int _separator_color(unsigned char* p, Py_ssize_t h, Py_ssize_t w, bint* full_row,
                          bint* full_col) noexcept:
    """The separator colour (`dsl.primitives.sizing.split_by_lines`: among the colours with a
    complete row or column, prefer one found only on its complete lines, then the most lines
    away from the edge, then the most lines, then the fewest cells, then the highest colour),
    its complete rows and columns marked; -1 when no colour has one."""
    cdef Py_ssize_t counts[256]
    cdef Py_ssize_t r, c, lines, interior, on_lines, best_interior = 0, best_lines = 0
    cdef Py_ssize_t best_cells = 0
    cdef int color, best = -1
    cdef bint pure, best_pure = False
    memset(counts, 0, sizeof(counts))
    for r in range(h * w):
        counts[p[r]] += 1
    for color in range(256):
        if counts[color] == 0:
            continue
        lines, interior, on_lines = 0, 0, 0
        for r in range(h):
            if _uniform(p, r * w, w, 1, color):
                lines += 1
                interior += 0 < r < h - 1
        for c in range(w):
            if _uniform(p, c, h, w, color):
                lines += 1
                interior += 0 < c < w - 1
        if lines == 0:
            continue
        _full_lines(p, h, w, color, full_row, full_col)
        for r in range(h):
            for c in range(w):
                if p[r * w + c] == color and (full_row[r] or full_col[c]):
                    on_lines += 1
        pure = on_lines == counts[color]
        if best < 0 or (pure, interior, lines, -counts[color], color) > \
                (best_pure, best_interior, best_lines, -best_cells, best):
            best, best_pure, best_interior, best_lines = color, pure, interior, lines
            best_cells = counts[color]
    if best >= 0:
        _full_lines(p, h, w, best, full_row, full_col)
    return best


cdef void _full_lines(unsigned char* p, Py_ssize_t h, Py_ssize_t w, int color, bint* full_row,
                      bint* full_col) noexcept:
    """Mark the rows and columns made entirely of `color`."""
    cdef Py_ssize_t r, c
    for r in range(h):
        full_row[r] = True
    for c in range(w):
        full_col[c] = True
    for r in range(h):
        for c in range(w):
            if p[r * w + c] != color:
                full_row[r] = False
                full_col[c] = False


cdef Py_ssize_t _runs(bint* full, Py_ssize_t n, Py_ssize_t* starts, Py_ssize_t* stops
                      ) noexcept:
    """The maximal runs [start, stop) of lines that are not full; returns their number."""
    cdef Py_ssize_t i, k = 0
    for i in range(n):
        if full[i]:
            continue
        if i == 0 or full[i - 1]:
            starts[k] = i
            k += 1
        stops[k - 1] = i + 1
    return k


def paint_parts(grid, small):
    """(rows, cols, grid): the layout of the parts between the separator lines and the grid
    with each part filled with the colour of `small` at the part's place, or None when the
    layout differs from `small`'s shape; (-1, -1, None) when no colour has a complete line."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray s = _grid(small)
    cdef unsigned char* p = _data(g)
    cdef unsigned char* sp = _data(s)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], n_rows, n_cols, i, j, r, c
    cdef Py_ssize_t* buf = <Py_ssize_t*>PyMem_Malloc((2 * h + 2 * w + 2) * sizeof(Py_ssize_t))
    cdef bint* full = <bint*>PyMem_Malloc((h + w + 1) * sizeof(bint))
    cdef cnp.ndarray out
    cdef unsigned char* o
    if buf == NULL or full == NULL:
        PyMem_Free(buf)
        PyMem_Free(full)
        raise MemoryError()
    try:
        if _separator_color(p, h, w, full, full + h) < 0:
            return -1, -1, None
        n_rows = _runs(full, h, buf, buf + h)
        n_cols = _runs(full + h, w, buf + 2 * h, buf + 2 * h + w)
        if n_rows != s.shape[0] or n_cols != s.shape[1]:
            return n_rows, n_cols, None
        out = _copy(g)
        o = _data(out)
        for i in range(n_rows):
            for j in range(n_cols):
                for r in range(buf[i], buf[h + i]):
                    for c in range(buf[2 * h + j], buf[2 * h + w + j]):
                        o[r * w + c] = sp[i * n_cols + j]
        return n_rows, n_cols, _frozen(out)
    finally:
        PyMem_Free(buf)
        PyMem_Free(full)


# --- freezing results ------------------------------------------------------------------------

def freeze(arr):
    """Mark an ndarray read-only and return it (`ndarray.setflags(write=False)`)."""
    cdef cnp.ndarray a = <cnp.ndarray?>arr
    cnp.PyArray_CLEARFLAGS(a, cnp.NPY_ARRAY_WRITEABLE)
    return a


def freeze_grid(arr):
    """A C-contiguous uint8 ndarray of one or more dimensions (of the ndarray type itself)
    marked read-only and returned; None for anything else (left untouched)."""
    if type(arr) is not np.ndarray:
        return None
    cdef cnp.ndarray a = <cnp.ndarray>arr
    if cnp.PyArray_TYPE(a) != cnp.NPY_UINT8 or not cnp.PyArray_IS_C_CONTIGUOUS(a) \
            or cnp.PyArray_NDIM(a) < 1:
        return None
    cnp.PyArray_CLEARFLAGS(a, cnp.NPY_ARRAY_WRITEABLE)
    return a


# --- recolouring -----------------------------------------------------------------------------

def connect_pairs_h(grid, unsigned char color, unsigned char line_color, unsigned char bg):
    """Paint the bg cells from the first to the last cell of `color` of every row holding two
    or more of them with `line_color`."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _copy(g)
    cdef unsigned char* p = _data(g)
    cdef unsigned char* o = _data(out)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, first, last
    for r in range(h):
        first, last = -1, -1
        for c in range(w):
            if p[r * w + c] == color:
                if first < 0:
                    first = c
                last = c
        if last > first:
            for c in range(first, last + 1):
                if p[r * w + c] == bg:
                    o[r * w + c] = line_color
    return _frozen(out)


def swap_colors(grid, unsigned char a, unsigned char b):
    """Colours a and b exchanged everywhere."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _new(g.shape[0], g.shape[1])
    cdef unsigned char* p = _data(g)
    cdef unsigned char* o = _data(out)
    cdef Py_ssize_t i
    for i in range(cnp.PyArray_SIZE(g)):
        o[i] = b if p[i] == a else (a if p[i] == b else p[i])
    return _frozen(out)


AND = 0
OR = 1
XOR = 2


def cellwise(a, b, int op, unsigned char color, unsigned char bg):
    """`color` where op (AND, OR, XOR) of the two grids' non-bg cells holds, else bg; the
    grids have the same shape."""
    cdef cnp.ndarray ga = _grid(a)
    cdef cnp.ndarray gb = _grid(b)
    if ga.shape[0] != gb.shape[0] or ga.shape[1] != gb.shape[1]:
        raise ValueError("cellwise: the grids' shapes differ")
    cdef cnp.ndarray out = _new(ga.shape[0], ga.shape[1])
    cdef unsigned char* p = _data(ga)
    cdef unsigned char* q = _data(gb)
    cdef unsigned char* o = _data(out)
    cdef Py_ssize_t i
    cdef bint x, y, hit
    for i in range(cnp.PyArray_SIZE(ga)):
        x, y = p[i] != bg, q[i] != bg
        hit = (x and y) if op == AND else ((x or y) if op == OR else (x != y))
        o[i] = color if hit else bg
    return _frozen(out)

# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Cell-level kernels with minimal call overhead: colour statistics, symmetry and period
tests, crops, Kronecker products, deduplication and painting objects.

Grids are 2-D uint8 arrays and masks 2-D bool arrays (C-contiguous; others are copied
first). Objects are anything with `colors` (uint8), `mask` (bool, same shape), `top` and
`left` attributes. Grids these kernels build are new read-only arrays. Colour statistics
count every uint8 value and break ties towards the smaller colour.
"""
import numpy as np
cimport numpy as cnp
from libc.string cimport memcpy, memset

cnp.import_array()

cdef long long _FAR = 1LL << 40


cdef cnp.ndarray _array(object value, int typenum):
    """`value` as a C-contiguous 2-D ndarray of the given type (copied only if needed)."""
    cdef cnp.ndarray arr = <cnp.ndarray?>value
    if cnp.PyArray_TYPE(arr) != typenum or cnp.PyArray_NDIM(arr) != 2:
        raise TypeError(f"expected a 2-D {np.dtype(np.uint8 if typenum == cnp.NPY_UINT8 else bool)}"
                        f" array, got {arr.dtype} with {arr.ndim} dimensions")
    if not cnp.PyArray_IS_C_CONTIGUOUS(arr):
        arr = np.ascontiguousarray(arr)
    return arr


cdef inline cnp.ndarray _grid(object value):
    return _array(value, cnp.NPY_UINT8)


cdef inline cnp.ndarray _mask(object value):
    return _array(value, cnp.NPY_BOOL)


cdef inline unsigned char* _data(cnp.ndarray arr):
    return <unsigned char*>cnp.PyArray_DATA(arr)


cdef cnp.ndarray _new(Py_ssize_t h, Py_ssize_t w):
    cdef cnp.npy_intp dims[2]
    dims[0] = h
    dims[1] = w
    return cnp.PyArray_SimpleNew(2, dims, cnp.NPY_UINT8)


cdef inline cnp.ndarray _frozen(cnp.ndarray arr):
    cnp.PyArray_CLEARFLAGS(arr, cnp.NPY_ARRAY_WRITEABLE)
    return arr


cdef void _histogram(cnp.ndarray grid, Py_ssize_t* counts) noexcept:
    cdef unsigned char* p = _data(grid)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(grid)
    memset(counts, 0, 256 * sizeof(Py_ssize_t))
    for i in range(n):
        counts[p[i]] += 1


cdef void _masked_histogram(cnp.ndarray colors, cnp.ndarray mask, Py_ssize_t* counts) noexcept:
    cdef unsigned char* p = _data(colors)
    cdef unsigned char* m = _data(mask)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(colors)
    memset(counts, 0, 256 * sizeof(Py_ssize_t))
    for i in range(n):
        if m[i]:
            counts[p[i]] += 1


cdef int _argmax(Py_ssize_t* counts) noexcept:
    cdef int color, best = 0
    for color in range(256):
        if counts[color] > counts[best]:
            best = color
    return best


cdef int _n_present(Py_ssize_t* counts) noexcept:
    cdef int color, n = 0
    for color in range(256):
        n += counts[color] > 0
    return n


cdef tuple _object_arrays(object obj):
    cdef cnp.ndarray colors = _grid(obj.colors)
    cdef cnp.ndarray mask = _mask(obj.mask)
    if cnp.PyArray_SIZE(colors) != cnp.PyArray_SIZE(mask):
        raise ValueError("an object's colors and mask differ in shape")
    return colors, mask


# --- colour statistics -----------------------------------------------------------------------

def most_common(grid):
    """The most frequent colour (ties: smaller colour)."""
    cdef Py_ssize_t counts[256]
    _histogram(_grid(grid), counts)
    return _argmax(counts)


def least_common(grid):
    """The least frequent colour present (ties: smaller colour)."""
    cdef Py_ssize_t counts[256]
    cdef int color, best = -1
    _histogram(_grid(grid), counts)
    for color in range(256):
        if counts[color] > 0 and (best < 0 or counts[color] < counts[best]):
            best = color
    return best


def most_common_except(grid, long long bg):
    """The most frequent colour other than bg (ties: smaller colour); -1 if there is none."""
    cdef Py_ssize_t counts[256]
    cdef int best
    _histogram(_grid(grid), counts)
    if 0 <= bg < 256:
        counts[bg] = 0
    best = _argmax(counts)
    return best if counts[best] > 0 else -1


def background(grid):
    """The most frequent colour; ties go to the colour with more cells on the border rows and
    columns (counted once per border line, so corners twice), then to the smaller colour."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c
    cdef Py_ssize_t counts[256]
    cdef Py_ssize_t border[256]
    cdef Py_ssize_t top
    cdef int color, best = -1
    _histogram(g, counts)
    memset(border, 0, 256 * sizeof(Py_ssize_t))
    for c in range(w):
        border[p[c]] += 1
        border[p[(h - 1) * w + c]] += 1
    for r in range(h):
        border[p[r * w]] += 1
        border[p[r * w + w - 1]] += 1
    top = counts[_argmax(counts)]
    for color in range(256):
        if counts[color] == top and (best < 0 or border[color] > border[best]):
            best = color
    return best


def n_present(grid):
    """The number of distinct colours."""
    cdef Py_ssize_t counts[256]
    _histogram(_grid(grid), counts)
    return _n_present(counts)


def present(grid):
    """The distinct colours, ascending, as a tuple of ints."""
    cdef Py_ssize_t counts[256]
    cdef int color
    _histogram(_grid(grid), counts)
    return tuple([color for color in range(256) if counts[color] > 0])


def count_color(grid, long long color):
    """The number of cells of one colour."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t i, n = 0, size = cnp.PyArray_SIZE(g)
    if not 0 <= color < 256:
        return 0
    for i in range(size):
        n += p[i] == color
    return n


# --- objects ---------------------------------------------------------------------------------

def object_size(obj):
    """The number of cells of an object (true cells of its mask)."""
    cdef cnp.ndarray mask = _mask(obj.mask)
    cdef unsigned char* m = _data(mask)
    cdef Py_ssize_t i, n = 0, size = cnp.PyArray_SIZE(mask)
    for i in range(size):
        n += m[i] != 0
    return n


def object_majority(obj):
    """The most frequent colour of an object's cells (ties: smaller colour)."""
    cdef Py_ssize_t counts[256]
    colors, mask = _object_arrays(obj)
    _masked_histogram(colors, mask, counts)
    return _argmax(counts)


def object_n_colors(obj):
    """The number of distinct colours among an object's cells."""
    cdef Py_ssize_t counts[256]
    colors, mask = _object_arrays(obj)
    _masked_histogram(colors, mask, counts)
    return _n_present(counts)


cdef bint _stamp(cnp.ndarray out, object obj, bint erase, unsigned char bg) except -1:
    """Paint (or erase to bg) the object's cells into `out`, clipped; False if none overlap."""
    cdef Py_ssize_t h = out.shape[0], w = out.shape[1]
    top, left = obj.top, obj.left
    if not (-_FAR < top < _FAR and -_FAR < left < _FAR):
        return False
    colors, mask = _object_arrays(obj)
    cdef cnp.ndarray cs = colors, ms = mask
    cdef unsigned char* p = _data(out)
    cdef unsigned char* cp = _data(cs)
    cdef unsigned char* mp = _data(ms)
    cdef long long t = top, l = left, r, c
    cdef Py_ssize_t oh = ms.shape[0], ow = ms.shape[1], i, j
    if t >= h or l >= w or t + oh <= 0 or l + ow <= 0:
        return False
    for i in range(oh):
        r = t + i
        if r < 0 or r >= h:
            continue
        for j in range(ow):
            c = l + j
            if mp[i * ow + j] and 0 <= c < w:
                p[r * w + c] = bg if erase else cp[i * ow + j]
    return True


cdef cnp.ndarray _copy(cnp.ndarray grid):
    cdef cnp.ndarray out = _new(grid.shape[0], grid.shape[1])
    memcpy(_data(out), _data(grid), cnp.PyArray_SIZE(grid))
    return out


def paint_object(grid, obj):
    """The grid with the object's cells drawn on (clipped); the grid itself if none overlap."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _copy(g)
    if not _stamp(out, obj, False, 0):
        return grid
    return _frozen(out)


def paint_objects(grid, objs):
    """The grid with each object drawn in turn (later on top); the grid itself if none overlap."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _copy(g)
    cdef bint any_painted = False
    for obj in objs:
        any_painted |= _stamp(out, obj, False, 0)
    return _frozen(out) if any_painted else grid


def cover_object(grid, obj, long long bg=0):
    """The grid with the object's cells erased to bg (clipped); the grid itself if none overlap."""
    cdef cnp.ndarray g = _grid(grid)
    cdef cnp.ndarray out = _copy(g)
    if not _stamp(out, obj, True, <unsigned char>bg):
        return grid
    return _frozen(out)


# --- symmetry, periods, crops ----------------------------------------------------------------

def is_symmetric_h(grid):
    """True when the grid equals its left-right mirror."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c
    for r in range(h):
        for c in range(w // 2):
            if p[r * w + c] != p[r * w + w - 1 - c]:
                return False
    return True


def is_symmetric_v(grid):
    """True when the grid equals its top-bottom mirror."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c
    for r in range(h // 2):
        for c in range(w):
            if p[r * w + c] != p[(h - 1 - r) * w + c]:
                return False
    return True


def period_rows(grid):
    """The smallest p with row i == row i - p for all i >= p (the height if none)."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* q = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], p, i, n
    for p in range(1, h):
        n = (h - p) * w
        for i in range(n):
            if q[p * w + i] != q[i]:
                break
        else:
            return p
    return h


def period_cols(grid):
    """The smallest p with column j == column j - p for all j >= p (the width if none)."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* q = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], p, r, c
    cdef bint ok
    for p in range(1, w):
        ok = True
        for r in range(h):
            for c in range(p, w):
                if q[r * w + c] != q[r * w + c - p]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return p
    return w


def crop_not(grid, long long value):
    """The bounding box of the cells != value, as a new grid; None if there are none."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c
    cdef Py_ssize_t r0 = h, c0 = w, r1 = -1, c1 = -1
    for r in range(h):
        for c in range(w):
            if p[r * w + c] != value:
                if r < r0:
                    r0 = r
                r1 = r
                if c < c0:
                    c0 = c
                if c > c1:
                    c1 = c
    if r1 < 0:
        return None
    cdef cnp.ndarray out = _new(r1 - r0 + 1, c1 - c0 + 1)
    cdef unsigned char* o = _data(out)
    for r in range(r0, r1 + 1):
        memcpy(o + (r - r0) * (c1 - c0 + 1), p + r * w + c0, c1 - c0 + 1)
    return _frozen(out)


def kron(a, b, long long bg):
    """Each cell of `a` != bg becomes a copy of `b`, each bg cell a bg block."""
    cdef cnp.ndarray ga = _grid(a), gb = _grid(b)
    cdef unsigned char* pa = _data(ga)
    cdef unsigned char* pb = _data(gb)
    cdef Py_ssize_t ha = ga.shape[0], wa = ga.shape[1], hb = gb.shape[0], wb = gb.shape[1]
    cdef Py_ssize_t i, j, y, w = wa * wb
    cdef cnp.ndarray out = _new(ha * hb, w)
    cdef unsigned char* o = _data(out)
    for i in range(ha):
        for j in range(wa):
            for y in range(hb):
                if pa[i * wa + j] != bg:
                    memcpy(o + (i * hb + y) * w + j * wb, pb + y * wb, wb)
                else:
                    memset(o + (i * hb + y) * w + j * wb, <unsigned char>bg, wb)
    return _frozen(out)


cdef bint _rows_differ(unsigned char* p, Py_ssize_t w, Py_ssize_t r) noexcept:
    cdef Py_ssize_t c
    for c in range(w):
        if p[r * w + c] != p[(r - 1) * w + c]:
            return True
    return False


cdef bint _cols_differ(unsigned char* p, Py_ssize_t h, Py_ssize_t w, Py_ssize_t c) noexcept:
    cdef Py_ssize_t r
    for r in range(h):
        if p[r * w + c] != p[r * w + c - 1]:
            return True
    return False


def dedupe_rows(grid):
    """The grid with each run of identical adjacent rows collapsed to one."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, n = 1
    for r in range(1, h):
        n += _rows_differ(p, w, r)
    cdef cnp.ndarray out = _new(n, w)
    cdef unsigned char* o = _data(out)
    memcpy(o, p, w)
    n = 1
    for r in range(1, h):
        if _rows_differ(p, w, r):
            memcpy(o + n * w, p + r * w, w)
            n += 1
    return _frozen(out)


def dedupe_cols(grid):
    """The grid with each run of identical adjacent columns collapsed to one."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, n = 1, k
    for c in range(1, w):
        n += _cols_differ(p, h, w, c)
    cdef cnp.ndarray out = _new(h, n)
    cdef unsigned char* o = _data(out)
    k = 0
    for c in range(w):
        if c == 0 or _cols_differ(p, h, w, c):
            for r in range(h):
                o[r * n + k] = p[r * w + c]
            k += 1
    return _frozen(out)


def compress(grid):
    """The grid without the rows and columns entirely of its most common colour (ties: the
    smaller colour); None when no row or no column would remain."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, i, j
    cdef Py_ssize_t counts[256]
    _histogram(g, counts)
    cdef unsigned char common = _argmax(counts)
    rows = np.zeros(h, dtype=np.uint8)
    cols = np.zeros(w, dtype=np.uint8)
    cdef unsigned char[::1] keep_r = rows, keep_c = cols
    for r in range(h):
        for c in range(w):
            if p[r * w + c] != common:
                keep_r[r] = 1
                keep_c[c] = 1
    cdef Py_ssize_t nr = 0, nc = 0
    for r in range(h):
        nr += keep_r[r]
    for c in range(w):
        nc += keep_c[c]
    if nr == 0 or nc == 0:
        return None
    cdef cnp.ndarray out = _new(nr, nc)
    cdef unsigned char* o = _data(out)
    i = 0
    for r in range(h):
        if not keep_r[r]:
            continue
        j = 0
        for c in range(w):
            if keep_c[c]:
                o[i * nc + j] = p[r * w + c]
                j += 1
        i += 1
    return _frozen(out)

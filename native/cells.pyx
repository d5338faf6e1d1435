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

from native.buffers cimport _box_not, _count_border, _data, _frozen, _new
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.string cimport memcmp, memcpy, memset

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


cdef int _count(unsigned char* p, unsigned char* m, Py_ssize_t n, Py_ssize_t* counts) noexcept:
    """Histogram of the values p[i] (where m[i], if m is not NULL) into counts; returns the
    number of leading bins filled (16 when every value is below 16, else 256)."""
    cdef Py_ssize_t a[16]
    cdef Py_ssize_t b[16]
    cdef Py_ssize_t i, k
    cdef unsigned char acc = 0, u, v
    memset(a, 0, sizeof(a))
    memset(b, 0, sizeof(b))
    if m == NULL:
        i = 0
        while i + 1 < n:
            u, v = p[i], p[i + 1]
            acc |= u | v
            a[u & 15] += 1
            b[v & 15] += 1
            i += 2
        if i < n:
            acc |= p[i]
            a[p[i] & 15] += 1
    else:
        for i in range(n):
            if m[i]:
                acc |= p[i]
                a[p[i] & 15] += 1
    if acc < 16:
        for k in range(16):
            counts[k] = a[k] + b[k]
        return 16
    memset(counts, 0, 256 * sizeof(Py_ssize_t))
    for i in range(n):
        if m == NULL or m[i]:
            counts[p[i]] += 1
    return 256


cdef inline int _histogram(cnp.ndarray grid, Py_ssize_t* counts) noexcept:
    return _count(_data(grid), NULL, cnp.PyArray_SIZE(grid), counts)


cdef inline int _masked_histogram(cnp.ndarray colors, cnp.ndarray mask,
                                  Py_ssize_t* counts) noexcept:
    return _count(_data(colors), _data(mask), cnp.PyArray_SIZE(colors), counts)


cdef int _argmax(Py_ssize_t* counts, int bins) noexcept:
    cdef int color, best = 0
    for color in range(bins):
        if counts[color] > counts[best]:
            best = color
    return best


cdef int _n_present(Py_ssize_t* counts, int bins) noexcept:
    cdef int color, n = 0
    for color in range(bins):
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
    cdef int bins = _histogram(_grid(grid), counts)
    return _argmax(counts, bins)


def least_common(grid):
    """The least frequent colour present (ties: smaller colour)."""
    cdef Py_ssize_t counts[256]
    cdef int color, best = -1
    cdef int bins = _histogram(_grid(grid), counts)
    for color in range(bins):
        if counts[color] > 0 and (best < 0 or counts[color] < counts[best]):
            best = color
    return best


def most_common_except(grid, long long bg):
    """The most frequent colour other than bg (ties: smaller colour); -1 if there is none."""
    cdef Py_ssize_t counts[256]
    cdef int best
    cdef int bins = _histogram(_grid(grid), counts)
    if 0 <= bg < bins:
        counts[bg] = 0
    best = _argmax(counts, bins)
    return best if counts[best] > 0 else -1


def background(grid):
    """The most frequent colour; ties go to the colour with more cells on the border rows and
    columns (counted once per border line, so corners twice), then to the smaller colour."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1]
    cdef Py_ssize_t counts[256]
    cdef Py_ssize_t border[256]
    cdef Py_ssize_t top
    cdef int color, best = -1
    cdef int bins = _histogram(g, counts)
    memset(border, 0, 256 * sizeof(Py_ssize_t))
    _count_border(p, h, w, border)
    top = counts[_argmax(counts, bins)]
    for color in range(bins):
        if counts[color] == top and (best < 0 or border[color] > border[best]):
            best = color
    return best


def n_present(grid):
    """The number of distinct colours."""
    cdef Py_ssize_t counts[256]
    cdef int bins = _histogram(_grid(grid), counts)
    return _n_present(counts, bins)


def present(grid):
    """The distinct colours, ascending, as a tuple of ints."""
    cdef Py_ssize_t counts[256]
    cdef int color
    cdef int bins = _histogram(_grid(grid), counts)
    return tuple([color for color in range(bins) if counts[color] > 0])


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
    cdef int bins = _masked_histogram(colors, mask, counts)
    return _argmax(counts, bins)


def object_n_colors(obj):
    """The number of distinct colours among an object's cells."""
    cdef Py_ssize_t counts[256]
    colors, mask = _object_arrays(obj)
    cdef int bins = _masked_histogram(colors, mask, counts)
    return _n_present(counts, bins)


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
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r
    cdef Py_ssize_t box[4]
    if not _box_not(p, h, w, value, box):
        return None
    cdef Py_ssize_t r0 = box[0], c0 = box[1], r1 = box[2], c1 = box[3]
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


cdef Py_ssize_t* _alloc(Py_ssize_t n) except NULL:
    cdef Py_ssize_t* buf = <Py_ssize_t*>PyMem_Malloc(max(n, 1) * sizeof(Py_ssize_t))
    if buf == NULL:
        raise MemoryError()
    memset(buf, 0, max(n, 1) * sizeof(Py_ssize_t))
    return buf


cdef cnp.ndarray _select(unsigned char* p, Py_ssize_t h, Py_ssize_t w, Py_ssize_t* keep_r,
                         Py_ssize_t* keep_c, Py_ssize_t nr, Py_ssize_t nc):
    """The cells of the kept rows and columns, as a new grid."""
    cdef cnp.ndarray out = _new(nr, nc)
    cdef unsigned char* o = _data(out)
    cdef Py_ssize_t r, c, i = 0, j
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


def compress(grid):
    """The grid without the rows and columns entirely of its most common colour (ties: the
    smaller colour); None when no row or no column would remain."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, nr = 0, nc = 0
    cdef Py_ssize_t counts[256]
    cdef int bins = _histogram(g, counts)
    cdef unsigned char common = _argmax(counts, bins)
    cdef Py_ssize_t* keep_r = _alloc(h)
    cdef Py_ssize_t* keep_c = _alloc(w)
    try:
        for r in range(h):
            for c in range(w):
                if p[r * w + c] != common:
                    keep_r[r] = 1
                    keep_c[c] = 1
        for r in range(h):
            nr += keep_r[r]
        for c in range(w):
            nc += keep_c[c]
        if nr == 0 or nc == 0:
            return None
        return _select(p, h, w, keep_r, keep_c, nr, nc)
    finally:
        PyMem_Free(keep_r)
        PyMem_Free(keep_c)


cdef void _uniform_lines(unsigned char* p, Py_ssize_t h, Py_ssize_t w, Py_ssize_t* row_color,
                         Py_ssize_t* col_color) noexcept:
    """row_color[r] = the colour of row r if it has one colour, else -1; same for columns."""
    cdef Py_ssize_t r, c
    for r in range(h):
        row_color[r] = p[r * w]
        for c in range(1, w):
            if p[r * w + c] != p[r * w]:
                row_color[r] = -1
                break
    for c in range(w):
        col_color[c] = p[c]
        for r in range(1, h):
            if p[r * w + c] != p[c]:
                col_color[c] = -1
                break


cdef int _separator(unsigned char* p, Py_ssize_t h, Py_ssize_t w, Py_ssize_t* row_color,
                    Py_ssize_t* col_color) noexcept:
    """The separator colour (see split_lines) or -1."""
    cdef Py_ssize_t counts[256]
    cdef Py_ssize_t lines[256]
    cdef Py_ssize_t interior[256]
    cdef Py_ssize_t on_lines[256]
    cdef Py_ssize_t r, c, v
    cdef int color, best = -1
    memset(counts, 0, sizeof(counts))
    memset(lines, 0, sizeof(lines))
    memset(interior, 0, sizeof(interior))
    memset(on_lines, 0, sizeof(on_lines))
    for r in range(h):
        if row_color[r] >= 0:
            lines[row_color[r]] += 1
            interior[row_color[r]] += 0 < r < h - 1
    for c in range(w):
        if col_color[c] >= 0:
            lines[col_color[c]] += 1
            interior[col_color[c]] += 0 < c < w - 1
    for r in range(h):
        for c in range(w):
            v = p[r * w + c]
            counts[v] += 1
            on_lines[v] += row_color[r] == v or col_color[c] == v
    for color in range(256):
        if lines[color] > 0 and (best < 0 or not _worse(
                on_lines[color] == counts[color], interior[color], lines[color], counts[color],
                on_lines[best] == counts[best], interior[best], lines[best], counts[best])):
            best = color
    return best


cdef bint _worse(bint pure_a, Py_ssize_t interior_a, Py_ssize_t lines_a, Py_ssize_t cells_a,
                 bint pure_b, Py_ssize_t interior_b, Py_ssize_t lines_b,
                 Py_ssize_t cells_b) noexcept:
    """True when separator candidate a ranks strictly below b (equal keys are not worse)."""
    if pure_a != pure_b:
        return pure_a < pure_b
    if interior_a != interior_b:
        return interior_a < interior_b
    if lines_a != lines_b:
        return lines_a < lines_b
    return cells_a > cells_b


cdef Py_ssize_t _runs(Py_ssize_t* line_color, Py_ssize_t n, int color, Py_ssize_t* starts,
                      Py_ssize_t* stops) noexcept:
    """The maximal [start, stop) runs of lines that are not separators; returns their number."""
    cdef Py_ssize_t i, k = 0, start = -1
    for i in range(n + 1):
        if i < n and line_color[i] != color:
            if start < 0:
                start = i
        elif start >= 0:
            starts[k], stops[k] = start, i
            k += 1
            start = -1
    return k


def split_lines(grid):
    """The parts of the grid between complete rows/columns of the separator colour, in
    reading order; None when no colour fills a complete row or column.

    Among several colours, prefer one found only on its complete lines, then the most lines
    away from the edge, then the most lines, then the fewest cells, then the highest colour.
    """
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], i, j, r, nr, nc
    cdef Py_ssize_t* row_color = _alloc(3 * h + 3 * w + 2)
    cdef Py_ssize_t* col_color = row_color + h
    cdef Py_ssize_t* r0 = col_color + w
    cdef Py_ssize_t* r1 = r0 + h + 1
    cdef Py_ssize_t* c0 = r1 + h + 1
    cdef Py_ssize_t* c1 = c0 + w
    cdef cnp.ndarray part
    cdef int color
    try:
        _uniform_lines(p, h, w, row_color, col_color)
        color = _separator(p, h, w, row_color, col_color)
        if color < 0:
            return None
        nr = _runs(row_color, h, color, r0, r1)
        nc = _runs(col_color, w, color, c0, c1)
        parts = []
        for i in range(nr):
            for j in range(nc):
                part = _new(r1[i] - r0[i], c1[j] - c0[j])
                for r in range(r0[i], r1[i]):
                    memcpy(_data(part) + (r - r0[i]) * (c1[j] - c0[j]), p + r * w + c0[j],
                           c1[j] - c0[j])
                parts.append(_frozen(part))
        return tuple(parts)
    finally:
        PyMem_Free(row_color)


def color_groups(grid, long long bg, make):
    """A tuple of `make(colors, mask, top, left)`, one per colour present other than bg, over
    the bounding box of that colour's cells, sorted by (top, left, colour)."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, c, i, j, k, n = 0
    cdef Py_ssize_t top[256]
    cdef Py_ssize_t left[256]
    cdef Py_ssize_t bottom[256]
    cdef Py_ssize_t right[256]
    cdef int order[256]
    cdef int v, tmp
    cdef cnp.ndarray colors, mask
    cdef unsigned char* cp
    cdef unsigned char* mp
    for v in range(256):
        top[v], left[v], bottom[v], right[v] = h, w, -1, -1
    for r in range(h):
        for c in range(w):
            v = p[r * w + c]
            if v == bg:
                continue
            if r < top[v]:
                top[v] = r
            bottom[v] = r
            if c < left[v]:
                left[v] = c
            if c > right[v]:
                right[v] = c
    for v in range(256):
        if bottom[v] < 0:
            continue
        order[n] = v
        k = n
        while k > 0 and (top[order[k - 1]] > top[v]
                         or (top[order[k - 1]] == top[v] and left[order[k - 1]] > left[v])):
            order[k] = order[k - 1]
            k -= 1
        order[k] = v
        n += 1
    out = []
    for i in range(n):
        v = order[i]
        colors = _new(bottom[v] - top[v] + 1, right[v] - left[v] + 1)
        mask = _new(bottom[v] - top[v] + 1, right[v] - left[v] + 1, cnp.NPY_BOOL)
        cp, mp = _data(colors), _data(mask)
        k = 0
        for r in range(top[v], bottom[v] + 1):
            for c in range(left[v], right[v] + 1):
                mp[k] = p[r * w + c] == v
                cp[k] = v if mp[k] else 0
                k += 1
        out.append(make(_frozen(colors), _frozen(mask), top[v], left[v]))
    return tuple(out)


# --- drawing and copying ---------------------------------------------------------------------

cdef void _k_range(long long p, long long dp, long long n, long long* lo,
                   long long* hi) noexcept:
    """The k with 0 <= p + k*dp < n (dp in -1, 0, 1), as an inclusive range [lo, hi]."""
    if dp == 0 and 0 <= p < n:
        lo[0], hi[0] = -_FAR, _FAR
    elif dp == 0:
        lo[0], hi[0] = 1, 0
    elif dp > 0:
        lo[0], hi[0] = -p, n - 1 - p
    else:
        lo[0], hi[0] = p - n + 1, p


def draw_line(grid, long long r, long long c, long long dr, long long dc, long long steps,
              long long color):
    """A copy of the grid with the cells (r + k dr, c + k dc), 0 <= k <= steps, that lie
    inside it set to color (dr and dc in -1, 0, 1)."""
    cdef cnp.ndarray g = _grid(grid)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1]
    cdef cnp.ndarray out = _copy(g)
    cdef unsigned char* o = _data(out)
    cdef long long lo_r, hi_r, lo_c, hi_c, k
    _k_range(r, dr, h, &lo_r, &hi_r)
    _k_range(c, dc, w, &lo_c, &hi_c)
    for k in range(max(0, lo_r, lo_c), min(steps, hi_r, hi_c) + 1):
        o[(r + k * dr) * w + c + k * dc] = <unsigned char>color
    return _frozen(out)


def paint_line(grid, long long index, bint row, long long color):
    """A copy of the grid with row (or column) `index`, which must exist, set to color."""
    cdef cnp.ndarray g = _grid(grid)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], i
    if not 0 <= index < (h if row else w):
        raise IndexError(f"paint_line: {'row' if row else 'column'} {index} out of range")
    cdef cnp.ndarray out = _copy(g)
    cdef unsigned char* o = _data(out)
    if row:
        memset(o + index * w, <unsigned char>color, w)
    else:
        for i in range(h):
            o[i * w + index] = <unsigned char>color
    return _frozen(out)


def shift(grid, dr, dc, long long fill=0):
    """The content moved dr rows down and dc columns right; vacated cells become fill."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t h = g.shape[0], w = g.shape[1], r, r0, r1, c0, c1
    cdef cnp.ndarray out = _new(h, w)
    cdef unsigned char* o = _data(out)
    cdef long long sr, sc
    memset(o, <unsigned char>fill, h * w)
    if -h < dr < h and -w < dc < w:
        sr, sc = dr, dc
        r0, r1, c0, c1 = max(sr, 0), h + min(sr, 0), max(sc, 0), w + min(sc, 0)
        for r in range(r0, r1):
            memcpy(o + r * w + c0, p + (r - sr) * w + c0 - sc, c1 - c0)
    return _frozen(out)


def overlay(a, b, long long bg=0):
    """b's cells that are not bg drawn over a; None when the shapes differ."""
    cdef cnp.ndarray ga = _grid(a), gb = _grid(b)
    if ga.shape[0] != gb.shape[0] or ga.shape[1] != gb.shape[1]:
        return None
    cdef unsigned char* pa = _data(ga)
    cdef unsigned char* pb = _data(gb)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(ga)
    cdef cnp.ndarray out = _new(ga.shape[0], ga.shape[1])
    cdef unsigned char* o = _data(out)
    for i in range(n):
        o[i] = pb[i] if pb[i] != bg else pa[i]
    return _frozen(out)


def full(long long h, long long w, long long color):
    """A new h x w grid of one colour."""
    if h < 1 or w < 1:
        raise ValueError(f"full: {h}x{w} is empty")
    cdef cnp.ndarray out = _new(h, w)
    memset(_data(out), <unsigned char>color, h * w)
    return _frozen(out)


def crop(grid, long long top, long long left, long long h, long long w):
    """A copy of the h x w window at (top, left), which must lie inside the grid."""
    cdef cnp.ndarray g = _grid(grid)
    cdef unsigned char* p = _data(g)
    cdef Py_ssize_t width = g.shape[1], r
    if h < 1 or w < 1 or top < 0 or left < 0 or top + h > g.shape[0] or left + w > width:
        raise IndexError(f"crop: window {h}x{w} at ({top}, {left}) is outside the grid")
    cdef cnp.ndarray out = _new(h, w)
    cdef unsigned char* o = _data(out)
    for r in range(h):
        memcpy(o + r * w, p + (top + r) * width + left, w)
    return _frozen(out)


def mask_fill(mask, long long color):
    """A new grid of the mask's shape: color under the mask, 0 elsewhere."""
    cdef cnp.ndarray m = _mask(mask)
    cdef unsigned char* p = _data(m)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(m)
    cdef cnp.ndarray out = _new(m.shape[0], m.shape[1])
    cdef unsigned char* o = _data(out)
    for i in range(n):
        o[i] = <unsigned char>color if p[i] else 0
    return _frozen(out)


def same_array(a, b):
    """True when two arrays have the same dtype, shape and cells."""
    cdef cnp.ndarray x = <cnp.ndarray?>a, y = <cnp.ndarray?>b
    cdef int d
    if x.dtype != y.dtype or x.ndim != y.ndim:
        return False
    for d in range(x.ndim):
        if x.shape[d] != y.shape[d]:
            return False
    if not cnp.PyArray_IS_C_CONTIGUOUS(x):
        x = np.ascontiguousarray(x)
    if not cnp.PyArray_IS_C_CONTIGUOUS(y):
        y = np.ascontiguousarray(y)
    return memcmp(cnp.PyArray_DATA(x), cnp.PyArray_DATA(y), cnp.PyArray_NBYTES(x)) == 0

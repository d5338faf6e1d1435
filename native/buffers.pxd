# cython: language_level=3
"""Helpers shared by the Cython kernels (`cells.pyx`, `fastprims.pyx`): raw data pointers,
new 2-D arrays, read-only results, the bounding box of the cells unlike a value and the border
colour counts. Inline, so nothing is imported at run time."""
cimport numpy as cnp


cdef inline unsigned char* _data(cnp.ndarray arr):
    return <unsigned char*>cnp.PyArray_DATA(arr)


cdef inline cnp.ndarray _new(Py_ssize_t h, Py_ssize_t w, int typenum=cnp.NPY_UINT8):
    cdef cnp.npy_intp dims[2]
    dims[0] = h
    dims[1] = w
    return cnp.PyArray_SimpleNew(2, dims, typenum)


cdef inline cnp.ndarray _frozen(cnp.ndarray arr):
    cnp.PyArray_CLEARFLAGS(arr, cnp.NPY_ARRAY_WRITEABLE)
    return arr


cdef inline bint _box_not(unsigned char* p, Py_ssize_t h, Py_ssize_t w, long long value,
                          Py_ssize_t* box) noexcept:
    """The bounding box (top, left, bottom, right) of the cells != value into `box`; False
    when there are none."""
    cdef Py_ssize_t r, c
    box[0], box[1], box[2], box[3] = h, w, -1, -1
    for r in range(h):
        for c in range(w):
            if p[r * w + c] != value:
                if r < box[0]:
                    box[0] = r
                box[2] = r
                if c < box[1]:
                    box[1] = c
                if c > box[3]:
                    box[3] = c
    return box[2] >= 0


cdef inline void _count_border(unsigned char* p, Py_ssize_t h, Py_ssize_t w,
                               Py_ssize_t* border) noexcept:
    """Add each border cell's colour to `border` (once per border line, so corners twice)."""
    cdef Py_ssize_t r, c
    for c in range(w):
        border[p[c]] += 1
        border[p[(h - 1) * w + c]] += 1
    for r in range(h):
        border[p[r * w]] += 1
        border[p[r * w + w - 1]] += 1

# cython: language_level=3
"""Sub-grid search (template matching): where a pattern occurs in a grid.

A pattern cell equal to `wildcard` matches any colour (pass -1 for exact matching). Positions
are the (row, col) of the pattern's top-left cell, in reading order.
"""
import numpy as np
cimport numpy as cnp

cnp.import_array()


cdef bint _matches(const unsigned char[:, ::1] grid, const unsigned char[:, ::1] pattern,
                   Py_ssize_t top, Py_ssize_t left, int wildcard) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef unsigned char p
    for i in range(pattern.shape[0]):
        for j in range(pattern.shape[1]):
            p = pattern[i, j]
            if p != wildcard and grid[top + i, left + j] != p:
                return False
    return True


def find_pattern(const unsigned char[:, ::1] grid, const unsigned char[:, ::1] pattern,
                 int wildcard=-1):
    """An (n, 2) int64 array of the top-left corners where the pattern occurs."""
    cdef Py_ssize_t rows = grid.shape[0] - pattern.shape[0] + 1
    cdef Py_ssize_t cols = grid.shape[1] - pattern.shape[1] + 1
    cdef Py_ssize_t r, c, n = 0
    out = np.empty((max(rows, 0) * max(cols, 0), 2), dtype=np.int64)
    cdef long long[:, ::1] pos = out
    with nogil:
        for r in range(rows):
            for c in range(cols):
                if _matches(grid, pattern, r, c, wildcard):
                    pos[n, 0] = r
                    pos[n, 1] = c
                    n += 1
    return out[:n]


def count_pattern(const unsigned char[:, ::1] grid, const unsigned char[:, ::1] pattern,
                  int wildcard=-1):
    """The number of positions where the pattern occurs."""
    cdef Py_ssize_t rows = grid.shape[0] - pattern.shape[0] + 1
    cdef Py_ssize_t cols = grid.shape[1] - pattern.shape[1] + 1
    cdef Py_ssize_t r, c, n = 0
    with nogil:
        for r in range(rows):
            for c in range(cols):
                n += _matches(grid, pattern, r, c, wildcard)
    return n

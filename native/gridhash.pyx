# cython: language_level=3
"""Grid hashing kernel: a 64-bit FNV-1a hash over (shape, bytes) of a uint8 grid."""
import numpy as np
cimport numpy as cnp

cnp.import_array()


def grid_hash(const unsigned char[:, ::1] grid):
    """Return a 64-bit FNV-1a hash of a C-contiguous uint8 grid, shape included."""
    cdef unsigned long long h = 1469598103934665603ULL
    cdef unsigned long long prime = 1099511628211ULL
    cdef Py_ssize_t rows = grid.shape[0], cols = grid.shape[1], i, j
    h = (h ^ <unsigned long long>rows) * prime
    h = (h ^ <unsigned long long>cols) * prime
    for i in range(rows):
        for j in range(cols):
            h = (h ^ grid[i, j]) * prime
    return h

# cython: language_level=3
"""Hashing kernels: a 64-bit FNV-1a hash over (shape, bytes) of a uint8 grid, and a 64-bit
content hash of any search value (arrays, tuples, objects, scalars) for the enumerator's
seen-set, and the estimate of the bytes such a value holds (`value_nbytes`) for the
enumerator's bank.

`value_hash(value, object_type)` follows the equality of `dsl.values.value_key`: values
with equal content keys get equal hashes. Arrays hash their dtype string, shape and bytes in
C order; tuples their length and their items' hashes; instances of `object_type` (anything
with `top`, `left`, `mask` and `colors` and a `key()` giving `(top, left, mask shape, mask
bytes, colour bytes under the mask)`) their offsets' Python hashes, mask shape, mask bytes
and the colours under the mask; anything else its Python hash. Bytes are mixed 8 at a time
(MurmurHash3's 64-bit block mix) and every hash ends with its finaliser.
"""
import numpy as np
cimport numpy as cnp
from cpython.object cimport PyObject_Hash
from libc.stdint cimport uint64_t
from libc.string cimport memcpy

cnp.import_array()

cdef enum:
    _BUFFER = 512  # colour bytes gathered before they are mixed

cdef uint64_t _SEED = 0x9E3779B97F4A7C15ULL
cdef uint64_t _TAG_ARRAY = 1
cdef uint64_t _TAG_TUPLE = 2
cdef uint64_t _TAG_OBJECT = 3
cdef uint64_t _TAG_SCALAR = 4
cdef uint64_t _UINT8_CODE = <uint64_t>PyObject_Hash(np.dtype(np.uint8).str)
cdef uint64_t _BOOL_CODE = <uint64_t>PyObject_Hash(np.dtype(np.bool_).str)


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


cdef struct Stream:
    uint64_t h        # the running hash of the whole words fed so far
    uint64_t word     # the bytes of the current, unfinished word
    uint64_t length   # bytes fed
    int filled        # bytes in `word`


cdef inline uint64_t _rotl(uint64_t x, int r) noexcept nogil:
    return (x << r) | (x >> (64 - r))


cdef inline uint64_t _block(uint64_t h, uint64_t k) noexcept nogil:
    k *= 0x87C37B91114253D5ULL
    k = _rotl(k, 31)
    k *= 0x4CF5AD432745937FULL
    h ^= k
    return _rotl(h, 27) * 5 + 0x52DCE729ULL


cdef inline uint64_t _final(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    h *= 0xC4CEB9FE1A85EC53ULL
    return h ^ (h >> 33)


cdef inline void _start(Stream* s, uint64_t tag) noexcept nogil:
    s.h = _SEED ^ tag
    s.word = 0
    s.length = 0
    s.filled = 0


cdef inline void _byte(Stream* s, unsigned char b) noexcept nogil:
    s.word |= (<uint64_t>b) << (8 * s.filled)
    s.filled += 1
    s.length += 1
    if s.filled == 8:
        s.h = _block(s.h, s.word)
        s.word = 0
        s.filled = 0


cdef inline void _bytes(Stream* s, const unsigned char* p, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i = 0
    cdef uint64_t k
    while s.filled and i < n:
        _byte(s, p[i])
        i += 1
    while i + 8 <= n:
        memcpy(&k, p + i, 8)
        s.h = _block(s.h, k)
        s.length += 8
        i += 8
    while i < n:
        _byte(s, p[i])
        i += 1


cdef inline void _word(Stream* s, uint64_t k) noexcept nogil:
    _bytes(s, <const unsigned char*>&k, 8)


cdef inline uint64_t _digest(Stream* s) noexcept nogil:
    cdef uint64_t h = s.h
    if s.filled:
        h = _block(h, s.word)
    return _final(h ^ s.length)


cdef uint64_t _array_hash(cnp.ndarray arr) except? 0:
    cdef Stream s
    cdef int typenum = cnp.PyArray_TYPE(arr), d, ndim = cnp.PyArray_NDIM(arr)
    cdef cnp.npy_intp* dims = cnp.PyArray_DIMS(arr)
    cdef uint64_t code
    if typenum == cnp.NPY_UINT8:
        code = _UINT8_CODE
    elif typenum == cnp.NPY_BOOL:
        code = _BOOL_CODE
    else:
        code = <uint64_t>PyObject_Hash(arr.dtype.str)
    _start(&s, _TAG_ARRAY)
    _word(&s, code)
    _word(&s, <uint64_t>ndim)
    for d in range(ndim):
        _word(&s, <uint64_t>dims[d])
    if not cnp.PyArray_IS_C_CONTIGUOUS(arr):
        arr = np.ascontiguousarray(arr)
    _bytes(&s, <const unsigned char*>cnp.PyArray_DATA(arr), cnp.PyArray_NBYTES(arr))
    return _digest(&s)


cdef inline bint _plain_2d(cnp.ndarray arr, int typenum) noexcept:
    return cnp.PyArray_TYPE(arr) == typenum and cnp.PyArray_NDIM(arr) == 2


cdef uint64_t _object_hash(object obj) except? 0:
    cdef Stream s
    cdef object mask_value = obj.mask, colors_value = obj.colors
    cdef cnp.ndarray mask, colors
    cdef Py_ssize_t h, w, i, j, mr, mc, cr, cc, n
    cdef unsigned char buffer[_BUFFER]
    cdef const unsigned char* m
    cdef const unsigned char* c
    _start(&s, _TAG_OBJECT)
    _word(&s, <uint64_t>PyObject_Hash(obj.top))
    _word(&s, <uint64_t>PyObject_Hash(obj.left))
    if isinstance(mask_value, cnp.ndarray) and isinstance(colors_value, cnp.ndarray):
        mask, colors = mask_value, colors_value
        if _plain_2d(mask, cnp.NPY_BOOL) and _plain_2d(colors, cnp.NPY_UINT8) and \
                mask.shape[0] == colors.shape[0] and mask.shape[1] == colors.shape[1]:
            h, w = mask.shape[0], mask.shape[1]
            _word(&s, 2)
            _word(&s, <uint64_t>h)
            _word(&s, <uint64_t>w)
            m = <const unsigned char*>cnp.PyArray_DATA(mask)
            c = <const unsigned char*>cnp.PyArray_DATA(colors)
            mr, mc = cnp.PyArray_STRIDES(mask)[0], cnp.PyArray_STRIDES(mask)[1]
            cr, cc = cnp.PyArray_STRIDES(colors)[0], cnp.PyArray_STRIDES(colors)[1]
            if mc == 1 and mr == w:
                _bytes(&s, m, h * w)
            else:
                for i in range(h):
                    for j in range(w):
                        _byte(&s, m[i * mr + j * mc])
            n = 0
            for i in range(h):
                for j in range(w):
                    if m[i * mr + j * mc]:
                        buffer[n] = c[i * cr + j * cc]
                        n += 1
                        if n == _BUFFER:
                            _bytes(&s, buffer, n)
                            n = 0
            _bytes(&s, buffer, n)
            return _digest(&s)
    key = obj.key()
    shape = key[2]
    _word(&s, <uint64_t>len(shape))
    for size in shape:
        _word(&s, <uint64_t>size)
    cdef const unsigned char[::1] mask_bytes = key[3]
    cdef const unsigned char[::1] color_bytes = key[4]
    if mask_bytes.shape[0]:
        _bytes(&s, &mask_bytes[0], mask_bytes.shape[0])
    if color_bytes.shape[0]:
        _bytes(&s, &color_bytes[0], color_bytes.shape[0])
    return _digest(&s)


cdef uint64_t _hash(object value, object object_type) except? 0:
    cdef Stream s
    cdef Py_ssize_t i, n
    if cnp.PyArray_Check(value):
        return _array_hash(<cnp.ndarray>value)
    if isinstance(value, tuple):
        n = len(value)
        _start(&s, _TAG_TUPLE)
        _word(&s, <uint64_t>n)
        for i in range(n):
            _word(&s, _hash((<tuple>value)[i], object_type))
        return _digest(&s)
    if isinstance(value, object_type):
        return _object_hash(value)
    _start(&s, _TAG_SCALAR)
    _word(&s, <uint64_t>PyObject_Hash(value))
    return _digest(&s)


def value_hash(value, object_type):
    """A 64-bit content hash of a search value; equal `value_key`s give equal hashes
    (`object_type`: the class whose instances hash as objects, `dsl.values.Object`)."""
    return _hash(value, object_type)


cdef enum:
    _ARRAY_OVERHEAD = 112      # bytes of a numpy array's header
    _CONTAINER_OVERHEAD = 64   # bytes of a tuple
    _OBJECT_OVERHEAD = 256     # bytes of an Object instance and its __dict__
    _SCALAR_BYTES = 32

# The same counts for Python (`dsl.values` takes them from here: one source for both counts).
ARRAY_OVERHEAD = _ARRAY_OVERHEAD
CONTAINER_OVERHEAD = _CONTAINER_OVERHEAD
OBJECT_OVERHEAD = _OBJECT_OVERHEAD
SCALAR_BYTES = _SCALAR_BYTES


cdef inline Py_ssize_t _nbytes_of(object arr) except -1:
    if cnp.PyArray_Check(arr):
        return cnp.PyArray_NBYTES(<cnp.ndarray>arr)
    return arr.nbytes


cdef Py_ssize_t _nbytes(object value, object object_type) except -1:
    cdef Py_ssize_t total, i, n
    if cnp.PyArray_Check(value):
        return cnp.PyArray_NBYTES(<cnp.ndarray>value) + _ARRAY_OVERHEAD
    if isinstance(value, tuple):
        n = len(value)
        total = _CONTAINER_OVERHEAD
        for i in range(n):
            total += _nbytes((<tuple>value)[i], object_type)
        return total
    if isinstance(value, object_type):
        return _OBJECT_OVERHEAD + 2 * (_nbytes_of(value.colors) + _nbytes_of(value.mask)
                                       + _ARRAY_OVERHEAD)
    return _SCALAR_BYTES


def value_nbytes(value, object_type):
    """The bytes a search value holds, as `dsl.values.value_nbytes_reference` counts them:
    array data plus `ARRAY_OVERHEAD` per array, `CONTAINER_OVERHEAD` per tuple,
    `OBJECT_OVERHEAD` per instance of `object_type` plus its `colors` and `mask` arrays twice,
    `SCALAR_BYTES` per anything else."""
    return _nbytes(value, object_type)

"""Compiled kernels (Cython and Numba) over contiguous uint8 arrays.

This package imports only numpy/numba and its own compiled modules; it never imports
`dsl` or `synth`. Registry entries name kernels here by string.
"""

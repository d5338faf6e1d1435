"""Build hook: compiles the Cython kernels in native/ at install time.

A missing C compiler or Cython fails the install with a clear message instead of
surfacing later as an ImportError at run time.
"""
import shutil
import sys

from setuptools import setup


def _extensions():
    try:
        import numpy
        from Cython.Build import cythonize
    except ImportError as exc:  # pragma: no cover - exercised only on broken build envs
        sys.exit(f"synth: building native/ needs Cython and numpy at build time ({exc}).")
    if not (shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")):
        sys.exit("synth: building native/ needs a C compiler (cc, gcc or clang) on PATH.")
    return cythonize(
        ["native/*.pyx"],
        compiler_directives={"language_level": "3", "boundscheck": False, "wraparound": False},
        quiet=True,
    ), numpy.get_include()


_ext_modules, _numpy_include = _extensions()
for _ext in _ext_modules:
    _ext.include_dirs.append(_numpy_include)

setup(ext_modules=_ext_modules)

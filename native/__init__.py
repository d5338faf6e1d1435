"""Compiled kernels (Cython and Numba) over contiguous uint8 arrays.

This package imports only numpy/numba and its own compiled modules; it never imports
`dsl` or `synth`. Registry entries name kernels by string; `dsl.kernels` maps those names to
fast paths built on the functions here. Kernels return raw arrays and scalars.

Numba kernels are `@njit(cache=True)`: the first call in a fresh checkout compiles them and
writes the cache next to the sources (`native/__pycache__`). When that folder is not
writable (a read-only install) and `NUMBA_CACHE_DIR` is unset, the cache goes to a per-user
folder instead; this must happen before numba is first imported, hence here.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _writable(folder: Path) -> bool:
    """True when `folder` (or, if missing, its parent) accepts new files."""
    target = folder if folder.exists() else folder.parent
    return os.access(target, os.W_OK | os.X_OK)


def numba_cache_dir() -> Path:
    """A writable folder for numba's cache when the package's own folder is read-only."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for candidate in (Path(base) / "synth" / "numba",
                      Path(tempfile.gettempdir()) / f"synth-numba-{os.getuid()}"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if _writable(candidate):
            return candidate
    return Path(tempfile.mkdtemp(prefix="synth-numba-"))


if "NUMBA_CACHE_DIR" not in os.environ and not _writable(Path(__file__).parent / "__pycache__"):
    os.environ["NUMBA_CACHE_DIR"] = str(numba_cache_dir())
    if "numba" in sys.modules:  # imported before us: numba read its config already
        sys.modules["numba"].config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]


def kernels_cached() -> bool:
    """Whether numba's cache already holds compiled kernels (else the first call compiles
    them, which takes a while)."""
    folder = Path(os.environ.get("NUMBA_CACHE_DIR") or Path(__file__).parent / "__pycache__")
    return folder.is_dir() and any(folder.rglob("*.nbi"))

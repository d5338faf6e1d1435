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


def _cache_folder() -> Path:
    """Where numba writes its cache for this package."""
    return Path(os.environ.get("NUMBA_CACHE_DIR") or Path(__file__).parent / "__pycache__")


def kernels_fingerprint() -> str:
    """A digest of the kernel sources and of the numba and Python versions: the cache a
    `mark_kernels_compiled` stamp vouches for is stale when any of them changes."""
    import hashlib

    import numba

    digest = hashlib.sha256(f"{numba.__version__} {sys.version}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()


def _stamp_path() -> Path:
    return _cache_folder() / "synth-kernels.stamp"


def kernels_cached() -> bool:
    """Whether numba's cache holds every kernel compiled by these sources (a stamp written by
    `mark_kernels_compiled` after a full warm-up); else the first call of a kernel compiles
    it, which takes a while."""
    try:
        return _stamp_path().read_text() == kernels_fingerprint()
    except OSError:
        return False


def mark_kernels_compiled() -> None:
    """Record that every kernel of these sources is in numba's cache (after a warm-up)."""
    stamp = _stamp_path()
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(kernels_fingerprint())
        os.replace(partial, stamp)
    except OSError:
        return

"""Shared test fixtures; pins numeric libraries to one thread (2-core machines)."""
import os

for _var in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def examples_dir() -> Path:
    """The shipped example tasks."""
    return REPO / "examples"


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels() -> None:
    """Compile the numba kernels once per session when numba's cache lacks them (as `synth
    solve` and the batch runners do before any task), so that no test's time limit pays for
    compilation, whatever order the tests run in."""
    from native import kernels_cached
    from synth.run.solvers import compile_kernels

    if not kernels_cached():
        compile_kernels()

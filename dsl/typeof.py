"""Runtime type membership: does a Python value inhabit a DSL type? (Tests and REPL.)"""
from __future__ import annotations

from typing import Any

import numpy as np

from dsl.types import TCon, Type, TVar
from dsl.values import Object


def _is_grid(value: Any) -> bool:
    return (isinstance(value, np.ndarray) and value.dtype == np.uint8 and value.ndim == 2
            and value.shape[0] > 0 and value.shape[1] > 0 and bool((value <= 9).all()))


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def value_has_type(value: Any, typ: Type) -> bool:
    """True when `value` is a valid runtime value of `typ` (type variables accept anything)."""
    if isinstance(typ, TVar):
        return True
    checks = {
        "Grid": lambda: _is_grid(value),
        "Mask": lambda: isinstance(value, np.ndarray) and value.dtype == bool and value.ndim == 2,
        "Color": lambda: _is_int(value) and 0 <= int(value) <= 9,
        "Int": lambda: _is_int(value),
        "Bool": lambda: isinstance(value, (bool, np.bool_)),
        "Point": lambda: (isinstance(value, tuple) and len(value) == 2
                          and all(_is_int(v) for v in value)),
        "Object": lambda: isinstance(value, Object) and value.size > 0,
        "List": lambda: isinstance(value, tuple) and all(value_has_type(v, typ.args[0])
                                                         for v in value),
        "Pair": lambda: (isinstance(value, tuple) and len(value) == 2
                         and all(value_has_type(v, t) for v, t in zip(value, typ.args))),
        "Fn": lambda: callable(value),
    }
    assert isinstance(typ, TCon)
    return checks[typ.name]()

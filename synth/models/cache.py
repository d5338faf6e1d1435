"""The answer cache of the HTTP backends: a request already answered is never sent twice.

A `diskcache.Cache` in `$SYNTH_MODEL_CACHE` (default `~/.cache/synth/models`;
`SYNTH_MODEL_CACHE=off` turns it off), shared by processes (SQLite underneath). The key is the
sha256 of the JSON of what decides an answer: backend, model, server URL, the prompt(s) and
`GenerateParams.key()` — never an API key. Values are plain JSON-able lists, so a change to a
synth class never makes an old entry unreadable.

A seeded request is reproducible, so caching it is sound. An unseeded request at temperature
> 0 is cached too, on purpose: a rerun or resumed evaluation then gets the same samples and
never pays for them twice (change the seed to draw new ones).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

CACHE_ENV = "SYNTH_MODEL_CACHE"
DEFAULT_DIR = Path("~/.cache/synth/models")


def request_key(**parts: Any) -> str:
    """The cache key of a request: sha256 of its parts as canonical JSON."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ModelCache:
    """A disk cache of model answers; `ModelCache(None)` is a cache that keeps nothing."""

    def __init__(self, directory: str | Path | None) -> None:
        self.directory = Path(directory).expanduser() if directory is not None else None
        self._store: Any = None

    @classmethod
    def from_env(cls) -> ModelCache:
        """The cache `$SYNTH_MODEL_CACHE` names (`off`: none; default ~/.cache/synth/models)."""
        value = os.environ.get(CACHE_ENV, "").strip()
        if value.lower() == "off":
            return cls(None)
        return cls(value or DEFAULT_DIR)

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def _open(self) -> Any:
        """The diskcache store, opened on first use; a folder that cannot be used turns the
        cache off with one warning (the run goes on uncached)."""
        if self._store is None and self.directory is not None:
            import diskcache

            try:
                self._store = diskcache.Cache(str(self.directory))
            except (OSError, sqlite3.Error) as err:
                print(f"synth: warning: model cache {self.directory} is unusable "
                      f"({type(err).__name__}); running without it", file=sys.stderr)
                self.directory = None
        return self._store

    def get(self, key: str) -> Any | None:
        """The stored value, or None."""
        store = self._open()
        return None if store is None else store.get(key)

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-able value."""
        store = self._open()
        if store is not None:
            store.set(key, value)

    def close(self) -> None:
        """Close the store (it reopens on next use)."""
        if self._store is not None:
            self._store.close()
            self._store = None

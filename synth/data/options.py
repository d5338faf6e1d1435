"""Settings declared once: dataclass fields that carry their own command-line flag.

A configuration dataclass declares each setting with `option(default, Flag(...))`; the CLI
builds its flags from those fields (`add_flags`), builds the dataclass back from the parsed
arguments (`from_flags`), and the run identity and the `config` of results.json are read off
the instance (`settings`). Nested configuration dataclasses are walked, so a setting is
written in exactly one place. Flag parsers raise `argparse.ArgumentTypeError` with a short
reason; the CLI prints it as one line.
"""
from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Flag:
    """How a setting appears on the command line.

    `parse` turns the text into the value (None: an on/off `--x/--no-x` switch);
    `identity`: results depend on it, so a resumed run must use the same value;
    `recorded`: results.json lists it (not where it merely says where files go)."""

    name: str
    help: str
    parse: Callable[[str], Any] | None = str
    metavar: str | None = None
    identity: bool = True
    recorded: bool = True


def option(default: Any, flag: Flag) -> Any:
    """A dataclass field with a default and its command-line flag."""
    return dataclasses.field(default=default, metadata={"flag": flag})


def positive_float(text: str) -> float:
    """A number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def positive_int(text: str) -> int:
    """An integer > 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got '{text}'") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def choice(*allowed: str) -> Callable[[str], str]:
    """A parser accepting one of `allowed`."""
    def parse(text: str) -> str:
        if text not in allowed:
            raise argparse.ArgumentTypeError(f"expected one of {', '.join(allowed)}, got "
                                             f"'{text}'")
        return text
    return parse


def checked(check: Callable[[str], Any]) -> Callable[[str], str]:
    """A parser accepting the text (stripped) that `check` accepts; `check`'s ValueError
    message becomes the flag's error."""
    def parse(text: str) -> str:
        try:
            check(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return text.strip()
    return parse


def non_negative_int(text: str) -> int:
    """An integer >= 0."""
    value = integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def integer(text: str) -> int:
    """Any integer."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got '{text}'") from None


def flagged_fields(cls: type) -> Iterator[tuple[dataclasses.Field, Flag]]:
    """Every field of `cls` that has a flag, nested configuration dataclasses included."""
    for fld in dataclasses.fields(cls):
        flag = fld.metadata.get("flag")
        if flag is not None:
            yield fld, flag
        elif "nested" in fld.metadata:
            yield from flagged_fields(fld.metadata["nested"])


def nested(cls: type) -> Any:
    """A field holding a nested configuration dataclass (default: its defaults)."""
    return dataclasses.field(default_factory=cls, metadata={"nested": cls})


def _default_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)


def add_flags(parser: argparse.ArgumentParser, cls: type) -> None:
    """Add one flag per flagged field of `cls` (help ends with the default)."""
    for fld, flag in flagged_fields(cls):
        text = f"{flag.help} (default {_default_text(fld.default)})"
        if flag.parse is None:
            parser.add_argument(flag.name, dest=fld.name, default=fld.default, help=text,
                                action=argparse.BooleanOptionalAction)
        else:
            parser.add_argument(flag.name, dest=fld.name, default=fld.default, help=text,
                                type=flag.parse, metavar=flag.metavar)


def from_flags(cls: type, args: argparse.Namespace, **given: Any) -> Any:
    """An instance of `cls` from parsed flags (nested dataclasses too); `given` overrides."""
    values: dict[str, Any] = {}
    for fld in dataclasses.fields(cls):
        if fld.name in given:
            values[fld.name] = given[fld.name]
        elif "nested" in fld.metadata:
            values[fld.name] = from_flags(fld.metadata["nested"], args)
        elif "flag" in fld.metadata and hasattr(args, fld.name):
            values[fld.name] = getattr(args, fld.name)
    return cls(**values)


def settings(config: Any, *, identity_only: bool = False) -> dict[str, Any]:
    """The recorded settings of a configuration instance as one flat JSON-able mapping
    (`identity_only`: just those a resumed run must repeat)."""
    found: dict[str, Any] = {}
    for fld in dataclasses.fields(config):
        value = getattr(config, fld.name)
        if "nested" in fld.metadata:
            found.update(settings(value, identity_only=identity_only))
        elif "flag" in fld.metadata and fld.metadata["flag"].recorded and (
                fld.metadata["flag"].identity or not identity_only):
            found[fld.name] = value
    return found

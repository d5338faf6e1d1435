"""The standard ARC palette (official testing interface), colour index -> hex and name."""
from __future__ import annotations

PALETTE_HEX: tuple[str, ...] = (
    "#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00",
    "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25",
)
COLOR_NAMES: tuple[str, ...] = (
    "black", "blue", "red", "green", "yellow", "grey", "magenta", "orange", "sky", "maroon",
)


def hex_to_rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#0074D9' -> (0, 116, 217)."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


PALETTE_RGB: tuple[tuple[int, int, int], ...] = tuple(hex_to_rgb(h) for h in PALETTE_HEX)

"""A tiny 5x7 bitmap font for the labels of PNG task renderings (no font files needed).

Only the characters the labels use are defined: digits, `a e i n r s t x`, `: - > ?` and space.
"""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

GLYPH_W = 5
GLYPH_H = 7

_GLYPHS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    "a": (".....", ".....", ".###.", "....#", ".####", "#...#", ".####"),
    "e": (".....", ".....", ".###.", "#...#", "#####", "#....", ".###."),
    "i": ("..#..", ".....", ".##..", "..#..", "..#..", "..#..", ".###."),
    "n": (".....", ".....", "#.##.", "##..#", "#...#", "#...#", "#...#"),
    "r": (".....", ".....", "#.##.", "##..#", "#....", "#....", "#...."),
    "s": (".....", ".....", ".####", "#....", ".###.", "....#", "####."),
    "t": (".#...", ".#...", "###..", ".#...", ".#...", ".#..#", "..##."),
    "x": (".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    ":": (".....", "..#..", "..#..", ".....", "..#..", "..#..", "....."),
    "-": (".....", ".....", ".....", "#####", ".....", ".....", "....."),
    ">": (".#...", "..#..", "...#.", "....#", "...#.", "..#..", ".#..."),
    "?": (".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."),
    " ": (".....",) * GLYPH_H,
})


def glyph_mask(char: str) -> np.ndarray:
    """The 7x5 boolean mask of one character; unknown characters render as `?`."""
    rows = _GLYPHS.get(char, _GLYPHS["?"])
    return np.array([[c == "#" for c in row] for row in rows], dtype=bool)


def text_mask(text: str, scale: int = 1) -> np.ndarray:
    """A boolean mask of a line of text: 5x7 glyphs, one blank column between them, scaled."""
    if not text:
        return np.zeros((GLYPH_H * scale, 0), dtype=bool)
    gap = np.zeros((GLYPH_H, 1), dtype=bool)
    parts: list[np.ndarray] = []
    for i, char in enumerate(text):
        if i:
            parts.append(gap)
        parts.append(glyph_mask(char))
    mask = np.hstack(parts)
    return np.kron(mask, np.ones((scale, scale), dtype=bool)).astype(bool)

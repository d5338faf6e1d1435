"""color primitives (being written)."""

"""drawing primitives (being written)."""

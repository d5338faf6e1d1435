"""Proposers: sources of candidate programs and grids for the search loop (see base.py)."""

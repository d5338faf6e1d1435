solve(I: Grid) -> Grid:
    O = symmetrize_v(I)

solve(I: Grid) -> Grid:
    O = flip_v(I)

solve(I: Grid) -> Grid:
    O = flip_h(I)

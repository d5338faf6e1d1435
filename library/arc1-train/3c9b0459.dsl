solve(I: Grid) -> Grid:
    O = rot180(I)

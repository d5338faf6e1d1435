solve(I: Grid) -> Grid:
    O = gravity(I, 2)

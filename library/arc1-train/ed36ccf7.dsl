solve(I: Grid) -> Grid:
    O = rot270(I)

solve(I: Grid) -> Grid:
    O = mirror_4(I)

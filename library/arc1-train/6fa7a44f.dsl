solve(I: Grid) -> Grid:
    O = mirror_v(I)

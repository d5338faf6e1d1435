solve(I: Grid) -> Grid:
    O = mirror_h(I)

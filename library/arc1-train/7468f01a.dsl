solve(I: Grid) -> Grid:
    x1 = trim(I)
    O = flip_h(x1)

solve(I: Grid) -> Grid:
    x1 = trim(I)
    x2 = left_half(x1)
    O = top_half(x2)

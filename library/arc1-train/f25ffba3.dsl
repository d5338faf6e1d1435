solve(I: Grid) -> Grid:
    x1 = bottom_half(I)
    O = vconcat(flip_v(x1), x1)

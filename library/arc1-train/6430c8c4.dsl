solve(I: Grid) -> Grid:
    x1 = top_half(I)
    x2 = bottom_half(I)
    O = cellwise_nor(x1, x2, green)

solve(I: Grid) -> Grid:
    O = cellwise_nor(top_half(I), bottom_half(I), red)

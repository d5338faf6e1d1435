solve(I: Grid) -> Grid:
    x1 = left_half(I)
    x2 = right_half(I)
    x3 = eq(x1, x2)
    x4 = top_half(I)
    O = branch(x3, x1, x4)

solve(I: Grid) -> Grid:
    x1 = is_symmetric_h(I)
    x2 = branch(x1, blue, orange)
    O = canvas(x2, 1, 1)

solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = width(I)
    x3 = min2(x1, x2)
    x4 = branch(gt(x1, x2), vsplit(I, div(x1, x3)), hsplit(I, div(x2, x3)))
    x5 = filter(x4, lambda p: eq(count_by(x4, lambda q: eq(recolor_all(q, blue), recolor_all(p, blue))), 1))
    O = first(x5)

solve(I: Grid) -> Grid:
    x1 = to_object(I)
    x2 = top(x1)
    x3 = left(x1)
    x4 = paint(cover(I, x1), move(x1, 1, 0))
    x5 = filter(range(width(I)), lambda j: is_even(sub(j, x3)))
    O = fold(x5, x4, lambda g, j: line(g, point(0, j), point(x2, j), yellow))

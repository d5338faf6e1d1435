solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = first(x1)
    x3 = last(x1)
    x4 = half(add(top(x2), top(x3)))
    x5 = half(add(left(x2), left(x3)))
    x6 = line(I, point(sub(x4, 1), x5), point(add(x4, 1), x5), green)
    O = line(x6, point(x4, sub(x5, 1)), point(x4, add(x5, 1)), green)

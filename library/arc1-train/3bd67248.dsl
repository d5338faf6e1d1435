solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = width(I)
    x3 = sub(x1, 1)
    x4 = sub(x2, 1)
    x5 = line(I, point(x3, 1), point(x3, x4), yellow)
    x6 = sub(x1, 2)
    O = line(x5, point(0, x4), point(x6, 1), red)

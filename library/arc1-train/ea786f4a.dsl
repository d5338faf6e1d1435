solve(I: Grid) -> Grid:
    x1 = sub(height(I), 1)
    x2 = line(I, point(0, 0), point(x1, x1), black)
    O = line(x2, point(0, x1), point(x1, 0), black)

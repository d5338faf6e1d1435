solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = count(x1)
    x3 = canvas(black, x2, x2)
    O = line(x3, point(0, 0), point(sub(x2, 1), sub(x2, 1)), sky)

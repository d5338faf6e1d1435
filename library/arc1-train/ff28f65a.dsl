solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = range(count(x1))
    x3 = canvas(black, 3, 3)
    O = fold(x2, x3, lambda g, k: line(g, point(div(double(k), 3), mod(double(k), 3)), point(div(double(k), 3), mod(double(k), 3)), blue))

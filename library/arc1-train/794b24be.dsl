solve(I: Grid) -> Grid:
    x1 = color_count(I, blue)
    x2 = canvas(black, 3, 3)
    x3 = sub(min2(x1, 3), 1)
    x4 = line(x2, point(0, 0), point(0, x3), red)
    x5 = line(x4, point(1, 1), point(1, 1), red)
    O = branch(eq(x1, 4), x5, x4)

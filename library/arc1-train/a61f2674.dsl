solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = recolor(argmax(x1, size), blue)
    x3 = recolor(argmin(x1, size), red)
    x4 = recolor_all(I, black)
    O = paint(paint(x4, x2), x3)

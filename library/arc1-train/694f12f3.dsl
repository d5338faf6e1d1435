solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, size)
    x3 = argmin(x1, size)
    x4 = paint(I, recolor(x2, red))
    x5 = box_inside(x4, x2, yellow)
    x6 = paint(x5, recolor(x3, blue))
    O = box_inside(x6, x3, yellow)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, size)
    x3 = argmin(x1, size)
    x4 = cover(I, x3)
    O = paint(x4, recolor(x2, obj_color(x3)))

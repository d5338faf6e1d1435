solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = map(x1, lambda o: recolor(o, int_to_color(sub(5, size(o)))))
    O = paint_all(I, x2)

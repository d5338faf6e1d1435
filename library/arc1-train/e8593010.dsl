solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = map(x1, lambda o: recolor(o, int_to_color(sub(4, size(o)))))
    O = paint_all(I, x2)

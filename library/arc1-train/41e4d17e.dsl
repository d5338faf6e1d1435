def cross_through(g: Grid, o: Object) -> Grid:
    x1 = sub(obj_height(o), 1)
    x2 = add(top(o), half(x1))
    x3 = sub(obj_width(o), 1)
    x4 = add(left(o), half(x3))
    x5 = hline(g, x2, magenta)
    x6 = vline(x5, x4, magenta)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, blue)
    x2 = fold(x1, I, cross_through)
    O = paint_all(x2, x1)

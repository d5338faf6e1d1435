solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, sky))
    x2 = first(objects_of_color(I, red))
    x3 = point(top(x2), left(x1))
    x4 = line(I, ulcorner(x1), x3, yellow)
    x5 = line(x4, x3, ulcorner(x2), yellow)
    O = paint(paint(x5, x1), x2)

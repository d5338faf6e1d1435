solve(I: Grid) -> Grid:
    x1 = least_common_color(I)
    x2 = objects_of_color(I, x1)
    x3 = first(x2)
    x4 = canvas(black, height(I), width(I))
    x5 = paint(x4, x3)
    O = outline(x5, x3, red, connect=8)

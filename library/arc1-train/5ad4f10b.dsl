solve(I: Grid) -> Grid:
    x1 = obj_color(argmax(objects(I), size))
    x2 = first(exclude(colors_of(I), lambda c: or(eq(c, black), eq(c, x1))))
    x3 = trim(keep_color(I, x1))
    x4 = downscale(x3, div(width(x3), 3))
    O = replace(x4, x1, x2)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = obj_color(argmax(x1, size))
    x3 = first(exclude(colors_of(I), lambda c: or(eq(c, black), eq(c, x2))))
    x4 = objects_of_color(I, x2)
    x5 = argmax(x4, lambda o: color_count(subgrid(I, o), x3))
    O = replace(subgrid(I, x5), x2, x3)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = exclude(x1, lambda o: touches_border(I, o))
    x3 = filter(x2, is_rectangle)
    x4 = filter(x3, lambda o: eq(obj_height(o), obj_width(o)))
    x5 = map(x4, lambda o: recolor(o, red))
    O = paint_all(I, x5)

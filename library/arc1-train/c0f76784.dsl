solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = exclude(x1, lambda o: touches_border(I, o))
    x3 = map(x2, lambda o: recolor(o, int_to_color(add(obj_height(o), 5))))
    O = paint_all(I, x3)

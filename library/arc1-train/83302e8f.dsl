solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = map(x1, lambda o: recolor(o, branch(is_rectangle(o), green, yellow)))
    O = paint_all(I, x2)

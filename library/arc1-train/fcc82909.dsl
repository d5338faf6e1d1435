solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = map(x1, lambda o: move_to(to_object(canvas(green, obj_n_colors(o), obj_width(o))), point(add(bottom(o), 1), left(o))))
    O = paint_all(I, x2)

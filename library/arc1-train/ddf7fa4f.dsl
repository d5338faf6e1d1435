solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, grey)
    x2 = map(x1, lambda o: recolor(o, most_common_fg(crop(I, 0, left(o), 1, obj_width(o)))))
    O = paint_all(I, x2)

solve(I: Grid) -> Grid:
    x1 = bg_color(I)
    x2 = color_groups(I, bg=x1)
    x3 = max_of(x2, obj_height)
    x4 = max_of(x2, obj_width)
    x5 = map(x2, lambda o: move_to(o, point(half(sub(x3, obj_height(o))), half(sub(x4, obj_width(o))))))
    O = paint_all(canvas(x1, x3, x4), x5)

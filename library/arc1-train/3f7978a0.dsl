solve(I: Grid) -> Grid:
    x1 = keep_color(I, grey)
    x2 = to_object(x1)
    x3 = sub(top(x2), 1)
    x4 = add(obj_height(x2), 2)
    O = crop(I, x3, left(x2), x4, obj_width(x2))

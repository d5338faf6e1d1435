solve(I: Grid) -> Grid:
    x1 = mask_or(mask_of(I, black), mask_of(I, blue))
    x2 = objects(mask_to_grid(x1, blue))
    x3 = filter(x2, lambda o: gt(obj_n_colors(mask_object(I, object_mask(I, o))), 1))
    x4 = map(x3, lambda o: recolor(o, blue))
    O = paint_all(I, x4)

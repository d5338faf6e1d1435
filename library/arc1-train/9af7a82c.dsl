solve(I: Grid) -> Grid:
    x1 = sort_desc_by(color_groups(I), size)
    x2 = size(first(x1))
    O = stack_h(map(x1, lambda o: crop(vconcat(canvas(obj_color(o), size(o), 1), canvas(black, x2, 1)), 0, 0, x2, 1)))

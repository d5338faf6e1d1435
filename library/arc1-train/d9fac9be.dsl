solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = first(filter(x1, lambda o: has_hole(I, o)))
    x3 = subgrid(I, x2)
    x4 = replace(x3, obj_color(x2), black)
    O = canvas(most_common_fg(x4), 1, 1)

solve(I: Grid) -> Grid:
    x1 = least_common_color(I)
    x2 = objects(I, multicolor=true, bg=grey)
    x3 = max_of(x2, lambda o: color_count(subgrid(I, o), x1))
    x4 = map(x2, lambda o: recolor(o, branch(eq(color_count(subgrid(I, o), x1), x3), x1, black)))
    O = paint_all(I, x4)

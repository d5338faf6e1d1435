def fill_cup(g: Grid, o: Object) -> Grid:
    x1 = subgrid(g, o)
    x2 = colors_of(x1)
    x3 = exclude(x2, lambda c: or(eq(c, black), eq(c, blue)))
    x4 = first(x3)
    x5 = fill_bbox(g, o, x4)
    x6 = move(o, -1, 0)
    x7 = fill_bbox(x5, x6, x4)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, blue)
    O = fold(x1, I, fill_cup)

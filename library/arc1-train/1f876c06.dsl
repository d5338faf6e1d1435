def join_diagonal(g: Grid, o: Object) -> Grid:
    x1 = obj_color(o)
    x2 = top(o)
    x3 = left(o)
    x4 = bottom(o)
    x5 = right(o)
    x6 = cell(g, x2, x3)
    x7 = eq(x6, x1)
    x8 = line(g, point(x2, x3), point(x4, x5), x1)
    x9 = line(g, point(x2, x5), point(x4, x3), x1)
    x10 = branch(x7, x8, x9)

solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    O = fold(x1, I, join_diagonal)

solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = first(filter(x1, lambda g: gt(color_count(g, yellow), 0)))
    x3 = to_object(keep_color(x2, yellow))
    x4 = mul(top(x3), 4)
    x5 = mul(left(x3), 4)
    x6 = keep_color(I, grey)
    O = paint(x6, move(to_object(x2), x4, x5))

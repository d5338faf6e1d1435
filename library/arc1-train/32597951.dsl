solve(I: Grid) -> Grid:
    x1 = keep_color(I, sky)
    x2 = to_object(x1)
    x3 = subgrid(I, x2)
    x4 = replace(x3, blue, green)
    x5 = to_object(x4)
    x6 = move(x5, top(x2), left(x2))
    O = paint(I, x6)

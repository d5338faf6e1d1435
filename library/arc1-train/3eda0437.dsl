solve(I: Grid) -> Grid:
    x1 = largest_rectangle(I, black, min_side=2)
    x2 = recolor(x1, magenta)
    O = paint(I, x2)

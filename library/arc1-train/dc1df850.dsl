solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, red)
    O = fold(x1, I, lambda g, o: outline(g, o, blue, connect=8))

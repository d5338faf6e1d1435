solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = filter(x1, lambda o: eq(count_by(x1, lambda p: same_shape(o, p)), 1))
    x3 = recolor(first(x2), red)
    x4 = recolor_all(I, blue)
    O = paint(x4, x3)

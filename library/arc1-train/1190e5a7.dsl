solve(I: Grid) -> Grid:
    x1 = most_common_color(I)
    x2 = objects_of_color(I, x1)
    x3 = min_of(x2, left)
    x4 = min_of(x2, top)
    x5 = count_by(x2, lambda o: eq(left(o), x3))
    x6 = count_by(x2, lambda o: eq(top(o), x4))
    O = canvas(x1, x5, x6)

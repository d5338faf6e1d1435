solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, blue)
    x2 = count_by(x1, lambda o: eq(size(o), 4))
    x3 = canvas(blue, 1, 5)
    x4 = canvas(black, 1, 5)
    x5 = hconcat(x3, x4)
    x6 = sub(5, x2)
    O = crop(x5, 0, x6, 1, 5)

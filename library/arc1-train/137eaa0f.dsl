solve(I: Grid) -> Grid:
    x1 = pad(I, 1, black)
    x2 = objects_of_color(x1, grey)
    x3 = map(x2, lambda o: crop(x1, sub(top(o), 1), sub(left(o), 1), 3, 3))
    x4 = canvas(black, 3, 3)
    O = fold(x3, x4, overlay)

solve(I: Grid) -> Grid:
    x1 = crop(I, 0, 0, 3, 3)
    x2 = to_object(x1)
    x3 = objects_of_color(I, blue)
    x4 = map(x3, lambda o: move(x2, sub(top(o), 1), sub(left(o), 1)))
    x5 = remove_color(I, blue)
    O = paint_all(x5, x4)

solve(I: Grid) -> Grid:
    x1 = objects(I, bg=0)
    x2 = height(I)
    x3 = width(I)
    x4 = map(x1, lambda o: move_to(o, point(sub(sub(x2, 1), count_by(x1, lambda p: gt(size(p), size(o)))), sub(x3, size(o)))))
    x5 = canvas(black, x2, x3)
    O = paint_all(x5, x4)

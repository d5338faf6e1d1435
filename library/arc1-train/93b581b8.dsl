solve(I: Grid) -> Grid:
    x1 = first(objects(I, multicolor=true))
    x2 = top(x1)
    x3 = left(x1)
    x4 = move(recolor(x1, cell(I, x2, x3)), 2, 2)
    x5 = move(recolor(x1, cell(I, x2, add(x3, 1))), 2, -2)
    x6 = move(recolor(x1, cell(I, add(x2, 1), x3)), -2, 2)
    x7 = move(recolor(x1, cell(I, add(x2, 1), add(x3, 1))), -2, -2)
    O = paint(paint(paint(paint(I, x4), x5), x6), x7)

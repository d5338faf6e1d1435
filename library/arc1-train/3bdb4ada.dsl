def punch_middle(g: Grid, o: Object) -> Grid:
    x1 = obj_color(o)
    x2 = obj_width(o)
    x3 = canvas(x1, 1, 1)
    x4 = canvas(black, 1, 1)
    x5 = hconcat(x3, x4)
    x6 = tile(x5, 1, x2)
    x7 = crop(x6, 0, 0, 1, x2)
    x8 = to_object(x7, bg=x1)
    x9 = move(x8, add(top(o), 1), left(o))
    x10 = paint(g, x9)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, punch_middle)

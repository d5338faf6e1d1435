def periodic_row(seg: Grid, start: Int, w: Int) -> Grid:
    n = width(seg)
    t = tile(seg, 1, add(div(w, n), 2))
    r = crop(t, 0, mod(sub(0, start), n), 1, w)

solve(I: Grid) -> Grid:
    x1 = to_object(I)
    x2 = first(filter(range(height(I)), lambda r: neq(cell(I, r, left(x1)), black)))
    x3 = first(filter(range(width(I)), lambda c: neq(cell(I, top(x1), c), black)))
    x4 = crop(I, x2, left(x1), 1, obj_width(x1))
    x5 = crop(I, top(x1), x3, obj_height(x1), 1)
    x6 = periodic_row(x4, left(x1), width(I))
    x7 = transpose(periodic_row(transpose(x5), top(x1), height(I)))
    x8 = paint(I, move_to(to_object(x6), point(x2, 0)))
    O = paint(x8, move_to(to_object(x7), point(0, x3)))

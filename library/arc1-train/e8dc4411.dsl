def hits(g: Grid, shape: Object, marker: Object, dr: Int, dc: Int) -> Bool:
    moved = move(shape, dr, dc)
    b = eq(cell(paint(g, moved), top(marker), left(marker)), obj_color(shape))

solve(I: Grid) -> Grid:
    x1 = bg_color(I)
    x2 = least_common_color(I)
    x3 = color_groups(I, bg=x1)
    x4 = first(exclude(x3, lambda o: eq(obj_color(o), x2)))
    x5 = first(filter(x3, lambda o: eq(obj_color(o), x2)))
    x6 = sign(sub(top(x5), add(top(x4), half(sub(obj_height(x4), 1)))))
    x7 = sign(sub(left(x5), add(left(x4), half(sub(obj_width(x4), 1)))))
    x8 = range(add(max2(obj_height(x4), obj_width(x4)), 1))
    x9 = last(filter(x8, lambda d: hits(I, x4, x5, mul(d, x6), mul(d, x7))))
    x10 = recolor(x4, x2)
    x11 = range(add(div(max2(height(I), width(I)), x9), 1))
    O = fold(x11, I, lambda g, k: paint(g, move(x10, mul(mul(add(k, 1), x9), x6), mul(mul(add(k, 1), x9), x7))))

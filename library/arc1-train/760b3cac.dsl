solve(I: Grid) -> Grid:
    x1 = first(color_groups(keep_color(I, sky)))
    x2 = first(color_groups(keep_color(I, yellow)))
    x3 = eq(cell(I, top(x2), left(x2)), yellow)
    x4 = obj_width(x1)
    x5 = branch(x3, sub(left(x1), x4), add(left(x1), x4))
    x6 = move_to(obj_flip_h(x1), point(top(x1), x5))
    O = paint(I, x6)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: fill_bbox(g, o, branch(is_even(obj_height(o)), red, orange)))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: fill_mask(g, mask_and(object_mask(g, o), object_mask(g, move(o, sub(obj_height(o), half(obj_height(o))), 0))), sky))

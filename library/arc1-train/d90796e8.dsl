solve(I: Grid) -> Grid:
    x1 = mask_or(mask_of(I, red), mask_of(I, green))
    x2 = fill_mask(I, mask_not(x1), black)
    x3 = objects(x2, multicolor=true)
    x4 = filter(x3, lambda o: eq(obj_n_colors(o), 2))
    x5 = mask_of(I, green)
    O = fold(x4, I, lambda g, o: fill_mask(cover(g, o), mask_and(object_mask(I, o), x5), sky))

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, red)
    x2 = fold(x1, I, lambda g, o: object_rays(g, o, 1))
    x3 = fold(x1, I, lambda g, o: object_rays(g, o, 3))
    x4 = mask_and(mask_of(x2, red), mask_of(x3, red))
    x5 = mask_and(x4, mask_of(I, black))
    x6 = draw_border(canvas(black, height(I), width(I)), blue)
    x7 = mask_and(x5, mask_of(x6, black))
    O = fill_mask(I, x7, maroon)

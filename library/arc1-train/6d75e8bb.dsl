solve(I: Grid) -> Grid:
    x1 = to_object(I)
    O = fill_bbox(I, x1, red)

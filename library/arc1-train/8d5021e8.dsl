solve(I: Grid) -> Grid:
    x1 = mirror_h(flip_h(I))
    x2 = flip_v(x1)
    x3 = mirror_v(x2)
    O = vconcat(x3, x2)

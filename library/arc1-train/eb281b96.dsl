def reflect_down(g: Grid) -> Grid:
    f = flip_v(g)
    r = vconcat(g, crop(f, 1, 0, sub(height(f), 1), width(f)))

solve(I: Grid) -> Grid:
    x1 = reflect_down(I)
    O = reflect_down(x1)

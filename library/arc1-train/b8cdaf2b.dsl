solve(I: Grid) -> Grid:
    x1 = cell(I, sub(height(I), 1), half(width(I)))
    x2 = argmin(objects(I), top)
    x3 = ray(I, point(top(x2), left(x2)), 7, x1)
    O = ray(x3, point(top(x2), right(x2)), 4, x1)

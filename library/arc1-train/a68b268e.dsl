solve(I: Grid) -> Grid:
    x1 = reverse(split_by_lines(I))
    O = fold(drop(x1, 1), first(x1), lambda a, b: overlay(a, b))

solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = reverse(x1)
    O = fold(drop(x2, 1), first(x2), lambda g, p: overlay(g, p))

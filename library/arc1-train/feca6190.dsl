solve(I: Grid) -> Grid:
    x1 = to_object(I)
    x2 = mul(width(I), size(x1))
    x3 = canvas(black, x2, x2)
    O = fold(range(x2), x3, lambda g, k: paint(g, move(x1, sub(sub(x2, 1), k), k)))

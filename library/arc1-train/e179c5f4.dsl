def bounce(k: Int, w: Int) -> Int:
    p = double(sub(w, 1))
    m = mod(k, p)
    c = min2(m, sub(p, m))

solve(I: Grid) -> Grid:
    x1 = height(I)
    x2 = width(I)
    x3 = canvas(sky, x1, x2)
    O = fold(range(x1), x3, lambda g, k: line(g, point(sub(sub(x1, 1), k), bounce(k, x2)), point(sub(sub(x1, 1), k), bounce(k, x2)), blue))

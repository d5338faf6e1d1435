def size_rank(o: Object, objs: Objects) -> Int:
    k = count_by(objs, lambda p: gt(size(p), size(o)))

def rank_color(k: Int) -> Color:
    c = branch(eq(k, 0), blue, branch(eq(k, 1), yellow, red))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = map(x1, lambda o: recolor(o, rank_color(size_rank(o, x1))))
    O = paint_all(I, x2)

def row_majority(g: Grid) -> Grid:
    w = width(g)
    r = fold(range(height(g)), g, lambda a, i: hline(a, i, most_common_color(crop(g, i, 0, 1, w))))

def row_purity(g: Grid) -> Int:
    w = width(g)
    s = sum_of(range(height(g)), lambda i: color_count(crop(g, i, 0, 1, w), most_common_color(crop(g, i, 0, 1, w))))

solve(I: Grid) -> Grid:
    x1 = transpose(I)
    x2 = gt(row_purity(I), row_purity(x1))
    O = branch(x2, row_majority(I), transpose(row_majority(x1)))

def rows_not_all(g: Grid, c: Color) -> Grid:
    x1 = mask_of(g, c)
    x2 = mask_not(x1)
    x3 = mask_to_grid(x2, blue)
    x4 = fill_rows_with(x3, blue)

solve(I: Grid) -> Grid:
    x1 = remove_border(I)
    x2 = rows_not_all(x1, black)
    x3 = transpose(x1)
    x4 = rows_not_all(x3, black)
    x5 = transpose(x4)
    x6 = cellwise_and(x2, x5, blue)
    x7 = replace(x6, black, green)
    x8 = replace(x7, blue, black)
    x9 = pad(x8, 1, black)
    O = overlay(I, x9)

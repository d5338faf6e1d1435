solve(I: Grid) -> Grid:
    O = overlay(left_half(I), flip_h(right_half(I)))

"""Susun Ulang's formats and merges planned as data, counted in xlwings actions (pure).

``rects`` the geometry, ``cover`` the rectangle cover, ``attrs`` the style attributes as
they are set, ``strokes`` painting in painter's order, ``tiles`` repeated blocks copied,
``carry`` which copies carry merges, ``prototype`` the rows copied from the template's
prototype sheet, ``plan`` all of it as one ``PaintPlan`` the xlwings adapter runs.
"""

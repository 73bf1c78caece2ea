"""The evidence bundle (证据材料) of a 行政复议 or 行政诉讼 case: one PDF with a cover and a 目录, and a zip of
the originals with a manifest (README: *Evidence bundle*)."""

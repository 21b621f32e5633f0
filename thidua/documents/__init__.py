"""The document layer: every official paper goes through these renderers.

Builders gather a context (pure data, tested alone) and hand it to a renderer:
`docx_render` (NĐ 30 documents and user .docx templates), `xlsx_render` (lists),
`pdf_render` (certificates on pre-printed blanks, simple official documents).
`vnwords` reads numbers, amounts and dates in Vietnamese and handles số, ký hiệu.
No module here imports Django.
"""

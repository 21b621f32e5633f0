"""Regenerate the shipped templates: python -m thidua.documents.templates_docx"""

from thidua.documents.templates_docx import SHIPPED_TEMPLATES, build_shipped

for kind, (path, _) in SHIPPED_TEMPLATES.items():
    path.write_bytes(build_shipped(kind))
    print(f"Đã ghi {path}")

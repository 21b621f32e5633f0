"""Regenerate the default templates: python -m thidua.documents.templates_docx"""

from thidua.documents.templates_docx import DECISION_TEMPLATE, build_decision_template

DECISION_TEMPLATE.write_bytes(build_decision_template())
print(f"Đã ghi {DECISION_TEMPLATE}")

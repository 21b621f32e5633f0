"""What every app's views share about forms: a service's refusal shown on the form it came from."""

from __future__ import annotations

from django import forms

from thidua.core.errors import DomainError


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """The service's message next to the field it names when the page shows that field; above the form
    otherwise (no field, a field the form lacks, or a hidden one such as a stale `version`)."""
    field = form.fields.get(exc.field) if exc.field else None
    shown = field is not None and not field.widget.is_hidden
    form.add_error(exc.field if shown else None, exc.message)

"""Forms of the officers' pages for the public site."""

from __future__ import annotations

from typing import Any

from django import forms

from thidua.movements.models import Movement
from thidua.movements.permissions import visible_movements
from thidua.org.models import Unit
from thidua.portal.models import Article, ArticleImage
from thidua.portal.permissions import article_units


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return ("— " * max(0, obj.depth - 1)) + obj.name


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="Loại bài", choices=Article.Kind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=200)
    summary = forms.CharField(
        label="Tóm tắt (hiện ở danh sách, nguồn tin và khi chia sẻ)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label="Nội dung",
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "class": "editor", "spellcheck": "true"}),
        help_text="Mỗi đoạn cách nhau một dòng trống. Có thể dùng các nút định dạng (đậm, nghiêng, tiêu đề, "
        "danh sách, liên kết, ảnh của bài); mọi định dạng khác sẽ bị loại bỏ khi lưu.",
    )
    unit = UnitChoiceField(label="Đơn vị đăng bài", queryset=Unit.objects.none())
    movement = forms.ModelChoiceField(
        label="Phong trào liên quan", queryset=Movement.objects.none(), required=False
    )
    cover = forms.ModelChoiceField(label="Ảnh đại diện", queryset=ArticleImage.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, article: Article | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = article_units(user).order_by("path")
        movements = self.fields["movement"]
        assert isinstance(movements, forms.ModelChoiceField)
        movements.queryset = (
            visible_movements(user).exclude(status=Movement.Status.DRAFT).order_by("-start_year", "title")
        )
        cover = self.fields["cover"]
        assert isinstance(cover, forms.ModelChoiceField)
        if article is not None:
            cover.queryset = article.images.all()
        else:
            del self.fields["cover"]


class ImageForm(forms.Form):
    image = forms.FileField(label="Ảnh (JPEG, PNG, WebP)")
    alt = forms.CharField(label="Mô tả ảnh", max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do gỡ bài", max_length=300)

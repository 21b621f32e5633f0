"""Vietnamese messages for the API's field errors.

Django REST framework ships an almost empty Vietnamese translation, so its field errors would reach
API users in English. `apply()` (called from `CoreConfig.ready`, before any serializer class is
built) sets these as the fields' default messages. A bad value is never repeated back in full: the
`fields` of the error answer already name the field.
"""

from __future__ import annotations

from rest_framework import fields, relations, serializers

LESS_EQUAL = "Giá trị phải nhỏ hơn hoặc bằng {max_value}."
GREATER_EQUAL = "Giá trị phải lớn hơn hoặc bằng {min_value}."
TOO_LONG = "Giá trị quá dài."
NOT_A_LIST = "Cần một danh sách."
NOT_EMPTY_LIST = "Danh sách không được để trống."

MESSAGES: dict[type, dict[str, str]] = {
    fields.Field: {"required": "Trường này là bắt buộc.", "null": "Trường này không được là null."},
    fields.BooleanField: {"invalid": "Cần giá trị đúng/sai (true/false)."},
    fields.CharField: {
        "invalid": "Cần một chuỗi ký tự.",
        "blank": "Trường này không được bỏ trống.",
        "max_length": "Không được dài quá {max_length} ký tự.",
        "min_length": "Cần ít nhất {min_length} ký tự.",
    },
    fields.ChoiceField: {"invalid_choice": "Giá trị không nằm trong các lựa chọn cho phép."},
    fields.MultipleChoiceField: {
        "invalid_choice": "Có giá trị không nằm trong các lựa chọn cho phép.",
        "not_a_list": NOT_A_LIST,
        "empty": "Cần chọn ít nhất một giá trị.",
    },
    fields.DateField: {
        "invalid": "Ngày sai định dạng; dùng YYYY-MM-DD.",
        "datetime": "Cần một ngày, không phải ngày giờ.",
    },
    fields.DateTimeField: {
        "invalid": "Ngày giờ sai định dạng; dùng ISO 8601 (YYYY-MM-DDThh:mm).",
        "date": "Cần ngày giờ, không phải chỉ ngày.",
        "make_aware": "Ngày giờ không hợp lệ theo múi giờ {timezone}.",
        "overflow": "Ngày giờ nằm ngoài khoảng cho phép.",
    },
    fields.IntegerField: {
        "invalid": "Cần một số nguyên.",
        "max_value": LESS_EQUAL,
        "min_value": GREATER_EQUAL,
        "max_string_length": TOO_LONG,
    },
    fields.FloatField: {
        "invalid": "Cần một số.",
        "max_value": LESS_EQUAL,
        "min_value": GREATER_EQUAL,
        "max_string_length": TOO_LONG,
        "overflow": "Số quá lớn.",
    },
    fields.DecimalField: {
        "invalid": "Cần một số.",
        "max_value": LESS_EQUAL,
        "min_value": GREATER_EQUAL,
        "max_digits": "Không được quá {max_digits} chữ số.",
        "max_decimal_places": "Không được quá {max_decimal_places} chữ số thập phân.",
        "max_whole_digits": "Không được quá {max_whole_digits} chữ số phần nguyên.",
        "max_string_length": TOO_LONG,
    },
    fields.DictField: {"not_a_dict": "Cần một đối tượng {{...}}.", "empty": "Không được để trống."},
    fields.ListField: {
        "not_a_list": NOT_A_LIST,
        "empty": NOT_EMPTY_LIST,
        "min_length": "Cần ít nhất {min_length} phần tử.",
        "max_length": "Không được quá {max_length} phần tử.",
    },
    fields.FileField: {
        "required": "Chưa gửi tệp nào.",
        "invalid": "Dữ liệu gửi lên không phải một tệp (gửi dạng multipart/form-data).",
        "no_name": "Tệp không có tên.",
        "empty": "Tệp rỗng.",
        "max_length": "Tên tệp không được dài quá {max_length} ký tự.",
    },
    fields.TimeField: {"invalid": "Giờ sai định dạng; dùng hh:mm."},
    fields.UUIDField: {"invalid": "Cần một UUID."},
    fields.RegexField: {"invalid": "Giá trị không đúng mẫu."},
    relations.PrimaryKeyRelatedField: {
        "required": "Trường này là bắt buộc.",
        "does_not_exist": "Không có đối tượng với mã này.",
        "incorrect_type": "Cần mã số của đối tượng.",
    },
    relations.ManyRelatedField: {"not_a_list": NOT_A_LIST, "empty": NOT_EMPTY_LIST},
    serializers.ListSerializer: {
        "not_a_list": NOT_A_LIST,
        "empty": NOT_EMPTY_LIST,
        "max_length": "Không được quá {max_length} phần tử.",
        "min_length": "Cần ít nhất {min_length} phần tử.",
    },
    serializers.Serializer: {"invalid": "Cần một đối tượng JSON {{...}}."},
}


def apply() -> None:
    """Put the Vietnamese messages on DRF's field classes (their subclasses inherit them)."""
    for cls, messages in MESSAGES.items():
        merged = dict(cls.__dict__.get("default_error_messages", {}))
        merged.update(messages)
        cls.default_error_messages = merged  # type: ignore[attr-defined]

from django.urls import path, register_converter

from thidua.core.http import action_slugs
from thidua.movements import views

# Each action's Vietnamese slug in the address; the views and `{% url %}` name the action itself.
register_converter(
    action_slugs(
        {
            "launch": "phat-dong",
            "start": "trien-khai",
            "review": "so-ket-tong-ket",
            "reopen": "mo-lai",
            "close": "ket-thuc",
        }
    ),
    "movement_action",
)
register_converter(
    action_slugs({"submit": "gui", "approve": "duyet", "return": "tra-lai"}), "registration_action"
)
register_converter(
    action_slugs(
        {
            "submit": "tu-cham",
            "explain": "giai-trinh",
            "evidence": "minh-chung",
            "evidence_public": "cong-khai-minh-chung",
            "evidence_private": "thoi-cong-khai-minh-chung",
            "review": "tham-dinh",
            "finalise": "chot-diem",
        }
    ),
    "result_action",
)

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("tao-moi/", views.movement_create, name="create"),
    path("kiem-tra-can-cu/", views.movement_feed_check, name="feed_check"),
    path("<int:pk>/", views.movement_detail, name="detail"),
    path("<int:pk>/sua/", views.movement_edit, name="edit"),
    path("<int:pk>/thao-tac/<movement_action:action>/", views.movement_action, name="action"),
    path("<int:pk>/van-ban/", views.document_add, name="document_add"),
    path("<int:pk>/cong-khai/", views.movement_publicity, name="publicity"),
    path("<int:pk>/moc-thoi-gian/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/don-vi-tham-gia/", views.participants_add, name="participants_add"),
    path("<int:pk>/dan-dau/", views.leads_record, name="leads_record"),
    path("<int:pk>/ke-hoach/", views.movement_plan, name="plan_document"),
    path(
        "<int:pk>/dang-ky/<int:year>/tong-hop.docx",
        views.registration_summary,
        name="registration_summary",
    ),
    path("van-ban/<int:pk>/tep/", views.document_file, name="document_file"),
    path("minh-chung/<int:pk>/tep/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/bang-cham-diem/", views.table_upload, name="table_upload"),
    path("bang-cham-diem/<int:pk>/", views.table_detail, name="table_detail"),
    path("bang-cham-diem/<int:pk>/sua/", views.table_edit, name="table_edit"),
    path("bang-cham-diem/<int:pk>/tai-ve/", views.table_export, name="table_export"),
    path("bang-cham-diem/<int:pk>/sao-chep/", views.table_copy, name="table_copy"),
    path("<int:pk>/dang-ky/<int:year>/", views.registration_list, name="registration_list"),
    path(
        "<int:pk>/dang-ky/<int:year>/don-vi/<int:unit_pk>/", views.registration_edit, name="registration_edit"
    ),
    path(
        "<int:pk>/dang-ky/<int:year>/dang-ky-dat/", views.movement_achievements, name="movement_achievements"
    ),
    path("don-vi/<int:unit_pk>/dang-ky-dat/<int:year>/", views.unit_achievements, name="unit_achievements"),
    path(
        "dang-ky/<int:pk>/<registration_action:action>/",
        views.registration_action,
        name="registration_action",
    ),
    path("<int:pk>/ket-qua/<int:year>/<str:period>/", views.result_list, name="result_list"),
    path("<int:pk>/ket-qua/<int:year>/<str:period>/mau/", views.result_template, name="result_template"),
    path("<int:pk>/ket-qua/<int:year>/<str:period>/nhap/", views.result_import, name="result_import"),
    path(
        "<int:pk>/ket-qua/<int:year>/<str:period>/don-vi/<int:unit_pk>/",
        views.result_edit,
        name="result_edit",
    ),
    path("ket-qua/<int:pk>/", views.result_detail, name="result_detail"),
    path("ket-qua/<int:pk>/sua-so-lieu/", views.result_correct, name="result_correct"),
    path("ket-qua/<int:pk>/<result_action:action>/", views.result_action, name="result_action"),
    path("<int:pk>/xep-hang/<int:year>/", views.leaderboard, name="leaderboard"),
    path(
        "<int:pk>/xep-hang/<int:year>/cum/<int:cluster_pk>/tinh/",
        views.ranking_compute,
        name="ranking_compute",
    ),
    path("cum/<int:cluster_pk>/xep-hang/", views.cluster_rankings, name="cluster_rankings"),
    path("xep-hang-cac-nam-truoc/", views.past_rankings, name="past_rankings"),
    path(
        "xep-hang-cac-nam-truoc/cum/<int:cluster_pk>/", views.past_ranking_record, name="past_ranking_record"
    ),
    path("xep-hang/<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("xep-hang/<int:pk>/cong-bo/", views.ranking_publish, name="ranking_publish"),
]

from django.urls import path, register_converter

from thidua.awards import ballot_views, list_views, views
from thidua.core.http import action_slugs

# Each action's Vietnamese slug in the address; the view and `{% url %}` name the action itself.
register_converter(
    action_slugs({"submit": "trinh", "return": "tra-lai", "appraise": "tham-dinh", "decide": "ban-hanh"}),
    "dossier_action",
)

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("cua-toi/", views.my_file, name="my_file"),
    path("hoi-dong/", list_views.council_list, name="council_list"),
    path("ho-so/", list_views.dossier_list, name="dossier_list"),
    path("quyet-dinh/", list_views.decision_list, name="decision_list"),
    path("khoa-so/<int:unit_pk>/", views.ratings_close, name="ratings_close"),
    path("cua-toi/khen-thuong/<int:pk>/trich-quyet-dinh.docx", views.my_extract, name="my_extract"),
    path("cua-toi/khen-thuong/<int:pk>/giay-chung-nhan.pdf", views.my_certificate, name="my_certificate"),
    path("thiet-lap/<int:unit_pk>/", views.award_settings, name="settings"),
    path("xep-loai/<int:unit_pk>/<int:year>/", views.rating_grid, name="rating_grid"),
    path("xep-loai/<int:unit_pk>/<int:year>/nhap/", views.rating_import, name="rating_import"),
    path("de-nghi/<int:unit_pk>/<int:year>/", views.candidate_list, name="candidate_list"),
    path("de-nghi/<int:unit_pk>/<int:year>/xet/", views.candidate_propose, name="candidate_propose"),
    path("de-nghi/<int:unit_pk>/<int:year>/them/", views.candidate_add, name="candidate_add"),
    path("de-nghi/<int:pk>/xac-nhan/", views.candidate_confirm, name="candidate_confirm"),
    path("de-nghi/<int:pk>/loai/", views.candidate_remove, name="candidate_remove"),
    path("hoi-dong/tao/<int:unit_pk>/", views.council_create, name="council_create"),
    path("hoi-dong/<int:pk>/", views.council_detail, name="council_detail"),
    path("phien-hop/<int:pk>/", ballot_views.meeting_detail, name="meeting_detail"),
    path("phien-hop/<int:pk>/co-mat/", ballot_views.meeting_attendance, name="meeting_attendance"),
    path("phien-hop/<int:pk>/bien-ban.docx", ballot_views.meeting_minutes, name="meeting_minutes"),
    path("phien-hop/<int:pk>/bo-phieu/", ballot_views.ballot_open, name="ballot_open"),
    path("bo-phieu/<int:pk>/", ballot_views.ballot_detail, name="ballot_detail"),
    path("bo-phieu/<int:pk>/phieu/", ballot_views.ballot_vote, name="ballot_vote"),
    path("bo-phieu/<int:pk>/van-ban/", ballot_views.ballot_written, name="ballot_written"),
    path("bo-phieu/<int:pk>/van-ban/<int:voter_pk>/", ballot_views.ballot_scan, name="ballot_scan"),
    path("bo-phieu/<int:pk>/kiem-phieu/", ballot_views.ballot_close, name="ballot_close"),
    path("bo-phieu/<int:pk>/ket-qua-giay/", ballot_views.ballot_tally, name="ballot_tally"),
    path("bo-phieu/<int:pk>/huy/", ballot_views.ballot_cancel, name="ballot_cancel"),
    path(
        "bo-phieu/<int:pk>/bien-ban-kiem-phieu.docx",
        ballot_views.ballot_count_report,
        name="ballot_count_report",
    ),
    path("ho-so/tao/<int:unit_pk>/<int:year>/", views.dossier_create, name="dossier_create"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/tai-lieu/<slug:slug>.docx", views.dossier_document, name="dossier_document"),
    path("ho-so/<int:pk>/<dossier_action:action>/", views.dossier_action, name="dossier_action"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/quyet-dinh.docx", views.decision_docx, name="decision_docx"),
    path("quyet-dinh/<int:pk>/chung-nhan.pdf", views.decision_certificates, name="decision_certificates"),
    path(
        "quyet-dinh/<int:pk>/danh-sach-chi-thuong.xlsx", views.decision_prize_list, name="decision_prize_list"
    ),
    path("khen-thuong/<int:pk>/thu-hoi/", views.award_revoke, name="award_revoke"),
]

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from thidua.portal import manage, views
from thidua.portal.cache import public_page
from thidua.portal.feeds import ArticleFeed
from thidua.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    # Public pages (no login).
    path("", views.front, name="home"),
    path("bang-vang/", views.honour_board, name="honour"),
    path("tin-tuc/", views.news_list, name="news"),
    path("guong-dien-hinh/", views.story_list, name="stories"),
    path("bai-viet/<int:pk>/", views.article_detail, name="article_short"),
    path("bai-viet/<int:pk>/<slug:slug>/", views.article_detail, name="article"),
    path("anh/<int:pk>/", views.image, name="image"),
    path("thong-tin-phong-trao/", views.movement_list, name="movements"),
    path("thong-tin-phong-trao/<int:pk>/", views.movement_detail, name="movement"),
    path("thong-tin-phong-trao/van-ban/<int:pk>/", views.movement_document, name="movement_document"),
    path("tim-kiem/", views.search, name="search"),
    path("nguon-tin.xml", public_page(ArticleFeed()), name="feed"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # Officers' pages (login).
    path("quan-ly-tin/", manage.article_list, name="manage_list"),
    path("quan-ly-tin/viet-bai/", manage.article_create, name="manage_create"),
    path("quan-ly-tin/<int:pk>/", manage.article_edit, name="manage_edit"),
    path("quan-ly-tin/<int:pk>/xem-truoc/", manage.article_preview, name="manage_preview"),
    path("quan-ly-tin/<int:pk>/anh/", manage.image_upload, name="manage_image"),
    path("quan-ly-tin/<int:pk>/<str:action>/", manage.article_action, name="manage_action"),
    path("khong-cong-khai/", manage.withholding_list, name="manage_withholding"),
    path("khong-cong-khai/<int:pk>/", manage.withholding_change, name="withholding_change"),
    path("tai-khoan/cong-khai-ten/", manage.my_publicity, name="my_publicity"),
]

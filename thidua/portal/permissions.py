"""Who may write for the public site: officers (and admins) publish for their own unit's subtree;
everyone may ask that their own name be kept off public pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.org.models import Unit
from thidua.org.permissions import WRITE_ROLES, can_change_unit, is_system_admin, scope_paths
from thidua.portal.models import Article


def writes_articles(user: Any) -> bool:
    return is_system_admin(user) or bool(scope_paths(user, WRITE_ROLES))


def article_units(user: Any) -> QuerySet[Unit]:
    """Units the user may publish for (active ones)."""
    if is_system_admin(user):
        return Unit.objects.active()
    return Unit.objects.in_subtrees(scope_paths(user, WRITE_ROLES)).active()


def managed_articles(user: Any) -> QuerySet[Article]:
    """Articles of units in the user's writing scope."""
    if is_system_admin(user):
        return Article.objects.all()
    query = Q(pk__in=[])
    for path in scope_paths(user, WRITE_ROLES):
        query |= Q(unit__path__startswith=path)
    return Article.objects.filter(query)


def can_manage_article(user: Any, article: Article) -> bool:
    return can_change_unit(user, article.unit)


def get_article_for_user(user: Any, pk: int) -> Article:
    article = managed_articles(user).select_related("unit", "movement", "cover").filter(pk=pk).first()
    if article is None:
        raise Http404("Không tìm thấy bài viết")
    return article


def require_writer(user: Any) -> None:
    if not writes_articles(user):
        raise PermissionDenied("Chỉ cán bộ thi đua, khen thưởng được viết bài cho trang thông tin")

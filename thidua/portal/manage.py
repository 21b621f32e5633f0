"""The officers' pages for the public site: articles (write, publish, withdraw, pictures, preview)
and the names kept off public pages (by an officer, or by the person for themselves)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.forms import add_domain_error
from thidua.org.models import Person
from thidua.org.permissions import can_change_person, get_person_for_user, own_person_id, visible_people
from thidua.org.view_helpers import actor_of
from thidua.portal import services
from thidua.portal.forms import ArticleForm, ImageForm, ReasonForm
from thidua.portal.models import Article, Withholding
from thidua.portal.permissions import get_article_for_user, managed_articles, require_writer
from thidua.portal.views import _article_context

UPLOAD_LIMIT = 8 * 1024 * 1024  # read no more than this of an upload (the service's limit is lower)


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    require_writer(request.user)
    articles = managed_articles(request.user).select_related("unit")
    status = request.GET.get("trang_thai", "")
    if status in Article.Status.values:
        articles = articles.filter(status=status)
    page = Paginator(articles.order_by("-updated_at", "-id"), 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "portal/manage/article_list.html",
        {"page": page, "status": status, "statuses": Article.Status.choices},
    )


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    require_writer(request.user)
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            article = services.create_article(actor=actor_of(request), **data)  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Đã lưu bản nháp. Thêm ảnh nếu cần, xem trước rồi đăng bài.")
            return redirect("portal:manage_edit", article.pk)
    return render(request, "portal/manage/article_form.html", {"form": form})


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    initial = {
        "kind": article.kind,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "unit": article.unit,
        "movement": article.movement,
        "cover": article.cover,
        "version": article.version,
    }
    form = ArticleForm(request.POST or None, initial=initial, user=request.user, article=article)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None) or 0
        try:
            article = services.update_article(
                actor=actor_of(request), article=article, version=version, **data
            )  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Đã lưu bài viết")
            return redirect("portal:manage_edit", article.pk)
    context = {
        "form": form,
        "article": article,
        "images": article.images.all(),
        "image_form": ImageForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "portal/manage/article_form.html", context)


@login_required
@require_POST
def article_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if action == "dang":
            services.publish_article(actor=actor_of(request), article=article, version=version)
            messages.success(request, "Đã đăng bài lên trang thông tin")
        elif action == "go":
            services.withdraw_article(
                actor=actor_of(request),
                article=article,
                version=version,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Đã gỡ bài khỏi trang thông tin")
        elif action == "nhap":
            services.redraft_article(actor=actor_of(request), article=article, version=version)
            messages.success(request, "Đã chuyển bài về bản nháp")
        else:
            raise Http404("Thao tác không hợp lệ")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:manage_edit", article.pk)


@login_required
@require_POST
def image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        content = upload.read(UPLOAD_LIMIT + 1)
        try:
            picture = services.add_image(
                actor=actor_of(request), article=article, content=content, alt=form.cleaned_data["alt"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f'Đã thêm ảnh. Chèn vào bài bằng nút «Ảnh» hoặc dòng <img src="/anh/{picture.pk}/" alt="…">',
            )
    else:
        for errors in form.errors.values():
            messages.error(request, "; ".join(str(e) for e in errors))
    return redirect("portal:manage_edit", article.pk)


@login_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request.user, pk)
    return render(request, "portal/article_detail.html", _article_context(article, preview=True))


# -- names kept off public pages -----------------------------------------------------------------
@login_required
def withholding_list(request: HttpRequest) -> HttpResponse:
    """Officers: who is kept off the public pages in their scope; find a person to withhold."""
    require_writer(request.user)
    people = visible_people(request.user)
    withheld = (
        Withholding.objects.filter(person__in=people)
        .select_related("person__current_unit", "set_by")
        .order_by("person__sort_key")
    )
    text = request.GET.get("q", "")[:100]
    found: list[Person] = []
    if text.strip():
        found = list(people.search(text).select_related("current_unit").vietnamese_order()[:30])
    withheld_ids = set(withheld.values_list("person_id", flat=True))
    naming = {w.person_id: services.articles_naming(w.person) for w in withheld}
    return render(
        request,
        "portal/manage/withholding_list.html",
        {"withheld": withheld, "found": found, "text": text, "withheld_ids": withheld_ids, "naming": naming},
    )


@login_required
@require_POST
def withholding_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Withhold or show again a person of the officer's scope, or (on their own page) oneself."""
    person = get_person_for_user(request.user, pk)
    own = own_person_id(request.user) == person.pk
    if not own and not can_change_person(request.user, person):
        raise PermissionDenied("Bạn không quản lý hồ sơ của người này")
    try:
        if request.POST.get("withhold") == "1":
            services.withhold_person(
                actor=actor_of(request), person=person, note=request.POST.get("note", "")
            )
            messages.success(
                request, f"Tên của {person.full_name} không còn hiện trên trang thông tin công khai"
            )
        else:
            services.release_person(actor=actor_of(request), person=person)
            messages.success(request, f"Tên của {person.full_name} hiện lại trên trang thông tin công khai")
    except DomainError as exc:
        messages.error(request, exc.message)
    if own and request.POST.get("back") == "mine":
        return redirect("portal:my_publicity")
    return redirect("portal:manage_withholding")


@login_required
def my_publicity(request: HttpRequest) -> HttpResponse:
    """A staff member's own choice: their name on the public honour board or not."""
    person_id = own_person_id(request.user)
    if person_id is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ nhân sự")
    person = Person.objects.get(pk=person_id)
    withholding = Withholding.objects.filter(person=person).first()
    return render(
        request,
        "portal/manage/my_publicity.html",
        {"person": person, "withholding": withholding},
    )
